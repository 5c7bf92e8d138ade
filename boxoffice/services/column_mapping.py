"""Which CSV column is the email, first name, last name or a custom field, as exports name them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from boxoffice.i18n import _, ngettext

EMAIL, FIRST_NAME, LAST_NAME, IGNORE = "email", "first_name", "last_name", "ignore"
CUSTOM_PREFIX = "custom:"

# Header names normalised by `normalise()`: Excel FR/DE/IT/ES, Outlook EN/FR/DE, Google Contacts.
_SYNONYMS: dict[str, set[str]] = {
    EMAIL: {
        "email", "e mail", "mail", "email address", "e mail address", "e mail 1 value", "email 1 value",
        "courriel", "adresse e mail", "adresse email", "adresse mail", "adresse electronique",
        "adresse de messagerie", "e mail adresse", "email adresse", "e mail adresse 1", "indirizzo email",
        "indirizzo e mail", "posta elettronica", "correo", "correo electronico", "direccion de correo",
        "direccion de correo electronico", "primary email",
    },
    FIRST_NAME: {
        "first name", "firstname", "first", "given name", "prenom", "vorname", "nome", "nombre",
        "forename",
    },
    LAST_NAME: {
        "last name", "lastname", "last", "family name", "surname", "nom", "nom de famille", "nachname",
        "familienname", "cognome", "apellido", "apellidos",
    },
}
# "Name" is the surname next to "Vorname" in German exports, but a full name in Google's.
_SURNAME_IF_FIRST_NAME_PRESENT = {"name"}


def normalise(header: str) -> str:
    folded = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", folded).strip()


def guess_mapping(header: Sequence[str]) -> dict[int, str]:
    """Map each column index to email / first_name / last_name / custom:<header> / ignore."""
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    keys = [normalise(h) for h in header]
    for index, key in enumerate(keys):
        target = next((t for t, names in _SYNONYMS.items() if key in names), None)
        if target and target not in taken:
            mapping[index] = target
            taken.add(target)
    for index, key in enumerate(keys):
        if index in mapping:
            continue
        if key in _SURNAME_IF_FIRST_NAME_PRESENT and FIRST_NAME in taken and LAST_NAME not in taken:
            mapping[index] = LAST_NAME
            taken.add(LAST_NAME)
        elif header[index].strip():
            mapping[index] = CUSTOM_PREFIX + header[index].strip()
        else:
            mapping[index] = IGNORE
    return mapping


class MappingError(ValueError):
    """The mapping cannot be used; the message says which column or field is wrong."""


def check_mapping(mapping: Mapping[int, str], header: Sequence[str]) -> None:
    seen: dict[str, int] = {}
    for index, target in mapping.items():
        if not 0 <= index < len(header):
            raise MappingError(ngettext("Column {n} does not exist: the file has {count} column.",
                                        "Column {n} does not exist: the file has {count} columns.", len(header))
                               .format(n=index + 1, count=len(header)))
        valid = target in (EMAIL, FIRST_NAME, LAST_NAME, IGNORE) or (
            target.startswith(CUSTOM_PREFIX) and target[len(CUSTOM_PREFIX):].strip())
        if not valid:
            raise MappingError(_("Column “{column}”: unknown field “{field}”.")
                               .format(column=header[index], field=target))
        if target != IGNORE and target in seen:
            raise MappingError(_("Columns “{a}” and “{b}” are both mapped to {field}.").format(
                a=header[seen[target]], b=header[index], field=target.removeprefix(CUSTOM_PREFIX)))
        seen[target] = index
    if EMAIL not in seen:
        raise MappingError(_("No column holds the email addresses: choose the email column by hand."))
