#!/usr/bin/env bash
# Install, before pip runs, the Debian/Ubuntu packages boxoffice needs (DESIGN.md "System packages").
# Usage: scripts/system-packages.sh run|test|list-run|list-test
#   run        what `make run` needs: what pip needs to build pycups, and the libraries Qt, zbar, CUPS load
#   test       the run set plus what `make test` needs (CUPS with a PDF printer, PostgreSQL, Chromium, poppler)
#   list-run, list-test   print the set, one package a line, and install nothing
#   list-libraries        only the libraries the app loads (the .deb's dependencies; scripts/build-deb.sh)
# Runs apt-get as root, or through sudo. PYTHON names the interpreter the venv is made with (python3).
set -euo pipefail

declare -A why=(
  [gcc]="pip compiles pycups (it has no wheel)"
  [libc6-dev]="the C library headers gcc needs to build pycups"
  [libcups2-dev]="pycups builds against the CUPS headers (cups/http.h)"
  [libcups2]="printing goes through CUPS"
  [libzbar0]="pyzbar decodes barcodes with the zbar library"
  [libusb-1.0-0]="pyusb talks to USB printers and scanners"
  [libgl1]="Qt (PySide6) loads OpenGL"
  [libegl1]="Qt (PySide6) loads EGL"
  [libglib2.0-0]="Qt (PySide6) runs on the GLib event loop"
  [libfontconfig1]="Qt finds fonts through fontconfig"
  [libxkbcommon0]="Qt reads the keyboard layout"
  [libxkbcommon-x11-0]="Qt's X11 platform plugin reads the keyboard layout"
  [libdbus-1-3]="Qt talks to the desktop over D-Bus"
  [libxcb-cursor0]="Qt's X11 platform plugin (xcb) needs it since Qt 6.5"
  [libxcb-icccm4]="Qt's X11 platform plugin (xcb)"
  [libxcb-image0]="Qt's X11 platform plugin (xcb)"
  [libxcb-keysyms1]="Qt's X11 platform plugin (xcb)"
  [libxcb-render-util0]="Qt's X11 platform plugin (xcb)"
  [libxcb-shape0]="Qt's X11 platform plugin (xcb)"
  [fonts-dejavu-core]="a font for the window and for printed badges"
  [python3-venv]="python3 -m venv needs it on Debian's own Python"
  [python3-dev]="Python.h, which pip needs to build pycups on Debian's own Python"
  [cups]="print tests print through a real CUPS"
  [cups-client]="print tests use lpstat and lp"
  [printer-driver-cups-pdf]="print tests print to a PDF printer"
  [poppler-utils]="print tests read the printed PDFs (pdftotext, pdftoppm)"
  [postgresql]="server tests run on PostgreSQL"
  [chromium]="RSVP page tests drive Chromium"
  [spamassassin]="invitation tests score the sent e-mails with SpamAssassin's offline rules"
)

build_packages="gcc libc6-dev libcups2-dev"
library_packages="libzbar0 libusb-1.0-0 libcups2 libgl1 libglib2.0-0 libegl1 libfontconfig1 libxkbcommon0
  libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0
  libxkbcommon-x11-0 fonts-dejavu-core"
test_only_packages="cups cups-client printer-driver-cups-pdf poppler-utils postgresql chromium spamassassin"
python=${PYTHON:-python3}

# Debian's own Python (installed by dpkg) ships venv and its headers as separate packages; pyenv,
# python.org or conda builds carry both themselves.
python_packages() {
  local interpreter
  interpreter=$(command -v "$python" 2>/dev/null) || return 0
  interpreter=$(readlink -f "$interpreter")
  command -v dpkg-query >/dev/null 2>&1 && dpkg-query -S "$interpreter" >/dev/null 2>&1 || return 0
  echo "python3-dev"
  "$python" -c 'import ensurepip' >/dev/null 2>&1 || echo "python3-venv"
}

run_packages="$build_packages $(python_packages | tr '\n' ' ') $library_packages"
case "${1:-run}" in
  run|list-run) wanted=$run_packages ;;
  test|list-test) wanted="$run_packages $test_only_packages" ;;
  list-libraries) wanted=$library_packages ;;
  *) echo "usage: $0 run|test|list-run|list-test|list-libraries" >&2; exit 2 ;;
esac
if [[ "${1:-run}" == list* ]]; then
  printf '%s\n' $wanted
  exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "Not a Debian/Ubuntu system: install the equivalents of these packages yourself:" $wanted >&2
  exit 0
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
echo "Installing system packages (${1:-run} set):"
for package in $missing; do
  echo "  $package: ${why[$package]}"
done
$as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends $missing
