"""Invitation variables (G5): unknown ones named before sending, values filled, HTML escaped."""

from __future__ import annotations

import pytest

from boxoffice.services.message_template import TemplateError, check_template, render, variables_in


class TestCheckTemplate:
    def test_unknown_variable_is_named(self):
        with pytest.raises(TemplateError, match=r"The subject uses an unknown variable: \{firstname\}"):
            check_template("Hello {firstname}", ["Ville"], "The subject")

    def test_custom_field_of_the_lists_is_known_and_others_are_not(self):
        check_template("{first_name} from {field:Ville}", ["Ville"], "The text")
        with pytest.raises(TemplateError, match=r"\{field:Phone\}.*\{field:Ville\}"):
            check_template("{field:Phone}", ["Ville"], "The text")

    def test_unmatched_brace_is_an_error_but_doubled_braces_are_literal(self):
        check_template("Dress code {{black tie}}", [], "The text")
        with pytest.raises(TemplateError, match="unmatched brace"):
            check_template("Hello {first_name", [], "The text")

    def test_variables_listed_once_in_order(self):
        assert variables_in("{a} {b} {a}") == ["a", "b"]


class TestRender:
    def test_values_are_filled_in_text_and_escaped_in_html(self):
        values = {"first_name": "<script>alert(1)</script>", "rsvp_link": "https://rsvp.example/r/abc"}
        message = render("Hi {first_name}", "Dear {first_name},\n\nSee {rsvp_link} & more", values)
        assert message.text == "Dear <script>alert(1)</script>,\n\nSee https://rsvp.example/r/abc & more"
        assert "<script>" not in message.html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in message.html
        assert "&amp; more" in message.html
        assert '<a href="https://rsvp.example/r/abc"' in message.html
        assert ">https://rsvp.example/r/abc<" not in message.html  # a button, not the bare link

    def test_organizer_html_in_the_body_is_shown_as_text(self):
        message = render("s", '<img src=x onerror="steal()">', {})
        assert "<img" not in message.html and "&lt;img" in message.html

    def test_subject_is_one_line(self):
        assert render("A {first_name}\nB", "", {"first_name": "x\r\nBcc: evil@example.com"}).subject == \
            "A x Bcc: evil@example.com B"
