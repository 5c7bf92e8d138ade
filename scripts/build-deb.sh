#!/usr/bin/env bash
# Build dist/boxoffice_<version>_<arch>.deb from the PyInstaller folder dist/boxoffice (`make package`).
#
# The package installs the folder in /opt/boxoffice, the `boxoffice` and `boxoffice-server` commands in
# /usr/bin, a desktop entry, the icon in every size, and a systemd unit for the server (not enabled); it
# depends on the system libraries the app loads (scripts/system-packages.sh list-libraries). Everything it
# installs is dpkg's, so `apt remove boxoffice` leaves only the users' own data.
# Usage: scripts/build-deb.sh [PYTHON]     PYTHON runs scripts/make-icons.py (default .venv/bin/python)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
python=${1:-$repo/.venv/bin/python}
bundle=$repo/dist/boxoffice
say() { echo "build-deb: $*" >&2; }

command -v dpkg-deb >/dev/null || { say "dpkg-deb is missing: not a Debian/Ubuntu machine, no .deb built"; exit 0; }
[ -x "$bundle/boxoffice" ] || { say "no PyInstaller folder in $bundle: run make package"; exit 1; }

version=$("$python" -c 'import boxoffice; print(boxoffice.__version__)')
arch=$(dpkg --print-architecture)
stage=$repo/build/deb/boxoffice_${version}_$arch
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
         "$stage/usr/share/doc/boxoffice" "$stage/lib/systemd/system"

cp -a "$bundle" "$stage/opt/boxoffice"
# One executable: it runs the server when started under the name boxoffice-server (packaging/launcher.py).
ln -s /opt/boxoffice/boxoffice "$stage/usr/bin/boxoffice"
ln -s /opt/boxoffice/boxoffice "$stage/usr/bin/boxoffice-server"
install -m 0644 "$repo/packaging/linux/boxoffice.desktop" "$stage/usr/share/applications/boxoffice.desktop"
install -m 0644 "$repo/packaging/linux/boxoffice-server.service" "$stage/lib/systemd/system/boxoffice-server.service"
QT_QPA_PLATFORM=offscreen "$python" "$repo/scripts/make-icons.py" "$repo/build/icons" >&2
mkdir -p "$stage/usr/share/icons"
cp -a "$repo/build/icons/hicolor" "$stage/usr/share/icons/hicolor"
printf 'boxoffice %s\nLicence: AGPL-3.0-or-later (the source is the project this package was built from)\n' \
  "$version" > "$stage/usr/share/doc/boxoffice/copyright"
find "$stage" -type d -exec chmod 0755 {} +

depends=$(bash "$repo/scripts/system-packages.sh" list-libraries | paste -sd, | sed 's/,/, /g')
cat > "$stage/DEBIAN/control" <<CONTROL
Package: boxoffice
Version: $version
Architecture: $arch
Maintainer: boxoffice maintainers <maintainers@boxoffice.invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $depends
Section: misc
Priority: optional
Description: offline-first box office
 Contact lists and invitations, desk sales, door control with webcam or USB
 scanners, and badge and pass printing; every device keeps its own SQLite copy.
 Includes boxoffice-server, the sync server (systemd unit boxoffice-server).
CONTROL

deb=$repo/dist/boxoffice_${version}_$arch.deb
dpkg-deb --root-owner-group -Zxz -z1 --build "$stage" "$deb" >&2
say "built $deb ($(du -h "$deb" | cut -f1), installed size $(( $(du -sk --exclude=DEBIAN "$stage" | cut -f1) / 1024 )) MB)"
echo "$deb"
