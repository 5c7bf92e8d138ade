"""Reading CSV exports: encodings, delimiters, line numbers, and files that are not CSV."""

from __future__ import annotations

import gc
import random
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from boxoffice.services.csv_files import CsvFileError, parse_csv, paused_gc, read_csv_file
from tests.boxoffice.services import csv_samples


class TestEncodingAndDelimiter:
    @pytest.mark.parametrize(("sample", "encoding", "delimiter"), [
        (csv_samples.excel_fr, "windows-1252", ";"),
        (csv_samples.excel_de, "windows-1252", ";"),
        (csv_samples.outlook, "utf-8", ","),
        (csv_samples.google, "utf-8", ","),
        (csv_samples.utf8_bom_comma, "utf-8-sig", ","),
        (csv_samples.utf16_tab, "utf-16", "\t"),
    ])
    def test_each_export_style_is_read_with_its_encoding_and_delimiter(self, sample, encoding, delimiter):
        csv_file = parse_csv(sample(), "people.csv")
        assert (csv_file.encoding, csv_file.delimiter) == (encoding, delimiter)
        assert len(csv_file.records) == 3
        names = "".join("".join(cells) for _row, _line, cells in csv_file.records)
        assert "Léa" in names and "Müller" in names

    @pytest.mark.parametrize(("text", "encoding"), [
        (csv_samples.CZECH, "windows-1250"), (csv_samples.POLISH, "windows-1250"),
        (csv_samples.SPANISH, "windows-1252"), (csv_samples.ITALIAN, "windows-1252"),
        (csv_samples.MIXED_SWISS, "windows-1252"), (csv_samples.MIXED_SWISS, "mac-roman"),
        (csv_samples.MIXED_SWISS, "cp850"),
        (csv_samples.RUSSIAN, "windows-1251"), (csv_samples.CZECH, "iso-8859-2"),
        (csv_samples.SPANISH, "mac-roman"),
    ])
    def test_a_file_in_a_code_page_comes_out_as_written(self, tmp_path: Path, text: str, encoding: str):
        path = tmp_path / "guests.csv"
        path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
        csv_file = read_csv_file(path)
        assert csv_file.encoding == encoding
        assert [";".join(cells) for cells in [csv_file.header, *csv_file.rows]] == text.splitlines()

    def test_a_comma_inside_semicolon_separated_values_does_not_fool_detection(self):
        data = "Nom;Prénom;Email\nDupont, fils;Jean;j@example.ch\nMartin;Ève, Marie;e@example.ch\n".encode()
        assert parse_csv(data, "x.csv").delimiter == ";"


class TestLinesAndRows:
    def test_quoted_multiline_cells_keep_the_starting_line_of_each_record(self):
        data = b'email,notes\na@example.ch,"two\nlines"\nb@example.ch,one\n'
        records = parse_csv(data, "x.csv").records
        assert [(row, line) for row, line, _cells in records] == [(1, 2), (2, 4)]

    def test_blank_lines_and_empty_rows_are_skipped(self):
        data = b"email;name\n\na@example.ch;A\n;\n\nb@example.ch;B\n"
        records = parse_csv(data, "x.csv").records
        assert [cells[0] for _row, _line, cells in records] == ["a@example.ch", "b@example.ch"]
        assert [line for _row, line, _cells in records] == [3, 6]

    def test_multiline_cells_and_blank_lines_together_keep_every_starting_line(self):
        data = (b'email;notes\r\n\r\na@example.ch;"one\r\ntwo"\r\n;\r\nb@example.ch;x\r\n'
                b'c@example.ch;"3\n4\n5"\r\nd@example.ch;y')
        csv_file = parse_csv(data, "x.csv")
        assert [(row, line, cells[0]) for row, line, cells in csv_file.records] == [
            (1, 3, "a@example.ch"), (2, 6, "b@example.ch"), (3, 7, "c@example.ch"), (4, 10, "d@example.ch")]
        assert csv_file.rows[2] == ["c@example.ch", "3\n4\n5"]

    def test_a_cell_beyond_the_csv_field_limit_is_refused_with_its_line(self):
        data = b"email;notes\na@example.ch;short\nb@example.ch;" + b"x" * 200_000 + b"\n"
        with pytest.raises(CsvFileError, match=r"huge\.csv, line 3: field larger than field limit"):
            parse_csv(data, "huge.csv")


class TestStrayNul:
    def test_a_nul_in_one_cell_marks_that_row_and_keeps_the_others(self, tmp_path: Path):
        path = tmp_path / "guests.csv"
        path.write_bytes("email;name\na@example.ch;Léa\nb@example.ch;Jü\x00rg\nc@example.ch;Zoé\n".encode("cp1252"))
        csv_file = read_csv_file(path)
        assert csv_file.encoding == "windows-1252" and len(csv_file.rows) == 3
        assert csv_file.nul_rows == {1} and csv_file.lines[1] == 3

    def test_line_breaks_inside_cells_as_filemaker_writes_them_are_text(self):
        rows = "".join(f"g{i}@example.ch;Line one\vline two\n" for i in range(200))
        csv_file = parse_csv(("email;notes\n" + rows).encode(), "filemaker.csv")
        assert len(csv_file.rows) == 200 and csv_file.rows[0][1] == "Line one\vline two"

    def test_a_nul_in_the_header_refuses_the_file_naming_the_line(self):
        with pytest.raises(CsvFileError, match=r"x\.csv, line 1: the header holds a NUL"):
            parse_csv(b"email;na\x00me\na@example.ch;A\n", "x.csv")


class TestNotACsv:
    def test_a_real_workbook_is_refused_with_advice(self, tmp_path: Path):
        path = tmp_path / "guests.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
            book.writestr("[Content_Types].xml", "<Types/>")
            book.writestr("xl/worksheets/sheet1.xml", "<worksheet>" + "<row/>" * 500 + "</worksheet>")
        with pytest.raises(CsvFileError, match=r"guests\.xlsx is a spreadsheet workbook"):
            read_csv_file(path)

    def test_a_real_picture_is_refused_as_binary(self, tmp_path: Path):
        path = tmp_path / "photo.csv"
        Image.frombytes("L", (64, 64), random.Random(7).randbytes(64 * 64)).save(path, "PNG")
        with pytest.raises(CsvFileError, match=r"photo\.csv is not a CSV text file: it contains binary data"):
            read_csv_file(path)


    def test_a_png_is_refused_with_a_clear_message(self, tmp_path: Path):
        path = tmp_path / "photo.csv"
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
        with pytest.raises(CsvFileError, match=r"photo\.csv is not a CSV text file"):
            read_csv_file(path)

    def test_an_excel_workbook_is_refused_with_advice(self):
        with pytest.raises(CsvFileError, match="save it as CSV"):
            parse_csv(b"PK\x03\x04" + bytes(100), "guests.xlsx")

    def test_bytes_no_code_page_reads_as_text_are_refused_not_turned_into_garbage(self, tmp_path: Path):
        noise = random.Random(3)
        rows = [b"a@example.ch;" + bytes(noise.randrange(0x80, 0x100) for _ in range(12)) for _ in range(50)]
        path = tmp_path / "scrambled.csv"
        path.write_bytes(b"email;name\n" + b"\n".join(rows))
        with pytest.raises(CsvFileError, match=r"scrambled\.csv is not text in any encoding a spreadsheet writes"):
            read_csv_file(path)

    def test_an_empty_file_is_refused(self):
        with pytest.raises(CsvFileError, match="empty"):
            parse_csv(b"\n\n", "empty.csv")

    def test_a_missing_file_names_the_file(self, tmp_path: Path):
        with pytest.raises(CsvFileError, match=r"nothing\.csv"):
            read_csv_file(tmp_path / "nothing.csv")


class TestPausedCollector:
    def test_the_collector_is_back_on_afterwards_without_a_pending_walk_over_the_new_objects(self):
        assert gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
            rows = [[str(i)] for i in range(50_000)]
        assert gc.isenabled() and gc.get_count()[0] < 1_000 and len(rows) == 50_000

    def test_a_collector_switched_off_by_the_caller_stays_off_even_after_an_error(self):
        gc.disable()
        try:
            with pytest.raises(CsvFileError), paused_gc():
                parse_csv(b"", "empty.csv")
            assert not gc.isenabled()
        finally:
            gc.enable()
