"""A form opened just before rotate-key can still be sent once; a form signed with an older key cannot."""

from __future__ import annotations

from pathlib import Path

from sync.server.rsvp import csrf
from sync.server.token_keys import TokenKeys, _create, rotate_keys


class TestCsrfAfterRotateKey:
    def test_a_form_signed_with_the_key_before_rotation_is_still_accepted(self, tmp_path: Path) -> None:
        _create(tmp_path / "token-keys.json", TokenKeys(b"k" * 32))
        cookie = csrf.new_cookie()
        sent = csrf.form_value(b"k" * 32, cookie, "guest-token")
        rotated = rotate_keys(tmp_path)
        assert rotated.previous == b"k" * 32
        assert csrf.is_valid(rotated.accepted, cookie, "guest-token", sent)

    def test_a_form_signed_two_rotations_ago_is_refused(self, tmp_path: Path) -> None:
        _create(tmp_path / "token-keys.json", TokenKeys(b"k" * 32))
        cookie = csrf.new_cookie()
        sent = csrf.form_value(b"k" * 32, cookie, "guest-token")
        rotate_keys(tmp_path)
        twice = rotate_keys(tmp_path)
        assert not csrf.is_valid(twice.accepted, cookie, "guest-token", sent)

    def test_a_form_for_another_link_is_refused_under_either_key(self, tmp_path: Path) -> None:
        _create(tmp_path / "token-keys.json", TokenKeys(b"k" * 32))
        cookie = csrf.new_cookie()
        sent = csrf.form_value(b"k" * 32, cookie, "other-token")
        assert not csrf.is_valid(rotate_keys(tmp_path).accepted, cookie, "guest-token", sent)
