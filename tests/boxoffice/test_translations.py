"""Every user-visible string has a translation in every shipped language, and the translations are used.

The messages are extracted from the sources the way the README's `pybabel extract` does (same babel.cfg,
same keywords), so a string added without translations fails here, listing the missing msgids per language.
After adding strings: run the README's extract and update, then translate the new entries of each `.po`.
"""

from __future__ import annotations

import re
import shutil
import string
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from boxoffice import i18n

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "resources" / "locale"
SHIPPED = ["fr", "de", "it", "es"]
# The keywords of the README's extract command: -k _ -k N_ -k ngettext:1,2 -k dgettext:2.
KEYWORDS = {**DEFAULT_KEYWORDS, "_": None, "N_": None, "ngettext": (1, 2), "dgettext": (2,)}
PLURAL_EXPRESSIONS = {"fr": "(n > 1)", "de": "(n != 1)", "it": "(n != 1)", "es": "(n != 1)"}

Msgid = str | tuple[str, ...]


@pytest.fixture(scope="module")
def extracted() -> dict[str, Msgid]:
    """The msgids the sources use now, keyed by singular, with the first place each is used."""
    with (LOCALE / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    messages: dict[str, Msgid] = {}
    places: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = tuple(message) if isinstance(message, list | tuple) else message
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        if not key:
            continue
        messages.setdefault(key, msgid)
        places.setdefault(key, f"{filename}:{lineno}")
    assert len(messages) > 100, "extraction found almost nothing: is babel.cfg still right?"
    # printing and scanning translate through a local `_` over dgettext: make sure they are picked up.
    assert any(place.startswith("printing/") for place in places.values())
    assert any(place.startswith("scanning/") for place in places.values())
    return messages


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Catalog]:
    loaded = {}
    for language in SHIPPED:
        path = LOCALE / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
        assert path.exists(), f"{path} is missing: create it with pybabel init (see README, Translations)"
        with path.open("rb") as handle:
            loaded[language] = read_po(handle, locale=language)
    return loaded


def _forms(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _placeholders(text: str) -> Counter[str]:
    """`{name}`, `{value!r}`, `{seconds:.1f}`… exactly as written (escaped `{{ }}` are not placeholders)."""
    found: Counter[str] = Counter()
    for _literal, field, spec, conversion in string.Formatter().parse(text):
        if field is not None:
            found["{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"] += 1
    return found


def _shape(text: str) -> tuple[int, int, bool, bool, bool]:
    """What a translation must keep: Qt accelerators (`&X`, not `&&`), line breaks, edge spaces, a final "…"."""
    return (len(re.findall(r"(?<!&)&(?!&)", text)), text.count("\n"), text[:1].isspace(), text[-1:].isspace(),
            text.endswith("…"))


def _described(missing: list[Msgid]) -> str:
    return "\n".join(f"  {msgid!r}" for msgid in missing)


def test_shipped_languages_are_the_apps() -> None:
    assert set(SHIPPED) == set(i18n.LANGUAGES) - {"en"}


@pytest.mark.parametrize("language", SHIPPED)
def test_plural_forms_header(catalogs: dict[str, Catalog], language: str) -> None:
    catalog = catalogs[language]
    assert catalog.num_plurals == 2
    assert catalog.plural_expr == PLURAL_EXPRESSIONS[language]


@pytest.mark.parametrize("language", SHIPPED)
def test_every_message_is_translated(extracted: dict[str, Msgid], catalogs: dict[str, Catalog], language: str) -> None:
    catalog = catalogs[language]
    missing: list[Msgid] = []
    for key, msgid in sorted(extracted.items()):
        entry = catalog.get(key)
        forms = _forms(entry.string) if entry is not None else ()
        wanted = catalog.num_plurals if isinstance(msgid, tuple) else 1
        if (
            entry is None
            or entry.fuzzy  # gettext ignores fuzzy entries: they are not translations yet
            or isinstance(msgid, tuple) != isinstance(entry.id, tuple)
            or (isinstance(msgid, tuple) and tuple(entry.id) != msgid)
            or len(forms) != wanted
            or not all(form.strip() for form in forms)
        ):
            missing.append(msgid)
    assert not missing, (
        f"{len(missing)} message(s) have no {language} translation in "
        f"resources/locale/{language}/LC_MESSAGES/{i18n.DOMAIN}.po (run the README's pybabel extract and "
        f"update, then translate them):\n{_described(missing)}"
    )


@pytest.mark.parametrize("language", SHIPPED)
def test_translations_keep_the_placeholders(catalogs: dict[str, Catalog], language: str) -> None:
    wrong = []
    for entry in catalogs[language]:
        if not entry.id or entry.fuzzy:
            continue
        sources = _forms(entry.id)
        for index, form in enumerate(_forms(entry.string)):
            if not form:
                continue
            # A plural form is checked against the msgid_plural; a singular form against the msgid.
            source = sources[min(index, len(sources) - 1)] if len(sources) > 1 and index > 0 else sources[0]
            try:
                got = _placeholders(form)
            except ValueError as error:
                wrong.append(f"  {entry.id!r} -> {form!r}: {error}")
                continue
            expected = _placeholders(source)
            if got != expected:
                wrong.append(f"  {entry.id!r} -> {form!r}: has {sorted(got)}, wants {sorted(expected)}")
    assert not wrong, f"{language} translations whose placeholders differ from the msgid:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", SHIPPED)
def test_translations_keep_accelerators_line_breaks_and_ellipses(catalogs: dict[str, Catalog], language: str) -> None:
    wrong = []
    for entry in catalogs[language]:
        if not entry.id or entry.fuzzy:
            continue
        sources = _forms(entry.id)
        for index, form in enumerate(_forms(entry.string)):
            source = sources[min(index, len(sources) - 1)]
            if form and _shape(form) != _shape(source):
                wrong.append(f"  {source!r} -> {form!r}")
    assert not wrong, (
        f"{language} translations that lost (or gained) an &accelerator, a line break, an edge space or a "
        "final “…”:\n" + "\n".join(wrong)
    )


def test_set_language_translates_boxoffice_strings(catalogs: dict[str, Catalog]) -> None:
    french = catalogs["fr"]
    settings = french.get("Settings")
    assert settings is not None and settings.string and settings.string != "Settings"
    i18n.set_language("fr")
    assert i18n._("Settings") == settings.string
    # French takes the singular for 0 and 1 (Plural-Forms: n > 1).
    waiting = french.get("{n} change waiting")
    assert waiting is not None
    singular, plural = _forms(waiting.string)
    assert i18n.ngettext("{n} change waiting", "{n} changes waiting", 0) == singular
    assert i18n.ngettext("{n} change waiting", "{n} changes waiting", 1) == singular
    assert i18n.ngettext("{n} change waiting", "{n} changes waiting", 2) == plural
    i18n.set_language("de")
    assert i18n._("Settings") == catalogs["de"].get("Settings").string
    i18n.set_language("en")
    assert i18n._("Settings") == "Settings"


def test_printing_and_scanning_translate_through_the_compiled_catalogs(
    catalogs: dict[str, Catalog], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """printing and scanning use gettext.dgettext, which reads only the `.mo` files compile_all writes."""
    from printing.errors import _ as printing_gettext
    from scanning.errors import _ as scanning_gettext

    # Compile a copy of the catalogs so the test does not write into the source tree.
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE, locale, ignore=shutil.ignore_patterns("*.mo", "*.pot"))
    monkeypatch.setattr(i18n, "locale_dir", lambda: locale)
    monkeypatch.setenv("LANGUAGE", "en")  # set_language changes it; restored after the test
    written = i18n.compile_all()
    assert {path.parent.parent.name for path in written} >= set(SHIPPED)

    printer_missing = "There is no printer named {name}."
    no_scanner = "No HID-POS barcode scanner is connected."
    for language in ("fr", "it"):
        i18n.set_language(language)
        assert printing_gettext(printer_missing) == catalogs[language].get(printer_missing).string != printer_missing
        assert scanning_gettext(no_scanner) == catalogs[language].get(no_scanner).string != no_scanner
    i18n.set_language("en")
    assert printing_gettext(printer_missing) == printer_missing


# A count placeholder: `{n}`, `{count}` (with any format spec), `%(n)s`, `%(count)d` or a bare `%d`.
COUNT_PLACEHOLDER = re.compile(r"\{(?:n|count)(?:[!:][^}]*)?\}|%\((?:n|count)\)[sd]|%d")
# Singular messages whose number is not a quantity of something, so no plural form exists for it.
NOT_A_QUANTITY = {
    "Camera {n}": "a camera's number, as in a list of cameras",
    "Companion {n}": "the n-th companion field",
    "Page {n}": "a page number",
    "Scan {n}": "the n-th scan in a list",
    "Step {n} of {count}: {title}": "a step number",
    "Step {n} of {total}: {name}": "a step number",
    "No camera number {n} is connected.": "a camera's number",
    "line {n}: write Option=Choice": "a line number",
    "Printing {n} of {total}: {label}": "the n-th card being printed",
    "The percentage refunded must be between 0 and 100, not {n}.": "a percentage",
    "The photo is too large: at most {n} MB.": "a unit of size, not counted things",
}


def test_every_counted_message_goes_through_ngettext(extracted: dict[str, Msgid]) -> None:
    """"1 tickets" cannot happen: a message that shows how many of something has singular and plural forms."""
    singular_counts = sorted(
        key for key, msgid in extracted.items()
        if isinstance(msgid, str) and COUNT_PLACEHOLDER.search(msgid) and key not in NOT_A_QUANTITY
    )
    assert singular_counts == [], "use ngettext for these (or list them in NOT_A_QUANTITY with the reason):\n" + \
        "\n".join(singular_counts)


def test_numbers_that_are_not_quantities_are_still_used() -> None:
    """The exceptions above stay true: each is a message the sources still use."""
    with (LOCALE / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    used = {message for _f, _l, message, _c, _x in extract_from_dir(str(ROOT), method_map, options_map,
                                                                   keywords=KEYWORDS) if isinstance(message, str)}
    assert set(NOT_A_QUANTITY) - used == set()
