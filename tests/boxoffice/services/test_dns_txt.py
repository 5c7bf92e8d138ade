"""The SPF check asks a real DNS server (a local stub here) and says plainly when it cannot."""

from __future__ import annotations

from boxoffice.services.dns_txt import dns_resolver
from boxoffice.services.sender_policy import OUR_SPF_INCLUDE, decide_sender
from tests.boxoffice.services.dns_stub import dns_stub

RECORDS = {
    "theatre.ch": ["google-site-verification=abc", "v=spf1 include:_spf.example.net ~all"],
    "festival.ch": [f"v=spf1 mx include:{OUR_SPF_INCLUDE} -all"],
    "nospf.ch": [],
}


class TestDnsSenderCheck:
    def test_domain_whose_spf_lacks_us_gets_no_reply_and_the_merged_record(self):
        with dns_stub(RECORDS) as port:
            decision = decide_sender("info@theatre.ch", dns_resolver("127.0.0.1", port))
        assert decision.decision == "no_reply"
        assert decision.current_spf == "v=spf1 include:_spf.example.net ~all"
        assert decision.spf_to_add == f"v=spf1 include:_spf.example.net include:{OUR_SPF_INCLUDE} ~all"

    def test_domain_that_includes_us_keeps_the_organizer_as_sender(self):
        with dns_stub(RECORDS) as port:
            decision = decide_sender("hello@festival.ch", dns_resolver("127.0.0.1", port))
        assert decision.decision == "own" and decision.from_address == "hello@festival.ch"

    def test_domain_without_txt_or_unknown_gets_a_new_record(self):
        with dns_stub(RECORDS) as port:
            resolver = dns_resolver("127.0.0.1", port)
            assert resolver("nospf.ch") == []
            decision = decide_sender("a@unknown-domain.ch", resolver)
        assert decision.decision == "no_reply"
        assert decision.spf_to_add == f"v=spf1 include:{OUR_SPF_INCLUDE} -all"

    def test_silent_server_defers_the_check_and_says_so(self):
        with dns_stub(RECORDS, silent=frozenset({"theatre.ch"})) as port:
            decision = decide_sender("info@theatre.ch", dns_resolver("127.0.0.1", port, timeout=0.5))
        assert decision.decision == "deferred"
        assert "could not be checked now" in decision.message
