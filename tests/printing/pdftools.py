"""Inspect PDFs the way a reader would: poppler's tools for sizes, fonts and text; zxing for codes."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import zxingcpp
from PIL import Image


def _poppler(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Width and height in points of every page."""
    out = _poppler("pdfinfo", "-f", "1", "-l", "100000", str(pdf))
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


def fonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts rows as dicts: name, type, emb (yes/no)."""
    rows = _poppler("pdffonts", str(pdf)).splitlines()[2:]
    result = []
    for row in rows:
        parts = row.split()
        # Columns from the right: emb sub uni object-id generation; name is the first word.
        result.append({"name": parts[0], "emb": parts[-5], "type": " ".join(parts[1:3])})
    return result


def text(pdf: Path, page: int = 1) -> str:
    return _poppler("pdftotext", "-f", str(page), "-l", str(page), "-enc", "UTF-8", str(pdf), "-")


def page_image(pdf: Path, page: int = 1, dpi: int = 300) -> Image.Image:
    """The page rasterised by pdftoppm, as a printer driver would see it."""
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "page"
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                "-png",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf),
                str(prefix),
            ],
            check=True,
            timeout=60,
        )
        with Image.open(f"{prefix}.png") as image:
            return image.convert("RGB")


def codes(pdf: Path, page: int = 1) -> dict[str, str]:
    """Every barcode zxing-cpp reads on the page, as {format name: text}."""
    pixels = np.asarray(page_image(pdf, page))
    return {result.format.name: result.text for result in zxingcpp.read_barcodes(pixels)}
