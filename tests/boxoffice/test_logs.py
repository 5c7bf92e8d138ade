"""The log file: where it is, what it records at each level, rotation, JSON lines, and no secrets."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from boxoffice import logs


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("BOXOFFICE_LOG_DIR", str(tmp_path / "logs"))
    root = logging.getLogger()
    level = root.level
    yield tmp_path / "logs"
    for handler in [h for h in root.handlers if getattr(h, "boxoffice_log", False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def _flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


class TestLogFile:
    def test_records_go_to_the_programs_file_in_the_log_folder(self, log_dir: Path):
        path = logs.start_logging("boxoffice")
        logging.getLogger("boxoffice.door").info("door %s opened", "North")
        _flush()
        assert path == log_dir / "boxoffice.log"
        assert "INFO [MainThread] boxoffice.door: door North opened" in path.read_text()

    def test_the_level_decides_what_is_written(self, log_dir: Path):
        path = logs.start_logging("boxoffice", "WARNING")
        logging.getLogger("x").info("quiet")
        logging.getLogger("x").warning("loud")
        _flush()
        text = path.read_text()
        assert "loud" in text and "quiet" not in text

    def test_the_level_comes_from_the_environment_when_not_given(self, log_dir: Path, monkeypatch):
        monkeypatch.setenv("BOXOFFICE_LOG_LEVEL", "debug")
        path = logs.start_logging("boxoffice")
        logging.getLogger("x").debug("details")
        _flush()
        assert "details" in path.read_text()

    def test_an_unknown_level_or_format_is_refused_by_name(self, log_dir: Path):
        with pytest.raises(ValueError, match="LOUD"):
            logs.start_logging("boxoffice", "LOUD")
        with pytest.raises(ValueError, match="xml"):
            logs.start_logging("boxoffice", log_format="xml")

    def test_a_full_file_is_rotated_and_old_files_kept(self, log_dir: Path, monkeypatch):
        monkeypatch.setattr(logs, "MAX_BYTES", 2000)
        path = logs.start_logging("boxoffice")
        for number in range(200):
            logging.getLogger("x").info("line %d of the rotation test", number)
        _flush()
        assert path.stat().st_size <= 2000
        assert (log_dir / "boxoffice.log.1").exists()
        assert len(list(log_dir.glob("boxoffice.log.*"))) == logs.BACKUPS

    def test_starting_again_does_not_write_each_line_twice(self, log_dir: Path):
        logs.start_logging("boxoffice")
        path = logs.start_logging("boxoffice")
        logging.getLogger("x").info("once")
        _flush()
        assert path.read_text().count("once") == 1

    def test_json_format_writes_one_object_a_line_with_request_fields(self, log_dir: Path):
        path = logs.start_logging("boxoffice-server", log_format="json")
        logging.getLogger("req").info("GET /v1/health 200", extra={"method": "GET", "status": 200})
        _flush()
        line = json.loads(path.read_text().splitlines()[-1])
        assert line["message"] == "GET /v1/health 200"
        assert line["method"] == "GET" and line["status"] == 200 and line["level"] == "INFO"
        assert line["time"].endswith("+00:00")


class TestSecretsAreNeverWritten:
    @pytest.mark.parametrize("message", [
        "login {'email': 'a@b.ch', 'password': 'Hunter2-secret!'}",
        'body {"device_id": "d1", "secret": "Hunter2-secret!"}',
        "Authorization: Bearer Hunter2-secret!",
        "GET /v1/x?token=Hunter2-secret!&page=2",
        "postgresql+psycopg://boxoffice:Hunter2-secret!@db/boxoffice",
        "smtp_password=Hunter2-secret!",
    ])
    def test_a_secret_in_a_message_is_replaced(self, log_dir: Path, message: str):
        path = logs.start_logging("boxoffice")
        logging.getLogger("x").warning(message)
        _flush()
        text = path.read_text()
        assert "Hunter2-secret!" not in text
        assert logs.HIDDEN in text

    def test_a_secret_in_arguments_or_a_traceback_is_replaced(self, log_dir: Path):
        path = logs.start_logging("boxoffice")
        try:
            raise RuntimeError("refused: token=Hunter2-secret!")
        except RuntimeError:
            logging.getLogger("x").exception("call with %s failed", {"password": "Hunter2-secret!"})
        _flush()
        text = path.read_text()
        assert "Hunter2-secret!" not in text
        assert "RuntimeError: refused: token=***" in text

    def test_ordinary_words_are_left_alone(self):
        assert logs.redact("the device token expired; 3 tokens left") == "the device token expired; 3 tokens left"
