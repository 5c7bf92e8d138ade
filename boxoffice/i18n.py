"""Translations: gettext catalogs from resources/locale for every user-visible string.

Catalogs are `.po` files (the only form committed); the `.mo` files gettext reads are
compiled from them by `python -m boxoffice.i18n compile` (make does it) or, when missing or
older than their `.po`, in memory at start-up. Packages that must not import boxoffice
(printing, scanning) use the same domain through the standard `gettext.dgettext`.
"""

from __future__ import annotations

import gettext
import io
import locale
import os
import sys
from pathlib import Path

DOMAIN = "boxoffice"
LANGUAGES = {"en": "English", "fr": "Français", "de": "Deutsch", "it": "Italiano", "es": "Español"}


def locale_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # inside a PyInstaller bundle
    root = Path(bundle) if bundle else Path(__file__).resolve().parent.parent
    return root / "resources" / "locale"


_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def _(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


def current_language() -> str:
    return _language


def system_language() -> str:
    code = (locale.getlocale()[0] or os.environ.get("LANG", "en"))[:2].lower()
    return code if code in LANGUAGES else "en"


def set_language(language: str) -> None:
    """Switch every later translation (boxoffice's `_` and the shared gettext domain)."""
    global _current, _language
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; choose one of {', '.join(LANGUAGES)}")
    _language = language
    _current = catalog(language)
    # printing and scanning call gettext.dgettext(DOMAIN, ...): point it at the same catalogs.
    os.environ["LANGUAGE"] = language
    gettext.bindtextdomain(DOMAIN, str(locale_dir()))


def catalog(language: str) -> gettext.NullTranslations:
    """The translations of one language, whatever the current one is (e-mails and pages in a guest's)."""
    if language == "en":
        return gettext.NullTranslations()
    po = locale_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if not po.exists():
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(_compile(po)))


def _compile(po: Path) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def compile_all() -> list[Path]:
    """Write a `.mo` beside every `.po` (used by make and packaging)."""
    written = []
    for po in sorted(locale_dir().glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(_compile(po))
        written.append(mo)
    return written


if __name__ == "__main__":
    if sys.argv[1:] == ["compile"]:
        for path in compile_all():
            print(path)
    else:
        sys.exit("usage: python -m boxoffice.i18n compile")
