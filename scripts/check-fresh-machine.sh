#!/usr/bin/env bash
# A new user's machine, checked: README's `make run` set-up and the .deb, both on a bare Debian 12 root.
#
# Usage (as root: debootstrap, chroot and mounts need it):
#   scripts/check-fresh-machine.sh [FILE.deb]      the whole check (what .ci/run runs after `make test` and
#                                                  `make package`): README's set-up, then the .deb if given
#   scripts/check-fresh-machine.sh resolve PKG...  the package-resolution step alone: install these packages
#                                                  into a copy of the bare root and check that what pip and the
#                                                  app need is there; fails naming each missing package
#   scripts/check-fresh-machine.sh resolve --script FILE   the same for the `run` set FILE (a copy of
#                                                  scripts/system-packages.sh) lists inside the bare root
#   scripts/check-fresh-machine.sh deb FILE.deb    the Linux package alone: `apt install ./FILE.deb` on the bare root,
#                                                  --version, demo, the window painted, `apt remove` leaving nothing
#   scripts/check-fresh-machine.sh base            build (or reuse) the cached bare root only
#
# The bare root (debootstrap minbase with git, make and python3, from the same Debian mirror as this machine's
# apt sources) is built once and kept as a tarball in BOXOFFICE_FRESH_CACHE (default /var/cache/boxoffice-fresh),
# with apt's downloaded .debs and pip's cache, so later runs download nothing they already have. This machine's
# pip configuration, CA bundle and proxy settings are copied in where it has them, so the check works behind a
# proxy or a private index.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${BOXOFFICE_FRESH_CACHE:-/var/cache/boxoffice-fresh}
suite=bookworm
base_packages="git,make,python3,ca-certificates"

say() { echo "check-fresh-machine: $*" >&2; }
die() { say "FAILED: $*"; exit 1; }

# The first Debian mirror serving $suite in this machine's apt sources (one-line or deb822 format).
mirror() {
  local file line uris="" suites=""
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    while read -r line; do
      line=$(sed -E 's/\[[^]]*\] *//' <<<"$line")
      # shellcheck disable=SC2086
      set -- $line
      [ "${1:-}" = deb ] && [ "${3:-}" = "$suite" ] && { echo "$2"; return; }
    done < "$file"
  done
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in
        URIs:*) uris=${line#URIs:} ;;
        Suites:*) suites=" ${line#Suites:} " ;;
        "") if [[ -n "$uris" && "$suites" == *" $suite "* ]]; then echo "$uris" | awk '{print $1}'; return; fi
            uris=""; suites="" ;;
      esac
    done < <(grep -v '^#' "$file"; echo)
  done
  echo "http://deb.debian.org/debian"
}

# The cached bare root, as a tarball; rebuilt when the mirror or the package set changes.
base_tarball() {
  local url key tarball work
  url=$(mirror)
  key=$(echo "$suite $url $base_packages minbase" | sha256sum | cut -c1-12)
  tarball="$cache/base-$suite-$key.tar"
  if [ ! -f "$tarball" ]; then
    # A bare CI machine has no debootstrap; this check runs as root, so it installs what it needs itself.
    if ! command -v debootstrap >/dev/null; then
      say "installing debootstrap (apt-get install debootstrap)"
      # apt's package lists may never have been fetched when every other package was already there.
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
          debootstrap; } >&2 || die "debootstrap is missing and apt-get could not install it: apt-get install debootstrap"
    fi
    mkdir -p "$cache/apt-archives"
    work=$(mktemp -d "$cache/debootstrap.XXXXXX")
    say "building the bare Debian root ($suite, minbase + $base_packages) from $url"
    debootstrap --variant=minbase --include="$base_packages" --cache-dir="$cache/apt-archives" \
      "$suite" "$work" "$url" >&2 || die "debootstrap failed (see above)"
    tar -C "$work" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
    rm -rf "$work"
  fi
  echo "$tarball"
}


# What `make run` needs from the system, each with the package that provides it: checked after the packages
# are installed, so a package missing from scripts/system-packages.sh is named rather than guessed at from
# pip's compiler output.
requirements=(
  "gcc|command -v gcc"
  "libc6-dev|test -f /usr/include/stdio.h"
  "libcups2-dev|test -f /usr/include/cups/http.h"
  "python3-dev|test -f \"\$(python3 -c 'import sysconfig; print(sysconfig.get_paths()[\"include\"])')/Python.h\""
  "python3-venv|python3 -c 'import ensurepip'"
  "libzbar0|ldconfig -p | grep -q 'libzbar\.so\.0 '"
  "libusb-1.0-0|ldconfig -p | grep -q 'libusb-1\.0\.so\.0 '"
  "libcups2|ldconfig -p | grep -q 'libcups\.so\.2 '"
  "libgl1|ldconfig -p | grep -q 'libGL\.so\.1 '"
  "libegl1|ldconfig -p | grep -q 'libEGL\.so\.1 '"
  "libglib2.0-0|ldconfig -p | grep -q 'libglib-2\.0\.so\.0 '"
  "libfontconfig1|ldconfig -p | grep -q 'libfontconfig\.so\.1 '"
  "libxkbcommon0|ldconfig -p | grep -q 'libxkbcommon\.so\.0 '"
  "libxkbcommon-x11-0|ldconfig -p | grep -q 'libxkbcommon-x11\.so\.0 '"
  "libdbus-1-3|ldconfig -p | grep -q 'libdbus-1\.so\.3 '"
  "libxcb-cursor0|ldconfig -p | grep -q 'libxcb-cursor\.so\.0 '"
  "libxcb-icccm4|ldconfig -p | grep -q 'libxcb-icccm\.so\.4 '"
  "libxcb-image0|ldconfig -p | grep -q 'libxcb-image\.so\.0 '"
  "libxcb-keysyms1|ldconfig -p | grep -q 'libxcb-keysyms\.so\.1 '"
  "libxcb-render-util0|ldconfig -p | grep -q 'libxcb-render-util\.so\.0 '"
  "libxcb-shape0|ldconfig -p | grep -q 'libxcb-shape\.so\.0 '"
  "fonts-dejavu-core|test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
)

root=""
cleanup() {
  [ -n "$root" ] || return 0
  local mounted
  for mounted in $(awk -v r="$root" 'index($2, r) == 1 {print $2}' /proc/self/mounts | sort -r); do
    umount "$mounted" 2>/dev/null || umount -l "$mounted" || true
  done
  # Never delete through a mount: the bound /dev and caches would go with it.
  if awk -v r="$root" 'index($2, r) == 1 {found=1} END {exit !found}' /proc/self/mounts; then
    say "left $root in place: something is still mounted under it"
  else
    rm -rf "$root"
  fi
  root=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# One check at a time per cache; roots a killed run left behind (nothing mounted under them) are removed.
claim_cache() {
  local stale
  mkdir -p "$cache"
  exec 9>"$cache/.lock"
  flock 9
  for stale in "$cache"/root.*; do
    [ -d "$stale" ] || continue
    if awk -v r="$stale" 'index($2, r) == 1 {found=1} END {exit !found}' /proc/self/mounts; then
      say "leaving $stale: something is mounted under it"
    else
      rm -rf "$stale"
    fi
  done
}

# A new copy of the bare root with /proc, /dev, this machine's DNS, pip configuration and CA bundle, and the
# cached apt and pip downloads.
fresh_root() {
  local tarball file
  tarball=$(base_tarball)
  root=$(mktemp -d "$cache/root.XXXXXX")
  tar -C "$root" -xf "$tarball"
  mkdir -p "$cache/apt-archives/partial" "$cache/apt-lists/partial" "$cache/pip" "$root/root/.cache/pip"
  mount -t proc proc "$root/proc"
  mount --bind /dev "$root/dev"
  [ -d /dev/pts ] && mount --bind /dev/pts "$root/dev/pts"
  mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives"
  mount --bind "$cache/apt-lists" "$root/var/lib/apt/lists"
  mount --bind "$cache/pip" "$root/root/.cache/pip"
  cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
  # apt's proxy settings, where this machine has them in apt.conf.d
  for file in /etc/apt/apt.conf.d/*; do
    [ -f "$file" ] && grep -qi 'proxy' "$file" && cp "$file" "$root/etc/apt/apt.conf.d/"
  done
  for file in /etc/pip.conf "$HOME/.config/pip/pip.conf" "$HOME/.pip/pip.conf" ${PIP_CONFIG_FILE:-} \
              ${PIP_CERT:-} ${SSL_CERT_FILE:-} ${REQUESTS_CA_BUNDLE:-} /etc/ssl/certs/ca-certificates.crt; do
    [ -f "$file" ] || continue
    case "$file" in "$HOME"/*) target="/root/${file#"$HOME"/}" ;; *) target=$file ;; esac
    mkdir -p "$root$(dirname "$target")"
    cp -L "$file" "$root$target"
  done
}

# Run a command in the root as a new user's root shell would, with the proxy and pip settings passed on.
enter() {
  local passed=() name
  for name in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY PIP_INDEX_URL PIP_EXTRA_INDEX_URL \
              PIP_TRUSTED_HOST PIP_DEFAULT_TIMEOUT PIP_CERT PIP_CONFIG_FILE SSL_CERT_FILE REQUESTS_CA_BUNDLE; do
    [ -n "${!name:-}" ] && passed+=("$name=${!name}")
  done
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${passed[@]}" "$@"
}

# Each package whose requirement the root does not meet, one a line.
missing_requirements() {
  local entry
  for entry in "${requirements[@]}"; do
    enter bash -c "${entry#*|}" >/dev/null 2>&1 || echo "${entry%%|*}"
  done
}

report_missing() {
  local missing
  missing=$(missing_requirements)
  [ -z "$missing" ] && return 0
  say "missing system packages (add them to scripts/system-packages.sh):" $missing
  return 1
}

# The package-resolution step alone: install the packages, then check the requirements.
resolve() {
  local packages
  fresh_root
  if [ "${1:-}" = --script ]; then
    [ -f "${2:-}" ] || die "resolve --script needs a copy of scripts/system-packages.sh"
    cp "$2" "$root/tmp/system-packages.sh"
    packages=$(enter bash /tmp/system-packages.sh list-run) || die "$2 list-run failed"
  else
    packages="$*"
  fi
  say "installing into the bare root:" $packages
  enter apt-get update -qq >&2 || die "apt-get update failed in the bare root"
  # shellcheck disable=SC2086
  enter apt-get install -y -qq --no-install-recommends $packages >&2 || die "apt-get could not install:" $packages
  report_missing || die "the packages above are needed by pip or by the app"
  say "every requirement is met"
}

# The whole check: README's `make run` set-up on a fresh clone, until the window is painted on the demo.
check() {
  local started setup
  started=$(date +%s)
  fresh_root
  git clone --quiet --no-hardlinks "$repo" "$root/root/boxoffice"
  # README's first command block is what a new user types; its `make run` line is the one checked.
  setup=$(awk '/^```/{n++; next} n==1 && /^make run/{print $1, $2; exit}' "$root/root/boxoffice/README.md")
  [ "$setup" = "make run" ] || die "README.md does not start with the \`make run\` set-up command"
  say "running \`$setup\` on a fresh clone in the bare root (offscreen, quits once the window is painted)"
  if ! enter bash -c 'cd /root/boxoffice && QT_QPA_PLATFORM=offscreen timeout 1800 make run RUN_ARGS=--smoke-test' \
       >"$root/make-run.log" 2>&1; then
    tail -n 40 "$root/make-run.log" >&2
    report_missing || true
    die "\`make run\` failed on the bare root (last lines above)"
  fi
  grep -E "boxoffice: window painted \([0-9]+ pages\)" "$root/make-run.log" >&2 \
    || { tail -n 40 "$root/make-run.log" >&2; die "the window was not painted"; }
  say "passed in $(( $(date +%s) - started )) s"
}

# The Linux package on its own bare root: installs with apt (which brings its dependencies), starts, and leaves
# none of its files behind when removed.
check_deb() {
  local deb=$1 files left
  [ -f "$deb" ] || die "no package at $deb"
  fresh_root
  cp "$deb" "$root/tmp/"
  say "installing $(basename "$deb") on the bare root with apt"
  enter apt-get update -qq >&2 || die "apt-get update failed in the bare root"
  enter apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$deb")" >&2 || die "apt could not install the package"
  enter boxoffice --version >&2 || die "boxoffice --version failed"
  enter boxoffice-server --help >/dev/null || die "boxoffice-server --help failed"
  enter boxoffice --data-dir /root/demo demo --tickets 20 >&2 || die "boxoffice demo failed"
  enter env QT_QPA_PLATFORM=offscreen timeout 300 boxoffice --data-dir /root/demo --smoke-test >"$root/deb-run.log" 2>&1 \
    || { tail -n 40 "$root/deb-run.log" >&2; die "the packaged app did not start"; }
  grep -E "boxoffice: window painted" "$root/deb-run.log" >&2 || die "the packaged app's window was not painted"
  files=$(enter dpkg-query -L boxoffice)
  enter apt-get remove -y -qq boxoffice >&2 || die "apt remove failed"
  left=$(for file in $files; do [ -e "$root$file" ] && [ ! -d "$root$file" ] && echo "$file"; done || true)
  [ -d "$root/opt/boxoffice" ] && left="$left /opt/boxoffice"
  [ -z "$left" ] || die "apt remove left files behind:" $left
  say "the package installs, starts and is removed cleanly"
}

[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap, chroot and mounts need it)"
claim_cache
case "${1:-check}" in
  check) check; if [ -n "${2:-}" ]; then cleanup; check_deb "$2"; fi ;;
  *.deb) check; cleanup; check_deb "$1" ;;
  deb) check_deb "${2:?deb needs FILE.deb}" ;;
  base) base_tarball ;;
  resolve) shift; resolve "$@" ;;
  *) echo "usage: $0 [check [FILE.deb] | FILE.deb | deb FILE.deb | base | resolve PKG... | resolve --script FILE]" >&2; exit 2 ;;
esac
