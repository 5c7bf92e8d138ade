"""DKIM: messages signed with the sending domain's key, verified by dkimpy against the record DNS publishes."""

from __future__ import annotations

import stat
from collections.abc import Callable
from email.header import Header
from pathlib import Path

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from dkim.canonicalization import Relaxed
from hypothesis import given, settings
from hypothesis import strategies as st

from boxoffice.services.dns_txt import dns_resolver
from boxoffice.services.sender_policy import Resolver, check_dkim
from sync.server.cli import main
from sync.server.database import Database
from sync.server.mail.dkim import DkimKeys, DkimRecord, record_of
from sync.server.mail.dkim_signature import relaxed_body, signature_header
from sync.server.mail.sender import MailSender
from tests.boxoffice.services.dns_stub import dns_stub
from tests.sync.mail.conftest import stub_dns
from tests.sync.mail.organizer import GUESTS, schedule
from tests.sync.mail.smtp_inbox import Inbox


def dnsfunc(resolver: Resolver) -> Callable[..., bytes]:
    """dkimpy's key lookup, answered by the local DNS server."""
    def lookup(name: bytes, timeout: int = 5) -> bytes:
        found = [t for t in resolver(name.decode().rstrip(".")) if t.startswith("v=DKIM1")]
        return found[0].encode() if found else b""
    return lookup


def published(record: DkimRecord) -> dict[str, list[str]]:
    return {record.name: [record.value], "museejenisch.ch": ["v=spf1 include:spf.boxoffice.app -all"]}


class TestSignedMessages:
    def test_an_invitation_from_the_organizers_domain_verifies_against_its_published_key(
            self, make_device, server_db: Database, inbox: Inbox, tmp_path: Path):
        keys = DkimKeys(tmp_path / "secrets")
        record = keys.ensure("museejenisch.ch")
        writer, sync = make_device("laptop")
        schedule(writer, sync, sender_email="info@museejenisch.ch", guests=GUESTS[:2])

        assert MailSender(server_db, resolver=stub_dns, dkim_keys=keys).run_once().counts == {"sent": 2}

        with dns_stub(published(record)) as port:
            lookup = dnsfunc(dns_resolver("127.0.0.1", port))
            for received in inbox.received:
                assert received.raw.startswith(b"DKIM-Signature:")
                assert b"d=museejenisch.ch" in received.raw.split(b"\r\n\r\n")[0]
                assert dkim.verify(received.raw, dnsfunc=lookup)
                tampered = received.raw.replace(b"\r\nTo: ", b"\r\nTo: eve@example.org, ", 1)
                assert tampered != received.raw
                assert not dkim.verify(tampered, dnsfunc=lookup)

    def test_a_domain_without_a_key_goes_unsigned(self, make_device, server_db: Database, inbox: Inbox,
                                                  tmp_path: Path):
        writer, sync = make_device("laptop")
        schedule(writer, sync, sender_email="info@museejenisch.ch", guests=GUESTS[:1])

        MailSender(server_db, resolver=stub_dns, dkim_keys=DkimKeys(tmp_path / "secrets")).run_once()

        [received] = inbox.received
        assert b"DKIM-Signature" not in received.raw


class TestDkimCommand:
    def test_the_key_is_made_once_as_a_private_file_and_the_record_printed(
            self, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
        secrets = tmp_path / "secrets"
        assert main(["dkim", "Example.org", "--secrets", str(secrets)]) == 0
        name, value = capsys.readouterr().out.splitlines()
        assert name == "boxoffice._domainkey.example.org"
        assert value.startswith("v=DKIM1; k=rsa; p=")
        key = secrets / "dkim" / "example.org.pem"
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
        assert main(["dkim", "example.org", "--secrets", str(secrets)]) == 0
        assert capsys.readouterr().out.splitlines() == [name, value]

    def test_a_name_that_is_no_domain_is_refused_by_name(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
        assert main(["dkim", "../etc/passwd", "--secrets", str(tmp_path)]) == 1
        assert "'../etc/passwd' is not a domain name" in capsys.readouterr().err


class TestOrganizerAdvice:
    def test_the_app_shows_the_servers_record_until_dns_publishes_it(self, make_device, server_secrets: Path):
        _writer, sync = make_device("laptop")
        record = DkimKeys(server_secrets).ensure("museejenisch.ch")  # what `boxoffice-server dkim` made

        with dns_stub({"museejenisch.ch": ["v=spf1 -all"]}) as port:
            missing = check_dkim("info@museejenisch.ch", sync.dkim_record, dns_resolver("127.0.0.1", port))
        with dns_stub(published(record)) as port:
            found = check_dkim("info@museejenisch.ch", sync.dkim_record, dns_resolver("127.0.0.1", port))

        assert missing is not None and (missing.name, missing.value, missing.published) == (
            record.name, record.value, False)
        assert f"Publish this TXT record as {record.name}" in missing.message
        assert found is not None and found.published is True

    def test_a_new_domain_gets_its_key_on_the_first_ask(self, make_device, server_secrets: Path):
        _writer, sync = make_device("laptop")
        shown = sync.dkim_record("festival.ch")
        assert (DkimKeys(server_secrets).folder / "festival.ch.pem").exists()
        assert shown == {"name": "boxoffice._domainkey.festival.ch",
                         "value": DkimKeys(server_secrets).ensure("festival.ch").value}

    def test_a_public_mailbox_provider_needs_no_record(self, make_device):
        _writer, sync = make_device("laptop")
        assert check_dkim("musee@gmail.com", sync.dkim_record, stub_dns) is None


class TestOurSigner:
    """The signer is ours for speed (dkim_signature.py); dkimpy, the reference, must agree with every byte."""

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from([b"a", b" ", b"\t", b"  ", b"\r\n", b"\r", b"\n", b"=\r\n", b"x y"]),
                    max_size=30).map(b"".join))
    def test_the_body_is_canonicalized_as_dkimpy_does(self, body: bytes) -> None:
        assert relaxed_body(body) == Relaxed.canonicalize_body(body)

    @settings(max_examples=40, deadline=None)
    @given(body=st.lists(st.sampled_from([b"Hello", b" ", b"\t", b"\r\n", b"\n", b"caf\xc3\xa9"]), max_size=25)
           .map(b"".join),
           subject=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40))
    def test_a_signed_message_verifies_with_dkimpy_and_a_changed_one_does_not(self, body: bytes, subject: str) -> None:
        pem = _KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                 serialization.NoEncryption())
        record = record_of("example.org", pem)
        message = (b"From: Org <info@example.org>\r\nTo: Guest <g@example.com>\r\nSubject: "
                   + str(Header(subject, "utf-8")).encode() + b"\r\nSubject-Extra:\tfolded\r\n  value \r\n\r\n" + body)
        names = [b"from", b"to", b"subject", b"subject-extra"]
        signed = signature_header(message, b"example.org", b"boxoffice", _KEY, names) + message

        def lookup(name: bytes, timeout: int = 5) -> bytes:
            assert name == b"boxoffice._domainkey.example.org."
            return record.value.encode()

        assert dkim.verify(signed, dnsfunc=lookup)
        assert not dkim.verify(signed.replace(b"Guest", b"Gue5t", 1), dnsfunc=lookup)
        assert not dkim.verify(signed + b"P.S.\r\n", dnsfunc=lookup)


_KEY = rsa.generate_private_key(public_exponent=65537, key_size=1024)
