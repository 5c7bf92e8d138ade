"""Fixtures for printing tests: a private cupsd with virtual CR80 printers backed by cups-pdf."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cups
import pytest

# cups-pdf reads /etc/cups/cups-pdf-<NAME>.conf for the device URI cups-pdf:/<NAME>; the path is
# compiled in (it ignores CUPS_SERVERROOT), so this one file is the fixture's only system write.
# The Qt spooler test needs no display; the suite-wide conftest may set this already.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CUPS_PDF_INSTANCE = "boxoffice-test"
CUPS_PDF_CONF = Path(f"/etc/cups/cups-pdf-{CUPS_PDF_INSTANCE}.conf")
REQUIRED = ("cupsd", "lpadmin", "lpinfo", "cupsdisable", "pdfinfo", "pdffonts", "pdftoppm", "pdftotext")


@dataclass(frozen=True)
class CupsServer:
    """A running private cupsd: where to reach it and where cups-pdf writes the printed PDFs."""

    address: str
    output: Path
    printer: str
    stopped_printer: str
    error_log: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _write_config(root: Path, port: int) -> tuple[Path, Path]:
    for name in ("conf", "spool/tmp", "cache", "state", "log", "out"):
        (root / name).mkdir(parents=True, exist_ok=True)
    cupsd_conf = root / "conf" / "cupsd.conf"
    cupsd_conf.write_text(
        f"Listen 127.0.0.1:{port}\nLogLevel info\nWebInterface No\nBrowsing No\n"
        "DefaultAuthType None\n<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
    )
    files_conf = root / "conf" / "cups-files.conf"
    files_conf.write_text(
        f"ServerRoot {root}/conf\nRequestRoot {root}/spool\nTempDir {root}/spool/tmp\n"
        f"CacheDir {root}/cache\nStateDir {root}/state\nErrorLog {root}/log/error_log\n"
        f"AccessLog {root}/log/access_log\nPageLog {root}/log/page_log\n"
    )
    CUPS_PDF_CONF.write_text(f"Out {root}/out\nAnonDirName {root}/out\nLog {root}/log\nLogType 3\nGrp root\n")
    return cupsd_conf, files_conf


def _wait_until_up(address: str, daemon: subprocess.Popen[bytes], log: Path) -> None:
    host, port = address.rsplit(":", 1)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if daemon.poll() is not None:
            break
        try:
            socket.create_connection((host, int(port)), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    errors = log.read_text(errors="replace")[-2000:] if log.exists() else "(no error_log)"
    pytest.fail(f"cupsd did not start on {address} (exit code {daemon.poll()}). error_log:\n{errors}")


def _run(*command: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def _cups_pdf_ppd(address: str) -> str:
    models = _run("lpinfo", "-h", address, "-m").splitlines()
    found = [line.split()[0] for line in models if "CUPS-PDF_opt.ppd" in line]
    found += [line.split()[0] for line in models if "CUPS-PDF" in line]
    if not found:
        pytest.fail("No CUPS-PDF driver found by `lpinfo -m`: install printer-driver-cups-pdf")
    return found[0]


def _check_prerequisites() -> None:
    missing = [tool for tool in REQUIRED if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists()]
    if missing:
        pytest.fail(
            f"CUPS tools missing: {', '.join(missing)}. Install cups cups-client "
            "printer-driver-cups-pdf poppler-utils (make test does)."
        )
    if os.geteuid() != 0:
        pytest.fail(
            f"The CUPS fixture runs as root: cupsd must run the cups-pdf backend and {CUPS_PDF_CONF} must be written."
        )


def _add_printers(address: str) -> None:
    ppd = _cups_pdf_ppd(address)
    for name in ("CR80", "CR80-stopped"):
        device = f"cups-pdf:/{CUPS_PDF_INSTANCE}"
        _run("lpadmin", "-h", address, "-p", name, "-E", "-v", device, "-m", ppd, "-o", "media-default=Custom.54x86mm")
    _run("cupsdisable", "-h", address, "-r", "Ribbon being changed", "CR80-stopped")


@pytest.fixture(scope="session")
def cups_server() -> Iterator[CupsServer]:
    """Start cupsd on a free 127.0.0.1 port with printers CR80 and CR80-stopped; stop it after.

    Fails (never skips) when CUPS cannot run here: printing to a real queue is part of `make test`.
    """
    _check_prerequisites()
    # Not under pytest's tmp dir: that is private to root, and filters run as lp must read the spool.
    root = Path(tempfile.mkdtemp(prefix="boxoffice-cups-"))
    root.chmod(0o755)
    port = _free_port()
    address = f"127.0.0.1:{port}"
    cupsd_conf, files_conf = _write_config(root, port)
    cupsd = shutil.which("cupsd") or "/usr/sbin/cupsd"
    with (root / "log" / "cupsd.out").open("wb") as output:
        daemon = subprocess.Popen(
            [cupsd, "-f", "-c", str(cupsd_conf), "-s", str(files_conf)], stdout=output, stderr=subprocess.STDOUT
        )
    saved_server, saved_port = cups.getServer(), cups.getPort()
    try:
        _wait_until_up(address, daemon, root / "log" / "error_log")
        _add_printers(address)
        yield CupsServer(address, root / "out", "CR80", "CR80-stopped", root / "log" / "error_log")
    finally:
        daemon.terminate()
        try:
            daemon.wait(timeout=10)
        except subprocess.TimeoutExpired:
            daemon.kill()
        CUPS_PDF_CONF.unlink(missing_ok=True)
        shutil.rmtree(root, ignore_errors=True)
        cups.setServer(saved_server)
        cups.setPort(saved_port)
