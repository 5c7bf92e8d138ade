"""Rendering layouts to PDF: page sizes, embedded fonts, readable codes, accents, photos."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image as PillowImage
from reportlab.pdfgen.canvas import Canvas

from printing.errors import PrintError
from printing.layout import Background, Box, Image, Layout, Qr, Text
from printing.render import Record, render_pdf, render_pdf_file
from printing.templates import BUILT_IN, cr80_badge, cr80_pass
from tests.printing import pdftools

GUEST = {
    "first_name": "Zoë",
    "last_name": "Müller-Groß",
    "company": "Façade & Cie",
    "role": "Presse",
    "event": "Gala d'été",
    "pass_name": "Saison",
    "season": "2026-2027",
    "date": "14.07.2026 20:00",
    "venue": "Salle Pleyel",
    "zone": "Parterre",
    "seat": "R12 S7",
    "rate": "Plein",
    "price": "€ 42,00",
    "conditions": "Non remboursable.",
}
PAYLOAD = "BX7K-Q2MZ-9TWR-4HNP-ACDE"
EXPECTED_SIZES = {
    "cr80-badge": (153.0, 243.8),
    "cr80-pass": (153.0, 243.8),
    "a4-ticket": (595.3, 841.9),
    "thermal-80mm-ticket": (226.8, 425.2),
}


@pytest.fixture(scope="module", params=sorted(BUILT_IN))
def built_in_pdf(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    name = request.param
    path = tmp_path_factory.mktemp("render") / f"{name}.pdf"
    render_pdf_file(BUILT_IN[name](), [Record(GUEST, PAYLOAD)], path)
    return name, path


def _photo_bytes() -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (60, 80), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


class TestBuiltInTemplates:
    def test_page_has_the_template_size(self, built_in_pdf: tuple[str, Path]) -> None:
        name, path = built_in_pdf
        ((width, height),) = pdftools.page_sizes(path)
        assert width == pytest.approx(EXPECTED_SIZES[name][0], abs=1)
        assert height == pytest.approx(EXPECTED_SIZES[name][1], abs=1)

    def test_every_font_is_embedded_dejavu(self, built_in_pdf: tuple[str, Path]) -> None:
        fonts = pdftools.fonts(built_in_pdf[1])
        assert fonts
        assert all(font["emb"] == "yes" and "DejaVuSans" in font["name"] for font in fonts)

    def test_qr_code_reads_back_as_the_payload(self, built_in_pdf: tuple[str, Path]) -> None:
        assert pdftools.codes(built_in_pdf[1])["QRCode"] == PAYLOAD

    def test_accented_text_is_printed_as_written(self, built_in_pdf: tuple[str, Path]) -> None:
        name, path = built_in_pdf
        words = pdftools.text(path)
        expected = "Zoë Müller-Groß" if name != "cr80-badge" else "Façade & Cie"
        assert expected in " ".join(words.split())

    @pytest.mark.parametrize("name", ["a4-ticket", "thermal-80mm-ticket"])
    def test_ticket_barcode_reads_back_as_the_payload(self, name: str, tmp_path: Path) -> None:
        path = render_pdf_file(BUILT_IN[name](), [Record(GUEST, PAYLOAD)], tmp_path / "ticket.pdf")
        assert pdftools.codes(path)["Code128"] == PAYLOAD


class TestRecords:
    def test_many_records_make_one_page_each_in_one_pdf(self, tmp_path: Path) -> None:
        records = [Record({"first_name": f"Guest {i}"}, f"CODE-{i:04d}") for i in range(25)]
        path = render_pdf_file(cr80_badge(), records, tmp_path / "many.pdf")
        assert len(pdftools.page_sizes(path)) == 25
        assert pdftools.codes(path, page=25)["QRCode"] == "CODE-0024"

    def test_long_name_is_shrunk_and_cut_but_the_page_still_prints(self, tmp_path: Path) -> None:
        long_name = {"first_name": "Maximiliane-Éléonore-Wilhelmine", "last_name": "von " * 30 + "Ende"}
        path = render_pdf_file(cr80_badge(), [Record(long_name, PAYLOAD)], tmp_path / "long.pdf")
        text = pdftools.text(path)
        assert "Maximiliane-Éléonore" in text
        assert "Wilhelmine" in text
        assert "…" in text
        assert pdftools.codes(path)["QRCode"] == PAYLOAD

    def test_record_given_as_a_dict_is_accepted(self) -> None:
        record = Record.from_dict({"variables": GUEST, "qr": PAYLOAD})
        assert record.variables["first_name"] == "Zoë"

    def test_missing_variable_prints_as_nothing(self, tmp_path: Path) -> None:
        path = render_pdf_file(cr80_badge(), [Record({"first_name": "Ann"}, PAYLOAD)], tmp_path / "a.pdf")
        assert "Ann" in pdftools.text(path)

    def test_no_records_is_a_clear_error(self) -> None:
        with pytest.raises(PrintError, match="nothing to print"):
            render_pdf(cr80_badge(), [])


class TestHolderPhoto:
    @pytest.mark.parametrize("photo", [None, "/nonexistent/photo.jpg", b"not an image"], ids=["none", "path", "junk"])
    def test_missing_or_unreadable_photo_draws_a_placeholder(self, photo: bytes | str | None, tmp_path: Path) -> None:
        path = render_pdf_file(cr80_pass(), [Record(GUEST, PAYLOAD, photo)], tmp_path / "pass.pdf")
        placeholder_grey = pdftools.page_image(path, dpi=72).getpixel((46, 38))
        assert all(abs(channel - 230) <= 2 for channel in placeholder_grey)

    def test_photo_bytes_are_drawn_in_the_photo_box(self, tmp_path: Path) -> None:
        path = render_pdf_file(cr80_pass(), [Record(GUEST, PAYLOAD, _photo_bytes())], tmp_path / "pass.pdf")
        red, green, _blue = pdftools.page_image(path, dpi=72).getpixel((76, 75))
        assert red > 150 and green < 80


class TestBackgroundAndColour:
    def _layout(self, background: Background) -> Layout:
        return Layout(
            "bg",
            54,
            86,
            (Text(Box(2, 2, 50, 10), "{first_name}", size=20), Qr(Box(12, 40, 30, 30))),
            background,
            text_color="#ffffff",
        )

    def test_background_pdf_page_is_drawn_under_the_elements(self, tmp_path: Path) -> None:
        source = tmp_path / "background.pdf"
        canvas = Canvas(str(source), pagesize=(100, 160))
        canvas.setFillColorRGB(0, 0, 0.5)
        canvas.rect(0, 0, 100, 160, stroke=0, fill=1)
        canvas.save()
        path = render_pdf_file(
            self._layout(Background(pdf=str(source))), [Record({"first_name": "W"}, PAYLOAD)], tmp_path / "out.pdf"
        )
        assert pdftools.page_image(path, dpi=72).getpixel((150, 240)) == (0, 0, 128)
        assert pdftools.codes(path)["QRCode"] == PAYLOAD

    def test_a_background_with_its_own_picture_is_drawn_on_every_page_and_stored_once(self, tmp_path: Path) -> None:
        picture = tmp_path / "stripe.png"
        PillowImage.new("RGB", (40, 40), (200, 0, 0)).save(picture)
        source = tmp_path / "background.pdf"
        canvas = Canvas(str(source), pagesize=(100, 160))
        canvas.drawImage(str(picture), 0, 0, 100, 160)
        canvas.save()
        records = [Record({"first_name": f"N{i}"}, f"CODE-{i}") for i in range(30)]
        path = render_pdf_file(self._layout(Background(pdf=str(source))), records, tmp_path / "out.pdf")
        for page in (1, 30):
            assert pdftools.page_image(path, page, dpi=72).getpixel((150, 240)) == (200, 0, 0)
        assert pdftools.codes(path, page=30)["QRCode"] == "CODE-29"
        one = render_pdf(self._layout(Background(pdf=str(source))), records[:1])
        assert path.stat().st_size < len(one) + 29 * 4_000  # the picture is not copied per page

    def test_background_image_fills_the_page(self, tmp_path: Path) -> None:
        source = tmp_path / "background.png"
        PillowImage.new("RGB", (54, 86), (0, 120, 0)).save(source)
        path = render_pdf_file(self._layout(Background(image=str(source))), [Record({}, PAYLOAD)], tmp_path / "out.pdf")
        assert pdftools.page_image(path, dpi=72).getpixel((3, 240)) == (0, 120, 0)

    def test_missing_template_picture_is_a_print_error_naming_it(self) -> None:
        layout = Layout("logo", 54, 86, (Image(Box(1, 1, 10, 10), "/nowhere/logo.png"),))
        with pytest.raises(PrintError, match=r"/nowhere/logo\.png"):
            render_pdf(layout, [Record()])
