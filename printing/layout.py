"""Badge, pass and ticket layouts as plain data, with their JSON form."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias, get_args

from printing.errors import PrintError, _

Align = Literal["left", "center", "right"]
ALIGNS: tuple[str, ...] = get_args(Align)
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_MM_PER_PT = 25.4 / 72


class LayoutError(PrintError, ValueError):
    """A layout is malformed; `field` names the bad part, e.g. ``elements[2].box.width``."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.field = where
        self.problem = problem


def _template_fields(where: str, template: str) -> None:
    """Refuse a text whose {variables} cannot be filled (unbalanced braces, {0}, {a.b})."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as error:
        raise LayoutError(where, _("unbalanced braces in text: {error}").format(error=error)) from None
    for _literal, name, _spec, _conversion in parsed:
        if name is not None and not name.isidentifier():
            raise LayoutError(where, _("'{name}' is not a variable name").format(name=name))


def _color(where: str, value: str | None) -> None:
    if value is not None and not _COLOR.match(value):
        raise LayoutError(where, _("expected a colour like #1a2b3c, got {value!r}").format(value=value))


@dataclass(frozen=True)
class Box:
    """A rectangle in millimetres; x and y from the top-left corner of the page."""

    x: float
    y: float
    width: float
    height: float

    def __post_init__(self) -> None:
        if self.width <= 0:
            raise LayoutError("width", _("must be greater than 0"))
        if self.height <= 0:
            raise LayoutError("height", _("must be greater than 0"))


@dataclass(frozen=True)
class Text:
    """Text with {variables}; shrinks from `size` to `min_size` points, then wraps up to `max_lines`."""

    box: Box
    text: str
    size: float = 10.0
    min_size: float = 6.0
    max_lines: int = 1
    align: Align = "left"
    bold: bool = False
    color: str | None = None

    def __post_init__(self) -> None:
        _template_fields("text", self.text)
        if self.min_size <= 0 or self.size < self.min_size:
            raise LayoutError("min_size", _("must be greater than 0 and at most size"))
        if self.max_lines < 1:
            raise LayoutError("max_lines", _("must be at least 1"))
        if self.align not in ALIGNS:
            raise LayoutError("align", _("must be one of left, center, right"))
        _color("color", self.color)


@dataclass(frozen=True)
class Image:
    """A fixed picture (logo) from a file."""

    box: Box
    path: str


@dataclass(frozen=True)
class Photo:
    """The holder's photo from the record; a neutral placeholder when the record has none."""

    box: Box


@dataclass(frozen=True)
class Qr:
    """A QR code of `value` (by default the record's payload), drawn as one vector path."""

    box: Box
    value: str = "{qr}"
    quiet_modules: int = 2

    def __post_init__(self) -> None:
        _template_fields("value", self.value)
        if self.quiet_modules < 0:
            raise LayoutError("quiet_modules", _("must not be negative"))


@dataclass(frozen=True)
class Barcode:
    """A Code 128 barcode of `value`, drawn as one vector path."""

    box: Box
    value: str = "{qr}"

    def __post_init__(self) -> None:
        _template_fields("value", self.value)


@dataclass(frozen=True)
class Rect:
    """A filled and/or outlined rectangle: colour patches and alignment marks of the test card."""

    box: Box
    fill: str | None = "#000000"
    stroke: str | None = None
    stroke_width: float = 0.2

    def __post_init__(self) -> None:
        _color("fill", self.fill)
        _color("stroke", self.stroke)
        if self.stroke_width <= 0:
            raise LayoutError("stroke_width", _("must be greater than 0"))


Element: TypeAlias = Text | Image | Photo | Qr | Barcode | Rect
ELEMENT_KINDS: dict[str, type[Element]] = {
    "text": Text,
    "image": Image,
    "photo": Photo,
    "qr": Qr,
    "barcode": Barcode,
    "rect": Rect,
}


@dataclass(frozen=True)
class Background:
    """A full-page background: a picture, or one page of a PDF (page counted from 0)."""

    image: str | None = None
    pdf: str | None = None
    page: int = 0

    def __post_init__(self) -> None:
        if self.image is not None and self.pdf is not None:
            raise LayoutError("pdf", _("give a background image or a background PDF, not both"))
        if self.page < 0:
            raise LayoutError("page", _("must not be negative"))


@dataclass(frozen=True)
class Layout:
    """One page design: its size in millimetres, a background, a text colour and its elements."""

    name: str
    width: float
    height: float
    elements: tuple[Element, ...] = ()
    background: Background = field(default_factory=Background)
    text_color: str = "#000000"

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise LayoutError("name", _("must not be empty"))
        if self.width <= 0:
            raise LayoutError("width", _("must be greater than 0"))
        if self.height <= 0:
            raise LayoutError("height", _("must be greater than 0"))
        _color("text_color", self.text_color)

    @property
    def size_pt(self) -> tuple[float, float]:
        """Page size in PDF points."""
        return self.width / _MM_PER_PT, self.height / _MM_PER_PT

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form that the layout editor and the database store."""
        return {
            "name": self.name,
            "width": self.width,
            "height": self.height,
            "text_color": self.text_color,
            "background": _plain(self.background),
            "elements": [{"kind": _kind_of(element), **_plain(element)} for element in self.elements],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Layout:
        """Read the form written by `to_dict`; raises LayoutError naming the bad field."""
        return _read_layout(_Fields(data, ""))


def _kind_of(element: Element) -> str:
    return next(kind for kind, type_ in ELEMENT_KINDS.items() if isinstance(element, type_))


def _plain(value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in value.__dataclass_fields__:
        item = getattr(value, name)
        out[name] = _plain(item) if isinstance(item, Box) else item
    return out


class _Fields:
    """Typed reads from one JSON object; every error is prefixed with where the object sits."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, Mapping):
            raise LayoutError(where or "layout", _("expected an object"))
        self.data = data
        self.where = where

    def path(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if name not in self.data:
            if default is ...:
                raise LayoutError(self.path(name), _("is missing"))
            return default
        value = self.data[name]
        if not _is_kind(value, kind):
            raise LayoutError(
                self.path(name), _("expected {expected}, got {value!r}").format(expected=_type_word(kind), value=value)
            )
        return float(value) if kind is float else value

    def build(self, make: Callable[..., Any], **values: Any) -> Any:
        """Construct a dataclass, turning its own validation errors into full field paths."""
        try:
            return make(**values)
        except LayoutError as error:
            raise LayoutError(self.path(error.field), error.problem) from None


def _is_kind(value: Any, kind: type | tuple[type, ...]) -> bool:
    if isinstance(value, bool):
        return kind is bool
    if kind is float:
        return isinstance(value, int | float)
    return isinstance(value, kind)


def _type_word(kind: type | tuple[type, ...]) -> str:
    names = {
        str: _("text"),
        bool: _("true or false"),
        list: _("a list"),
        dict: _("an object"),
        int: _("a whole number"),
        float: _("a number"),
    }
    kinds = kind if isinstance(kind, tuple) else (kind,)
    words = [names.get(k, k.__name__) for k in kinds if k is not type(None)]
    if type(None) in kinds:
        words.append("null")
    return _(" or ").join(words)


def _read_layout(fields: _Fields) -> Layout:
    raw_elements = fields.get("elements", list, [])
    elements = tuple(
        _read_element(_Fields(item, fields.path(f"elements[{index}]"))) for index, item in enumerate(raw_elements)
    )
    background = _read_background(_Fields(fields.get("background", dict, {}), fields.path("background")))
    return fields.build(
        Layout,
        name=fields.get("name", str),
        width=fields.get("width", float),
        height=fields.get("height", float),
        elements=elements,
        background=background,
        text_color=fields.get("text_color", str, "#000000"),
    )


def _read_background(fields: _Fields) -> Background:
    return fields.build(
        Background,
        image=fields.get("image", (str, type(None)), None),
        pdf=fields.get("pdf", (str, type(None)), None),
        page=fields.get("page", int, 0),
    )


def _read_box(fields: _Fields) -> Box:
    return fields.build(
        Box,
        x=fields.get("x", float),
        y=fields.get("y", float),
        width=fields.get("width", float),
        height=fields.get("height", float),
    )


def _read_element(fields: _Fields) -> Element:
    kind = fields.get("kind", str)
    if kind not in ELEMENT_KINDS:
        problem = _("unknown element kind {kind!r}; expected one of {kinds}")
        raise LayoutError(fields.path("kind"), problem.format(kind=kind, kinds=", ".join(ELEMENT_KINDS)))
    box = _read_box(_Fields(fields.get("box", dict), fields.path("box")))
    if kind == "text":
        return fields.build(
            Text,
            box=box,
            text=fields.get("text", str),
            size=fields.get("size", float, 10.0),
            min_size=fields.get("min_size", float, 6.0),
            max_lines=fields.get("max_lines", int, 1),
            align=fields.get("align", str, "left"),
            bold=fields.get("bold", bool, False),
            color=fields.get("color", (str, type(None)), None),
        )
    if kind == "image":
        return fields.build(Image, box=box, path=fields.get("path", str))
    if kind == "qr":
        return fields.build(
            Qr, box=box, value=fields.get("value", str, "{qr}"), quiet_modules=fields.get("quiet_modules", int, 2)
        )
    if kind == "barcode":
        return fields.build(Barcode, box=box, value=fields.get("value", str, "{qr}"))
    if kind == "rect":
        return fields.build(
            Rect,
            box=box,
            fill=fields.get("fill", (str, type(None)), "#000000"),
            stroke=fields.get("stroke", (str, type(None)), None),
            stroke_width=fields.get("stroke_width", float, 0.2),
        )
    return fields.build(Photo, box=box)
