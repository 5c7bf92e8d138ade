"""Read a spreadsheet's CSV export: detect its encoding and delimiter, or say why it is not a CSV."""

from __future__ import annotations

import contextlib
import csv
import gc
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import compress
from pathlib import Path

from boxoffice.i18n import _
from boxoffice.services.text_encodings import display_name, guess_code_page

DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
MAX_FIELD = 100_000
# Text keeps tabs, line ends, form feeds, vertical tabs (FileMaker's line break in a cell) and Ctrl-Z (DOS).
_CONTROL_BYTES = bytes(sorted(set(range(32)) - set(b"\t\n\r\f\v\x1a")))


class CsvFileError(ValueError):
    """The file cannot be read as a CSV; the message names the file and the problem."""


# (row, line, cells): row 1 is the first data row after the header; line is the physical line
# where the record starts (header = line 1).
CsvRecord = tuple[int, int, list[str]]


@dataclass(frozen=True)
class CsvFile:
    """A file's data rows as parsed, with the line each starts on (`rows[i]` is row i + 1).

    Kept as two flat lists rather than one tuple per record: a 100,000-row import then
    builds no per-row objects beyond what the csv module returns.
    """

    name: str
    encoding: str
    delimiter: str
    header: list[str]
    rows: list[list[str]]
    lines: Sequence[int]
    nul_rows: frozenset[int] = frozenset()  # indexes into rows of those holding a NUL character

    @property
    def records(self) -> list[CsvRecord]:
        return list(zip(range(1, len(self.rows) + 1), self.lines, self.rows, strict=True))


def read_csv_file(path: Path) -> CsvFile:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CsvFileError(_("Cannot read {file}: {error}").format(file=path, error=exc.strerror)) from exc
    return parse_csv(data, path.name)


def parse_csv(data: bytes, name: str) -> CsvFile:
    text, encoding = decode(data, name)
    delimiter = detect_delimiter(text)
    with paused_gc():
        starts, rows = _split(text, delimiter, name)
        kept = list(map(any, rows))  # blank lines and rows of empty cells (";;;" from Excel) are skipped
        if not all(kept):
            starts, rows = list(compress(starts, kept)), list(compress(rows, kept))
        if not rows:
            raise CsvFileError(_("{file} is empty: it has no header line and no rows.").format(file=name))
        header = [c.strip() for c in rows[0]]
        if "\x00" in text and any("\x00" in cell for cell in header):
            raise CsvFileError(_("{file}, line {line}: the header holds a NUL character, as binary data does.")
                               .format(file=name, line=starts[0]))
        return CsvFile(name, encoding, delimiter, header, rows[1:], starts[1:], _nul_rows(text, rows[1:]))


def _nul_rows(text: str, rows: list[list[str]]) -> frozenset[int]:
    """The rows with a NUL character in a cell: a stray byte that spoils one row, not the file."""
    if "\x00" not in text:
        return frozenset()
    return frozenset(index for index, cells in enumerate(rows) if any("\x00" in cell for cell in cells))


def _split(text: str, delimiter: str, name: str) -> tuple[Sequence[int], list[list[str]]]:
    """Every record's cells and the physical line where it starts (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        rows = list(reader)
        if reader.line_num == len(rows):  # one line per record, the common case
            return range(1, len(rows) + 1), rows
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
        starts: list[int] = []
        rows = []
        line = 1
        for cells in reader:
            starts.append(line)
            rows.append(cells)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise CsvFileError(_("{file}, line {line}: {error}").format(file=name, line=reader.line_num, error=exc)
                           ) from exc
    return starts, rows


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold off the cyclic garbage collector while building many small containers.

    100,000 rows of cells trigger dozens of full collections that find nothing to free (the
    objects are all alive): pausing the collector more than halves the time to read a large file.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # Re-enabled as is, the collector would walk every object made meanwhile at the next
            # allocation (25 ms for a 100,000-row file) to find them all alive. Freezing then
            # unfreezing moves them straight to the oldest generation; they are freed by reference
            # counting like any acyclic data. Not done if someone else froze objects on purpose.
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding): UTF-8 with or without BOM, UTF-16 with BOM, else the code page that
    reads it best (text_encodings.guess_code_page), such as windows-1252 or windows-1250."""
    if data.startswith(b"PK\x03\x04"):
        raise CsvFileError(_("{file} is a spreadsheet workbook (.xlsx or .ods), not a CSV file: "
                             "save it as CSV from your spreadsheet first.").format(file=name))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise CsvFileError(_("{file} starts like UTF-16 but is damaged at byte {pos}.")
                               .format(file=name, pos=exc.start)) from exc
    if _looks_binary(data[:65536]):
        raise CsvFileError(_("{file} is not a CSV text file: it contains binary data.").format(file=name))
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_strict(data, "utf-8-sig", name), "utf-8-sig"
    with contextlib.suppress(UnicodeDecodeError):  # not UTF-8: one of the code pages spreadsheets write
        return data.decode("utf-8"), "utf-8"
    guessed = guess_code_page(data)
    if guessed is None:
        raise CsvFileError(_("{file} is not text in any encoding a spreadsheet writes: save it again as "
                             "CSV UTF-8.").format(file=name))
    text, codec = guessed
    return text, display_name(codec)


def _looks_binary(sample: bytes) -> bool:
    """Control bytes all through the sample, as pictures, workbooks and programs have; a text file may
    hold a stray one (a NUL pasted into a cell), which parse_csv reports with its row."""
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > max(8, len(sample) // 100)


def _decode_strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvFileError(_("{file}, line {line}: the text is not valid {encoding}.")
                           .format(file=name, line=line, encoding=encoding)) from exc


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent number of columns."""
    sample = text[:65536]
    if len(sample) == len(text):
        lines = sample.splitlines()
    else:
        lines = sample.splitlines()[:-1]  # the last line of a cut sample may be partial
    lines = [ln for ln in lines[:50] if ln.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(r) for r in csv.reader(lines, delimiter=delimiter)]
        if not widths or widths[0] < 2:
            continue
        consistent = sum(1 for w in widths if w == widths[0])
        score = (consistent, widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best
