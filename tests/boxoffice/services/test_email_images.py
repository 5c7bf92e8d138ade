"""Images picked for an invitation: scaled and compressed once, for e-mail, keeping what must stay."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from PIL import Image

from boxoffice.services import email_images
from boxoffice.services.guest_events import Appearance, appearance_problems, embedded_image
from tests.sync.mail.organizer import photo


def _decoded(uri: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(uri.partition(",")[2])))


class TestEmailImages:
    def test_a_large_photo_becomes_a_jpeg_at_most_1200_px_wide_within_its_budget(self, tmp_path: Path):
        source = photo(tmp_path / "hall.jpg", (3000, 2000))
        prepared = email_images.prepare(source, "banner")
        assert prepared.subtype == "jpeg" and 600 <= prepared.width <= 1200
        assert len(prepared.data) <= email_images.BUDGET["banner"]
        assert abs(prepared.width / prepared.height - 1.5) < 0.01  # not stretched

    def test_a_logo_with_transparency_stays_a_png_and_keeps_its_alpha(self, tmp_path: Path):
        source = tmp_path / "logo.png"
        Image.new("RGBA", (1000, 500), (31, 78, 121, 0)).save(source)
        uri = embedded_image(str(source), "logo")
        assert uri.startswith("data:image/png;base64,")
        logo = _decoded(uri)
        assert logo.size == (320, 160) and logo.mode == "RGBA" and logo.getpixel((0, 0))[3] == 0

    def test_a_photo_taken_sideways_is_sent_upright(self, tmp_path: Path):
        source = tmp_path / "portrait.jpg"
        exif = Image.Exif()
        exif[0x0112] = 6  # the camera was turned: show it rotated 90° clockwise
        Image.new("RGB", (1600, 900), "#7a1f3d").save(source, "JPEG", exif=exif)
        banner = _decoded(embedded_image(str(source), "banner"))
        assert banner.height > banner.width

    def test_a_small_image_already_fit_for_mail_is_sent_as_it_is(self, tmp_path: Path):
        source = tmp_path / "strip.png"
        Image.new("RGB", (600, 120), "#7a1f3d").save(source)
        assert base64.b64decode(embedded_image(str(source)).partition(",")[2]) == source.read_bytes()

    def test_a_file_that_is_not_an_image_is_named_in_the_appearance_problems(self, tmp_path: Path):
        source = tmp_path / "banner.jpg"
        source.write_bytes(b"not a picture at all")
        problems = appearance_problems(Appearance(banner=str(source)))
        assert problems == ["The banner cannot be used: it is not a readable image, or even scaled down for "
                            "e-mail it is larger than 1000 KB. Choose another image."]
