"""The `boxoffice` command run as a real process: contacts import/export, lists, merge, demo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.boxoffice.services import csv_samples


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "boxoffice", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, timeout=120)


class TestContactsCommands:
    def test_import_prints_the_report_as_one_json_object(self, tmp_path: Path):
        source = tmp_path / "guests.csv"
        source.write_bytes(csv_samples.excel_fr() + "Bad;Row;nope\r\nFavre;Léa;LEA.favre@example.ch\r\n"
                           .encode("windows-1252"))
        result = run(tmp_path / "d", "contacts", "import", str(source), "--list", "Gala", "--json")
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert {k: report[k] for k in ("rows", "imported", "encoding", "delimiter")} == {
            "rows": 5, "imported": 3, "encoding": "windows-1252", "delimiter": ";"}
        assert report["invalid"] == [{"row": 4, "line": 5, "reason": "“nope” is not a valid email address"}]
        assert report["duplicates"][0]["row"] == 5 and report["duplicates"][0]["email"] == "LEA.favre@example.ch"

    def test_dry_run_counts_what_would_be_imported_and_writes_nothing(self, tmp_path: Path):
        source = tmp_path / "guests.csv"
        source.write_bytes(csv_samples.google())
        result = run(tmp_path / "d", "contacts", "import", str(source), "--list", "Gala", "--dry-run", "--json")
        assert json.loads(result.stdout)["imported"] == 3
        lists = json.loads(run(tmp_path / "d", "lists", "--json").stdout)
        assert lists == {"lists": []}

    def test_a_file_that_is_not_a_csv_fails_clearly_and_writes_nothing(self, tmp_path: Path):
        source = tmp_path / "logo.csv"
        source.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
        result = run(tmp_path / "d", "contacts", "import", str(source), "--list", "Gala", "--json")
        assert result.returncode == 1
        assert "logo.csv is not a CSV text file" in result.stderr
        assert json.loads(run(tmp_path / "d", "lists", "--json").stdout) == {"lists": []}

    def test_export_then_merge_lists(self, tmp_path: Path):
        data = tmp_path / "d"
        a, b = tmp_path / "a.csv", tmp_path / "b.csv"
        a.write_text("email,first name\nann@example.ch,Ann\n", encoding="utf-8")
        b.write_text("email,first name\nann@example.ch,Anne\nbob@example.ch,Bob\n", encoding="utf-8")
        run(data, "contacts", "import", str(a), "--list", "Friends")
        run(data, "contacts", "import", str(b), "--list", "Gala")
        preview = json.loads(run(data, "lists", "merge", "Friends", "Gala", "--dry-run", "--json").stdout)
        assert (preview["added"], preview["duplicates"]) == (["bob@example.ch"], ["ann@example.ch"])
        assert preview["conflicts"][0]["field"] == "first_name"
        merged = run(data, "lists", "merge", "Friends", "Gala", "--json")
        assert merged.returncode == 0, merged.stderr
        lists = {x["name"]: x for x in json.loads(run(data, "lists", "--json").stdout)["lists"]}
        assert (lists["Friends"]["contacts"], lists["Gala"]["archived"]) == (2, True)
        out = tmp_path / "friends.csv"
        assert run(data, "contacts", "export", "--list", "Friends", "-o", str(out)).returncode == 0
        assert "bob@example.ch" in out.read_text(encoding="utf-8-sig")

    def test_an_unknown_list_is_named_in_the_error(self, tmp_path: Path):
        result = run(tmp_path / "d", "contacts", "export", "--list", "Nope", "-o", str(tmp_path / "x.csv"))
        assert result.returncode == 1 and "There is no contact list named “Nope”" in result.stderr


class TestDemo:
    def test_demo_fills_a_data_directory_once(self, tmp_path: Path):
        first = json.loads(run(tmp_path / "d", "demo", "--tickets", "300", "--json").stdout)
        assert first == {"created": True, "events": 4, "dates": 6, "tickets": 300, "contacts": 200}
        again = json.loads(run(tmp_path / "d", "demo", "--json").stdout)
        assert again == {"created": False}
        lists = json.loads(run(tmp_path / "d", "lists", "--json").stdout)["lists"]
        assert lists[0]["contacts"] == 200

    def test_version_works_without_a_data_directory(self, tmp_path: Path):
        result = run(tmp_path / "d", "--version")
        assert result.returncode == 0 and result.stdout.startswith("boxoffice ")
