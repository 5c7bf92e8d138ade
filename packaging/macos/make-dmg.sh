#!/usr/bin/env bash
# The macOS disk image: dist/boxoffice.app (PyInstaller on macOS, packaging/boxoffice.spec) with a link to
# /Applications to drag it onto. Built on GitHub's hosted macOS runner (.github/workflows/installers.yml).
# Usage: packaging/macos/make-dmg.sh VERSION        -> dist/boxoffice-VERSION.dmg
set -euo pipefail
version=${1:?usage: make-dmg.sh VERSION}
repo=$(cd "$(dirname "$0")/../.." && pwd)
app=$repo/dist/boxoffice.app
[ -d "$app" ] || { echo "make-dmg: no $app (run pyinstaller packaging/boxoffice.spec on macOS first)" >&2; exit 1; }
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
hdiutil create -volname "boxoffice $version" -srcfolder "$stage" -ov -format UDZO "$repo/dist/boxoffice-$version.dmg"
echo "make-dmg: dist/boxoffice-$version.dmg"
