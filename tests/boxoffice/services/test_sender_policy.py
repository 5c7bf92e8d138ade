"""The sender address policy (G4) with a stub DNS resolver: generic domains, SPF merged, offline deferred."""

from __future__ import annotations

import pytest

from boxoffice.services.sender_policy import OUR_SPF_INCLUDE, decide_sender, is_generic, merged_spf


def resolver(records: dict[str, list[str]]):
    def resolve(domain: str) -> list[str]:
        return records.get(domain, [])
    return resolve


def offline(domain: str) -> list[str]:
    raise LookupError("no network")


class TestDecideSender:
    @pytest.mark.parametrize("email", ["anna@gmail.com", "Jo@Outlook.fr", "x@hotmail.co.uk", "y@yahoo.de",
                                       "z@gmx.ch", "w@bluewin.ch", "v@icloud.com"])
    def test_generic_mailbox_gets_no_reply_with_organizer_as_reply_to(self, email: str):
        decision = decide_sender(email, offline)
        assert decision.decision == "no_reply"
        assert decision.from_address.startswith("no-reply@")
        assert decision.reply_to == email

    def test_own_domain_subdomain_named_like_a_provider_is_not_generic(self):
        assert not is_generic("live.theatre-vevey.ch")

    def test_spf_that_includes_us_keeps_the_organizer_as_sender(self):
        stub = resolver({"theatre.ch": ["google-site-verification=x", f"v=spf1 include:{OUR_SPF_INCLUDE} -all"]})
        decision = decide_sender("billetterie@theatre.ch", stub)
        assert (decision.decision, decision.from_address) == ("own", "billetterie@theatre.ch")

    def test_spf_without_us_gives_no_reply_and_the_merged_record(self):
        stub = resolver({"theatre.ch": ["v=spf1 mx include:_spf.google.com ~all"]})
        decision = decide_sender("info@theatre.ch", stub)
        assert decision.decision == "no_reply"
        assert decision.current_spf == "v=spf1 mx include:_spf.google.com ~all"
        assert decision.spf_to_add == f"v=spf1 mx include:_spf.google.com include:{OUR_SPF_INCLUDE} ~all"
        assert "publish this SPF record" in decision.message

    def test_no_spf_at_all_gives_a_new_record(self):
        decision = decide_sender("info@newclub.ch", resolver({}))
        assert decision.decision == "no_reply"
        assert decision.spf_to_add == f"v=spf1 include:{OUR_SPF_INCLUDE} -all"

    def test_offline_lookup_is_deferred_and_says_so(self):
        decision = decide_sender("info@theatre.ch", offline)
        assert decision.decision == "deferred"
        assert "could not be checked now" in decision.message
        assert decision.from_address == "info@theatre.ch"

    def test_default_resolver_defers(self):
        assert decide_sender("info@theatre.ch").decision == "deferred"


class TestMergedSpf:
    def test_include_goes_before_the_final_all_never_replacing(self):
        assert merged_spf("v=spf1 a mx -all", "spf.us") == "v=spf1 a mx include:spf.us -all"

    def test_record_without_all_gets_the_include_appended(self):
        assert merged_spf("v=spf1 mx", "spf.us") == "v=spf1 mx include:spf.us"

    def test_already_included_is_left_alone(self):
        assert merged_spf("v=spf1 include:spf.us ~all", "spf.us") == "v=spf1 include:spf.us ~all"
