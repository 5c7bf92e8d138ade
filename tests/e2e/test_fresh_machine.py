"""The fresh-machine check's package-resolution step: on the bare Debian 12 root, a system-package list with
one package taken out fails and names that package (scripts/check-fresh-machine.sh resolve)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "scripts" / "check-fresh-machine.sh"
CACHE = Path(os.environ.get("BOXOFFICE_FRESH_CACHE", "/var/cache/boxoffice-fresh"))


def _can_build_the_bare_root() -> bool:
    return os.geteuid() == 0 and (shutil.which("debootstrap") is not None or any(CACHE.glob("base-*.tar")))


@pytest.mark.skipif(not _can_build_the_bare_root(),
                    reason="needs root and debootstrap (or the cached bare root) for the fresh-machine check")
def test_a_package_taken_out_of_system_packages_is_named_as_missing(tmp_path: Path):
    script = (ROOT / "scripts" / "system-packages.sh").read_text()
    assert 'build_packages="gcc libc6-dev libcups2-dev"' in script
    without_cups_headers = tmp_path / "system-packages.sh"
    without_cups_headers.write_text(script.replace('build_packages="gcc libc6-dev libcups2-dev"',
                                                   'build_packages="gcc libc6-dev"'))
    resolved = subprocess.run(["bash", str(CHECK), "resolve", "--script", str(without_cups_headers)],
                              capture_output=True, text=True, timeout=1800)
    assert resolved.returncode != 0
    missing = [line for line in resolved.stderr.splitlines() if "missing system packages" in line]
    assert missing and missing[0].endswith(": libcups2-dev"), resolved.stderr[-2000:]
