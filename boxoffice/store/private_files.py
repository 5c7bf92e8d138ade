"""Files only their owner may read: data directories 0700, SQLite databases and their logs 0600."""

from __future__ import annotations

import os
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600
# SQLite creates a database's -wal and -shm files with the database file's own mode.
SQLITE_SUFFIXES = ("", "-wal", "-shm")


def private_folder(folder: Path, *, tighten: bool = True) -> None:
    """Create `folder` (and missing parents) readable by its owner only.

    With `tighten`, an existing folder loses every other user's access too (the app's own data
    directory); without, only the folders made here are private (a server's --db in a shared place).
    """
    existed = folder.is_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    if tighten or not existed:
        folder.chmod(FOLDER_MODE)  # mkdir's mode goes through the umask, chmod does not


def private_database(path: Path, *, tighten_folder: bool = True) -> None:
    """Make the SQLite file at `path` and its logs 0600 before SQLite opens them.

    A missing database is created empty (SQLite takes an empty file as a new database) with
    0600, so its -wal and -shm get 0600 as well; existing ones made 0644 by older versions are tightened.
    """
    private_folder(path.parent, tighten=tighten_folder)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    for suffix in SQLITE_SUFFIXES:
        part = path.with_name(path.name + suffix)
        if part.exists():
            part.chmod(FILE_MODE)
