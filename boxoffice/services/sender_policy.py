"""Sender address policy (G4): send as the organizer only where SPF allows us, else no-reply."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from boxoffice.i18n import _

# The SPF include of our sending service and the replacement sender (server-side settings later).
OUR_SPF_INCLUDE = "spf.boxoffice.app"
NO_REPLY_ADDRESS = "no-reply@boxoffice.app"

# Mailbox providers whose SPF no customer can change: exact domains and "name.*" families.
GENERIC_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com",
    "protonmail.ch", "bluewin.ch", "sunrise.ch", "hispeed.ch", "gmx.ch", "gmx.net", "gmx.de", "gmx.at",
    "web.de", "t-online.de", "orange.fr", "free.fr", "laposte.net", "sfr.fr", "wanadoo.fr", "libero.it",
    "virgilio.it", "mail.com", "yandex.com", "zoho.com", "ik.me", "kolabnow.com",
})
# outlook.fr, hotmail.co.uk, yahoo.com.br…: the provider's name on a public suffix, not a subdomain of yours.
GENERIC_FAMILIES = re.compile(r"^(outlook|hotmail|live|msn|windowslive|yahoo|ymail|gmx|aim)"
                              r"\.(com|net|[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})$")

Resolver = Callable[[str], list[str]]
"""domain -> its TXT strings; raises LookupError when the answer cannot be had (offline, timeout)."""

Decision = Literal["own", "no_reply", "deferred"]
_SPF_END = re.compile(r"\s+([-~?+]?all)\s*$", re.IGNORECASE)


def offline_resolver(domain: str) -> list[str]:
    """The default without a DNS library: every lookup is deferred to the server."""
    raise LookupError(_("No DNS lookup is available on this device."))


@dataclass(frozen=True)
class SenderDecision:
    """What the From and Reply-To of the invitations will be, and why, in plain words."""

    decision: Decision
    from_address: str
    reply_to: str
    message: str
    current_spf: str = ""
    spf_to_add: str = ""

    def as_json(self) -> dict[str, str]:
        return {"decision": self.decision, "from": self.from_address, "reply_to": self.reply_to,
                "current_spf": self.current_spf, "spf_to_add": self.spf_to_add, "message": self.message}


def domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower().rstrip(".")


def is_generic(domain: str) -> bool:
    return domain in GENERIC_DOMAINS or GENERIC_FAMILIES.match(domain) is not None


def spf_record(txt: list[str]) -> str:
    """The domain's SPF record among its TXT strings, or "" when it has none."""
    return next((t.strip() for t in txt if t.strip().lower().startswith("v=spf1")), "")


def includes_us(record: str, include: str = OUR_SPF_INCLUDE) -> bool:
    return f"include:{include}".lower() in record.lower().split()


def merged_spf(record: str, include: str = OUR_SPF_INCLUDE) -> str:
    """The record to publish: the existing one with our include before its final `all`, never replaced."""
    if not record:
        return f"v=spf1 include:{include} -all"
    if includes_us(record, include):
        return record
    end = _SPF_END.search(record)
    if end is None:
        return f"{record} include:{include}"
    return f"{record[:end.start()]} include:{include} {end.group(1)}"


def decide_sender(email: str, resolver: Resolver = offline_resolver, include: str = OUR_SPF_INCLUDE,
                  no_reply: str = NO_REPLY_ADDRESS) -> SenderDecision:
    """Decide the From for `email`; the lookup may block, so call it off the UI thread."""
    domain = domain_of(email)
    if is_generic(domain):
        return SenderDecision("no_reply", no_reply, email, _(
            "{domain} is a public mailbox provider: invitations will come from {no_reply}, "
            "and replies will go to {email}.").format(domain=domain, no_reply=no_reply, email=email))
    try:
        current = spf_record(resolver(domain))
    except LookupError:
        return SenderDecision("deferred", email, email, _(
            "The SPF record of {domain} could not be checked now (offline?). It will be checked before "
            "sending; if it does not allow us, invitations will come from {no_reply}.").format(
            domain=domain, no_reply=no_reply), spf_to_add=merged_spf("", include))
    if includes_us(current, include):
        return SenderDecision("own", email, email, _("{domain} allows us to send in its name.").format(
            domain=domain), current_spf=current, spf_to_add=current)
    return SenderDecision("no_reply", no_reply, email, _(
        "The SPF record of {domain} does not allow us to send in its name: invitations will come from "
        "{no_reply}, and replies will go to {email}. To send as {email}, publish this SPF record:").format(
        domain=domain, no_reply=no_reply, email=email), current_spf=current, spf_to_add=merged_spf(current, include))


DkimSource = Callable[[str], dict[str, str]]
"""domain -> the DKIM record the server signs with ({"name", "value"}); raises on failure (offline, refused)."""
_KEY_VALUE = re.compile(r"\bp=([A-Za-z0-9+/=\s]*)")


@dataclass(frozen=True)
class DkimAdvice:
    """The DKIM record to publish for the sender's domain, and whether DNS already has it."""

    name: str
    value: str
    published: bool | None
    message: str

    def as_json(self) -> dict[str, str]:
        return {"dkim_name": self.name, "dkim_value": self.value, "dkim_message": self.message,
                "dkim_published": "" if self.published is None else str(self.published).lower()}


def _public_key(record: str) -> str:
    found = _KEY_VALUE.search(record)
    return "".join(found.group(1).split()) if found else ""


def dkim_published(name: str, value: str, resolver: Resolver) -> bool:
    """Whether `name` has a TXT record with the key of `value`; raises LookupError when DNS cannot say."""
    wanted = _public_key(value)
    return bool(wanted) and any(_public_key(txt) == wanted for txt in resolver(name))


def check_dkim(email: str, source: DkimSource, resolver: Resolver) -> DkimAdvice | None:
    """What the organizer publishes for DKIM; None for a public mailbox provider (its own keys sign).

    Both lookups may block: call it off the UI thread.
    """
    domain = domain_of(email)
    if is_generic(domain):
        return None
    try:
        record = source(domain)
    except Exception as exc:  # the server's answer, whatever went wrong: say it, the invitation can still go
        return DkimAdvice("", "", None, _("The DKIM record of {domain} could not be had from the server now: "
                                          "{reason}").format(domain=domain, reason=exc))
    name, value = record["name"], record["value"]
    try:
        published = dkim_published(name, value, resolver)
    except LookupError:
        return DkimAdvice(name, value, None, _(
            "Whether {name} is published could not be checked now (offline?). Publish this DKIM record "
            "so receivers can tell the invitations really come from {domain}:").format(name=name, domain=domain))
    if published:
        return DkimAdvice(name, value, True, _("The DKIM record of {domain} is published: invitations are "
                                               "signed in its name.").format(domain=domain))
    return DkimAdvice(name, value, False, _(
        "Publish this TXT record as {name} so receivers can tell the invitations really come from "
        "{domain}:").format(name=name, domain=domain))
