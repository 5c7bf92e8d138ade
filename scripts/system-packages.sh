#!/usr/bin/env bash
# Install the Debian/Ubuntu packages boxoffice needs (DESIGN.md "System packages") when missing.
# Usage: scripts/system-packages.sh run|test     Runs apt-get as root, or through sudo.
set -euo pipefail

run_packages="libzbar0 libusb-1.0-0 libcups2 libgl1 libglib2.0-0 libegl1 libfontconfig1 libxkbcommon0
  libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0
  libxkbcommon-x11-0 fonts-dejavu-core libcups2-dev gcc libc6-dev"
test_packages="$run_packages libcups2-dev cups cups-client printer-driver-cups-pdf poppler-utils postgresql chromium"

case "${1:-run}" in
  run) wanted=$run_packages ;;
  test) wanted=$test_packages ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "Not a Debian/Ubuntu system: install the equivalents of these packages yourself: $wanted" >&2
  exit 0
fi

# python3 -m venv needs python3-venv on Debian's own Python (not on pyenv or python.org builds).
if ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
  wanted="$wanted python3-venv"
fi

missing=""
for package in $wanted; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1; then
  as_root="sudo"
else
  echo "These packages are missing and neither root nor sudo is available:$missing" >&2
  exit 1
fi
echo "Installing system packages:$missing"
$as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends $missing
