"""Developer tool: refresh the catalogs from the sources and fill in translations given as JSON.

    python scripts/translations.py missing            # extract + update, then list untranslated msgids
    python scripts/translations.py add FILE.json      # extract + update, then apply FILE's translations

FILE.json is a list of {"msgid": "...", "plural": "..." (optional), "fr": ..., "de": ..., "it": ..., "es": ...};
for a plural entry each language gives a list of forms. The whole run holds a lock on the catalogs, so
several people (or helpers) can add strings at once without overwriting each other's entries.
"""

from __future__ import annotations

import fcntl
import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "resources" / "locale"
LANGUAGES = ["fr", "de", "it", "es"]
PYBABEL = str(Path(sys.executable).with_name("pybabel"))


def _refresh() -> None:
    pot = LOCALE / "boxoffice.pot"
    subprocess.run([PYBABEL, "-q", "extract", "-F", str(LOCALE / "babel.cfg"), "-k", "_", "-k", "N_",
                    "-k", "ngettext:1,2", "-k", "dgettext:2", "--no-location", "--sort-output",
                    "-o", str(pot), "."], cwd=ROOT, check=True)
    subprocess.run([PYBABEL, "-q", "update", "-i", str(pot), "-d", str(LOCALE), "-D", "boxoffice",
                    "--no-fuzzy-matching"], cwd=ROOT, check=True)


def _po(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "boxoffice.po"


def _missing() -> dict[str, list[str]]:
    missing: dict[str, list[str]] = {}
    for language in LANGUAGES:
        with _po(language).open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
            if not all(strings):
                key = message.id[0] if isinstance(message.id, tuple | list) else message.id
                missing.setdefault(key, []).append(language)
    return missing


def _apply(entries: list[dict[str, object]]) -> int:
    applied = 0
    for language in LANGUAGES:
        with _po(language).open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for entry in entries:
            msgid = str(entry["msgid"])
            key: str | tuple[str, str] = (msgid, str(entry["plural"])) if "plural" in entry else msgid
            message = catalog.get(key if isinstance(key, str) else key[0])
            if message is None or language not in entry:
                continue
            value = entry[language]
            message.string = tuple(value) if isinstance(value, list) else str(value)  # type: ignore[assignment]
            applied += 1
        with _po(language).open("wb") as handle:
            write_po(handle, catalog)
    return applied


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"missing", "add"} or (argv[0] == "add" and len(argv) != 2):
        print(__doc__)
        return 2
    with (LOCALE / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _refresh()
        if argv[0] == "add":
            entries = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
            print(f"applied {_apply(entries)} translations")
        missing = _missing()
    for msgid, languages in sorted(missing.items()):
        print(f"missing {','.join(languages)}: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
