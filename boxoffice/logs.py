"""Log files: one rotating file per program in the platform's log folder, with secrets redacted.

`start_logging("boxoffice")` (the app) and `start_logging("boxoffice-server")` (the server) send every
logger's records to `<platform log folder>/<program>.log`, rotated at 5 MB with five old files kept.
The redaction filter sits on each handler, so no handler, file or console, ever sees a password, a token,
a device secret or a database URL's password, whatever module logged it and however it was formatted.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"
MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 5
HIDDEN = "***"
# Fields a record may carry (logging's `extra=`) that the JSON format writes out as they are.
JSON_EXTRAS = ("method", "path", "status", "duration_ms", "client")

_SECRET_KEY = r"[\w-]*(?:password|passwd|secret|token|api[_-]?key|authorization|cookie)[\w-]*"
_PATTERNS = (
    # key=value, key: value, "key": "value", 'key': 'value' (JSON, repr of a dict, query strings, headers)
    re.compile(rf"""(?i)(["']?{_SECRET_KEY}["']?\s*[:=]\s*)(?:(["'])(?:(?!\2).)*\2|(?:Bearer\s+|Basic\s+)?[^\s"',&;)}}\]]+)"""),
    re.compile(r"(?i)\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+"),
    # scheme://user:password@host
    re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s:/@]+:)[^\s@/]+@"),
)


def redact(text: str) -> str:
    """`text` with every secret-looking value replaced by ***."""
    text = _PATTERNS[0].sub(lambda m: f"{m.group(1)}{m.group(2) or ''}{HIDDEN}{m.group(2) or ''}", text)
    text = _PATTERNS[1].sub(lambda m: f"{m.group(1)} {HIDDEN}", text)
    return _PATTERNS[2].sub(lambda m: f"{m.group(1)}{HIDDEN}@", text)


class SecretFilter(logging.Filter):
    """Redacts the message, its arguments and its traceback before any handler formats them."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit the format: logging reports it later
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for name in JSON_EXTRAS:
            value = getattr(record, name, None)
            if isinstance(value, str):
                setattr(record, name, redact(value))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, thread, message, and any request fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "thread": record.threadName,
            "message": record.getMessage(),
        }
        for name in JSON_EXTRAS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info or record.exc_text:
            line["exception"] = record.exc_text or self.formatException(record.exc_info)  # type: ignore[arg-type]
        return json.dumps(line, ensure_ascii=False, default=str)


def log_folder(program: str) -> Path:
    """Where `program` writes its log: BOXOFFICE_LOG_DIR when set, else the platform's log folder."""
    chosen = os.environ.get("BOXOFFICE_LOG_DIR")
    return Path(chosen) if chosen else platformdirs.user_log_path(program, appauthor=False)


def log_file(program: str) -> Path:
    return log_folder(program) / f"{program}.log"


def default_level() -> str:
    """BOXOFFICE_LOG_LEVEL when it names a level, else INFO."""
    chosen = os.environ.get("BOXOFFICE_LOG_LEVEL", "").upper()
    return chosen if chosen in LEVELS else "INFO"


def start_logging(program: str, level: str | None = None, log_format: str = "text", console: bool = False) -> Path:
    """Send every logger's records at `level` and above to the program's rotating log file (and to stderr
    with `console`); returns the file. Calling it again replaces the handlers it installed before."""
    if log_format not in FORMATS:
        raise ValueError(f"unknown log format {log_format!r}: choose one of {', '.join(FORMATS)}")
    chosen = (level or default_level()).upper()
    if chosen not in LEVELS:
        raise ValueError(f"unknown log level {level!r}: choose one of {', '.join(LEVELS)}")
    path = log_file(program)
    path.parent.mkdir(parents=True, exist_ok=True)
    formatter = JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")]
    if console:
        handlers.append(logging.StreamHandler(sys.stderr))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "boxoffice_log", False)]:
        root.removeHandler(old)
        old.close()
    for handler in handlers:
        handler.boxoffice_log = True  # type: ignore[attr-defined]
        handler.setFormatter(formatter)
        handler.addFilter(SecretFilter())
        root.addHandler(handler)
    root.setLevel(chosen)
    return path
