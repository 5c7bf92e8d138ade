"""TXT lookups over DNS for the sender check (G4), with the name server settable so tests use a local stub."""

from __future__ import annotations

import dns.exception
import dns.resolver

from boxoffice.i18n import _
from boxoffice.services.sender_policy import Resolver


def dns_resolver(nameserver: str | None = None, port: int = 53, timeout: float = 3.0) -> Resolver:
    """A resolver for `decide_sender`: the system's name servers, or `nameserver`:`port` when given.

    A domain without TXT records (or that does not exist) has no SPF: an empty list. A lookup that
    cannot be answered now (offline, timeout, refused) raises LookupError, so the check is deferred.
    """
    resolver = dns.resolver.Resolver(configure=nameserver is None)
    if nameserver is not None:
        resolver.nameservers = [nameserver]
        resolver.port = port
    resolver.lifetime = timeout
    resolver.timeout = timeout

    def lookup(domain: str) -> list[str]:
        try:
            answer = resolver.resolve(domain, "TXT")
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except (dns.exception.DNSException, OSError) as exc:
            raise LookupError(_("The DNS lookup of {domain} failed: {reason}").format(
                domain=domain, reason=exc)) from exc
        # A long TXT record comes as several strings that make one record once joined.
        return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]

    return lookup


def system_resolver() -> Resolver:
    """The system's name servers; a machine without any configured defers every check."""
    try:
        return dns_resolver()
    except dns.resolver.NoResolverConfiguration:
        from boxoffice.services.sender_policy import offline_resolver

        return offline_resolver
