"""Render a layout for one or many records into a single PDF with reportlab."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from printing.codes import draw_code128, draw_qr
from printing.errors import PrintError, _
from printing.fonts import badge_fonts
from printing.layout import Background, Barcode, Box, Image, Layout, Photo, Qr, Rect, Text
from printing.text import fit_text

PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Record:
    """What one page shows: text variables, the QR payload and, for passes, the holder's photo."""

    variables: Mapping[str, Any] = field(default_factory=dict)
    qr: str = ""
    photo: bytes | str | Path | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Record:
        """Accept ``{"variables": {...}, "qr": "...", "photo": ...}`` as handed over by callers."""
        return cls(dict(data.get("variables", {})), str(data.get("qr", "")), data.get("photo"))


class _Blanks(dict[str, Any]):
    """Variables for str.format_map: a field the record lacks prints as nothing, not as an error."""

    def __missing__(self, key: str) -> str:
        return ""


class _Page:
    """Draws elements on one canvas, converting layout millimetres (top-left origin) to points."""

    def __init__(self, canvas: Canvas, layout: Layout) -> None:
        self.canvas = canvas
        self.layout = layout
        self.fonts = badge_fonts()
        self.height = layout.size_pt[1]
        self.text_color = HexColor(layout.text_color)
        self.background_form = _background_form(canvas, layout.background)
        self.background_image = _asset(layout.background.image) if layout.background.image else None
        self.images = {e.path: _asset(e.path) for e in layout.elements if isinstance(e, Image)}

    def rect(self, box: Box) -> tuple[float, float, float, float]:
        """The box as reportlab's (x, y from bottom, width, height) in points."""
        width, height = box.width * PT_PER_MM, box.height * PT_PER_MM
        return box.x * PT_PER_MM, self.height - box.y * PT_PER_MM - height, width, height

    def draw(self, record: Record) -> None:
        values = _Blanks(record.variables)
        values["qr"] = record.qr
        self.draw_background()
        for element in self.layout.elements:
            if isinstance(element, Text):
                self.draw_text(element, element.text.format_map(values))
            elif isinstance(element, Qr):
                x, y, width, height = self.rect(element.box)
                side = min(width, height)
                draw_qr(
                    self.canvas,
                    element.value.format_map(values),
                    x + (width - side) / 2,
                    y + (height - side) / 2,
                    side,
                    element.quiet_modules,
                )
            elif isinstance(element, Barcode):
                draw_code128_checked(self.canvas, element.value.format_map(values), *self.rect(element.box))
            elif isinstance(element, Image):
                self.draw_picture(self.images[element.path], element.box)
            elif isinstance(element, Photo):
                self.draw_photo(record.photo, element.box)
            elif isinstance(element, Rect):
                self.draw_rect(element)
        self.canvas.showPage()

    def draw_background(self) -> None:
        width, height = self.layout.size_pt
        if self.background_image is not None:
            self.canvas.drawImage(self.background_image, 0, 0, width, height, mask="auto")
        elif self.background_form is not None:
            name, (form_width, form_height) = self.background_form
            self.canvas.saveState()
            self.canvas.scale(width / form_width, height / form_height)
            self.canvas.doForm(name)
            self.canvas.restoreState()

    def draw_text(self, element: Text, text: str) -> None:
        x, y, width, height = self.rect(element.box)
        font = self.fonts.bold if element.bold else self.fonts.regular
        size, lines = fit_text(text, font, width, height, element.size, element.min_size, element.max_lines)
        if not lines:
            return
        leading = size * self.fonts.line_height
        top = y + height - (height - leading * len(lines)) / 2
        canvas = self.canvas
        canvas.setFillColor(HexColor(element.color) if element.color else self.text_color)
        canvas.setFont(font, size)
        for index, line in enumerate(lines):
            baseline = top - index * leading - size * self.fonts.ascent
            if element.align == "center":
                canvas.drawCentredString(x + width / 2, baseline, line)
            elif element.align == "right":
                canvas.drawRightString(x + width, baseline, line)
            else:
                canvas.drawString(x, baseline, line)

    def draw_rect(self, element: Rect) -> None:
        canvas = self.canvas
        canvas.saveState()
        if element.fill is not None:
            canvas.setFillColor(HexColor(element.fill))
        if element.stroke is not None:
            canvas.setStrokeColor(HexColor(element.stroke))
            canvas.setLineWidth(element.stroke_width * PT_PER_MM)
        canvas.rect(*self.rect(element.box), stroke=int(element.stroke is not None), fill=int(element.fill is not None))
        canvas.restoreState()

    def draw_picture(self, picture: ImageReader, box: Box) -> None:
        x, y, width, height = self.rect(box)
        self.canvas.drawImage(picture, x, y, width, height, preserveAspectRatio=True, anchor="c", mask="auto")

    def draw_photo(self, photo: bytes | str | Path | None, box: Box) -> None:
        picture = _photo(photo)
        if picture is None:
            _draw_placeholder(self.canvas, *self.rect(box))
        else:
            self.draw_picture(picture, box)


def draw_code128_checked(canvas: Canvas, value: str, x: float, y: float, width: float, height: float) -> None:
    try:
        draw_code128(canvas, value, x, y, width, height)
    except (ValueError, KeyError, IndexError) as error:
        problem = _("{value!r} cannot be printed as a Code 128 barcode")
        raise PrintError(problem.format(value=value)) from error


def _asset(path: str) -> ImageReader:
    """A template picture, read once per render; a missing one stops the run with its name."""
    try:
        return ImageReader(path)
    except (OSError, ValueError) as error:
        problem = _("The picture {path} cannot be read: {error}")
        raise PrintError(problem.format(path=path, error=error)) from None


def _photo(photo: bytes | str | Path | None) -> ImageReader | None:
    """The holder's photo, or None when there is none or it cannot be read (drawn as a placeholder)."""
    if photo is None or photo == b"" or photo == "":
        return None
    try:
        reader = ImageReader(io.BytesIO(photo) if isinstance(photo, bytes) else str(photo))
        reader.getSize()
    except (OSError, ValueError, SyntaxError):
        return None
    return reader


def _draw_placeholder(canvas: Canvas, x: float, y: float, width: float, height: float) -> None:
    """A light grey box with a head-and-shoulders outline where the photo would be."""
    canvas.saveState()
    canvas.setFillColorRGB(0.9, 0.9, 0.9)
    canvas.setStrokeColorRGB(0.6, 0.6, 0.6)
    canvas.rect(x, y, width, height, stroke=1, fill=1)
    canvas.setFillColorRGB(0.75, 0.75, 0.75)
    unit = min(width, height)
    canvas.circle(x + width / 2, y + height * 0.62, unit * 0.18, stroke=0, fill=1)
    canvas.ellipse(
        x + width / 2 - unit * 0.32, y - unit * 0.1, x + width / 2 + unit * 0.32, y + height * 0.42, stroke=0, fill=1
    )
    canvas.restoreState()


_BACKGROUND_FORM = "background"


def _background_form(canvas: Canvas, background: Background) -> tuple[str, tuple[float, float]] | None:
    """An empty form XObject that every page draws; `_fill_background` puts the PDF page in it once."""
    if background.pdf is None:
        return None
    page = _background_page(background)
    canvas.beginForm(_BACKGROUND_FORM)
    canvas.endForm()
    return _BACKGROUND_FORM, (float(page.cropbox.width), float(page.cropbox.height))


def _background_page(background: Background) -> Any:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return PdfReader(str(background.pdf)).pages[background.page]
    except (OSError, ValueError, IndexError, PyPdfError) as error:
        raise PrintError(
            _("Page {page} of the background PDF {path} cannot be read: {error}").format(
                page=background.page + 1, path=background.pdf, error=error
            )
        ) from None


def _fill_background(pdf: bytes, background: Background) -> bytes:
    """The background page's drawing and resources copied once into the shared form (pypdf)."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, FloatObject, NameObject

    page = _background_page(background)
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    resources: Any = writer.pages[0]["/Resources"]
    form = resources["/XObject"][f"/FormXob.{_BACKGROUND_FORM}"].get_object()
    form[NameObject("/Filter")] = NameObject("/FlateDecode")
    contents = page.get_contents()
    form.set_data(contents.get_data() if contents is not None else b"")
    box = page.cropbox
    form[NameObject("/BBox")] = ArrayObject(FloatObject(v) for v in (box.left, box.bottom, box.right, box.top))
    # Drawn from the box's corner, as the page shows it, whatever the PDF's origin.
    form[NameObject("/Matrix")] = ArrayObject(FloatObject(v) for v in (1, 0, 0, 1, -box.left, -box.bottom))
    resources = page.get("/Resources")
    if resources is not None:
        form[NameObject("/Resources")] = resources.clone(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def render_pdf(layout: Layout, records: Iterable[Record], title: str = "") -> bytes:
    """One page per record, in order, as PDF bytes. Runs on any thread; touches no Qt.

    Raises PrintError when the font or a template picture is missing; a missing photo
    only draws a placeholder.
    """
    buffer = io.BytesIO()
    # Start on our embedded font: the default Helvetica would be named in every page, unembedded.
    canvas = Canvas(buffer, pagesize=layout.size_pt, pageCompression=1, initialFontName=badge_fonts().regular)
    canvas.setTitle(title or layout.name)
    canvas.setCreator("boxoffice")
    page = _Page(canvas, layout)
    count = 0
    for record in records:
        page.draw(record)
        count += 1
    if count == 0:
        raise PrintError(_("There is nothing to print."))
    canvas.save()
    if page.background_form is not None:
        return _fill_background(buffer.getvalue(), layout.background)
    return buffer.getvalue()


def render_pdf_file(layout: Layout, records: Iterable[Record], path: Path | str, title: str = "") -> Path:
    """Like `render_pdf`, written to `path`."""
    target = Path(path)
    target.write_bytes(render_pdf(layout, records, title))
    return target
