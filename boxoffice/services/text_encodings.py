"""Which single-byte code page a spreadsheet's non-UTF-8 export was written in (charset-normalizer, then letters)."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from charset_normalizer import CharsetMatch

# What spreadsheets on Windows, macOS and DOS write for the languages of Europe, Windows-1252 first:
# it is what Excel writes in French, German, Italian and Spanish, and it wins a tie.
CODE_PAGES = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "mac_roman", "cp850",
              "iso8859_15", "iso8859_2")
# charset-normalizer's measure of "mess" (odd symbols, mixed scripts); decodings within this much of the
# cleanest stay candidates. A Russian file read as Windows-1252 scores over 1, Czech read as Latin-2 0.1.
MESS_MARGIN = 0.05
# Above its default 0.2: on a short file the library then finds nothing at all, not even the right page.
MESS_LIMIT = 0.5

# The accented letters of the languages written in those code pages. charset-normalizer alone tells
# Windows-1250 from Windows-1252 no better than a coin on a list of names (it read six Czech and four
# Polish rows as Windows-1252); read in the wrong one, a word mixes letters no one language has (Jiøí).
_ALPHABETS = tuple(frozenset(letters) for letters in (
    "àâæçéèêëîïôœùûüÿ", "äöüß", "àèéìíîòóùú", "áéíñóúü", "áâãàçéêíóôõú", "àçèéíïòóúü", "áéíóúàèëïöüäô",
    "æøåéèêóòô", "åäöé", "åäöšž", "áéíóúýþæöð",  # French to Icelandic
    "áčďéěíňóřšťúůýž", "áäčďéíĺľňóôŕšťúýž", "ąćęłńóśźż", "áéíóöőúüű", "čćđšž", "ăâîșțşţ",  # Czech to Romanian
    "çğıöşüâî", "ąčęėįšųūž", "āčēģīķļņšūž", "äõöüšž",  # Turkish, Lithuanian, Latvian, Estonian
))
# An encoding holds for a whole file: the mess is measured on its first MiB (a 100,000-row file is 8),
# words are read in its first 256 KiB; a byte further on that the page chosen lacks tries the next.
_MESS_SAMPLE, _WORDS_SAMPLE = 1024 * 1024, 256 * 1024
_WORD = re.compile(r"[^\W\d_]*[^\x00-\x7f][^\W\d_]*")
_BYTE_WORD = re.compile(rb"[A-Za-z\x80-\xff]+")  # in a code page a byte past ASCII may be a letter
# Symbols such as ¹ ³ ¿ ¾ standing between two letters: Polish ą ł ż read as Windows-1252.
_SYMBOLS = frozenset("¡¢£¤¥¦§¨©«¬®¯°±²³´¶·¸¹»¼½¾¿ˆ˜‐‑‒–—―‖‗‘’‚‛“”„‟†‡•…‰′″‹›™")
_SYMBOL_IN_WORD = re.compile(rf"(?<=[^\W\d_])[{re.escape(''.join(sorted(_SYMBOLS)))}](?=[^\W\d_])")


def display_name(codec: str) -> str:
    """The name people know a code page by: windows-1250 rather than Python's cp1250."""
    if re.fullmatch(r"cp125\d", codec):
        return "windows-" + codec[2:]
    if codec.startswith("iso8859_"):
        return "iso-8859-" + codec[len("iso8859_"):]
    return codec.replace("_", "-")


def guess_code_page(data: bytes) -> tuple[str, str] | None:
    """(text, Python codec) of the most plausible reading of `data`, or None if no code page reads it:
    of charset-normalizer's cleanest readings, the one with the fewest words no language writes; on a tie
    Windows-1252, else the least messy."""
    from charset_normalizer import from_bytes  # 16 ms to import: not with the Contacts page, on a file's reading

    matches = list(from_bytes(_head(data, _MESS_SAMPLE), cp_isolation=list(CODE_PAGES), threshold=MESS_LIMIT))
    if not matches:
        return None
    cleanest = min(match.chaos for match in matches)
    mess = {codec: match.chaos for match in reversed(matches) if match.chaos <= cleanest + MESS_MARGIN
            for codec in _codecs_of(match)}
    # The distinct words with a byte past ASCII, found once in the bytes: each code page reads only those.
    words = {word for word in set(_BYTE_WORD.findall(_head(data, _WORDS_SAMPLE))) if not word.isascii()}
    for codec in sorted(mess, key=lambda codec: (_misfits("\n".join(w.decode(codec, "replace") for w in words)),
                                                   codec != CODE_PAGES[0], mess[codec], CODE_PAGES.index(codec))):
        with contextlib.suppress(UnicodeDecodeError):  # a byte past the samples that this page lacks
            return data.decode(codec), codec
    return None


def _head(data: bytes, size: int) -> bytes:
    """The first `size` bytes of `data`, to the end of the last whole line in them."""
    return data if len(data) <= size else data[:data.rfind(b"\n", 0, size) + 1 or size]


def _codecs_of(match: CharsetMatch) -> Iterable[str]:
    """The code pages that read the bytes exactly as this match does (charset-normalizer merges them)."""
    return (codec for codec in (match.encoding, *match.could_be_from_charset) if codec in CODE_PAGES)


def _misfits(text: str) -> int:
    """How many distinct words mix letters that no one language has, hold an accented capital inside or
    a symbol between letters: 0 for text read in its own code page."""
    odd = sum(1 for word in set(_WORD.findall(text)) if _capital_inside(word) or not _fits_a_language(word.lower()))
    if set(text).isdisjoint(_SYMBOLS):
        return odd
    return odd + len(set(_SYMBOL_IN_WORD.findall(text)))


def _capital_inside(word: str) -> bool:
    """An accented capital between a letter and a small letter, as "MŸller" is Müller read as Windows-1252."""
    return any(not c.isascii() and c.isupper() and word[i - 1].isalpha() and word[i + 1].islower()
               for i, c in enumerate(word[1:-1], start=1))


def _fits_a_language(word: str) -> bool:
    letters = {c for c in word if not c.isascii() and c.isalpha()}
    latin = {c for c in letters if unicodedata.name(c, "").startswith("LATIN")}
    if not latin:
        return True  # Cyrillic or Greek: charset-normalizer's measure of mess judges those
    return latin == letters and any(latin <= alphabet for alphabet in _ALPHABETS)
