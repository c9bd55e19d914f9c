"""Readers of what the handout code makes: the tools a person would trust.

``zbarimg`` (Debian ``zbar-tools``) decodes QR codes from pictures; ``pdftotext``,
``pdffonts`` and ``pdftoppm`` (``poppler-utils``) read PDFs. They are in
``.ci/apt-packages.txt``; a missing one fails the test (it does not skip), naming the
package.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

TOOLS = {
    "zbarimg": "zbar-tools",
    "pdftotext": "poppler-utils",
    "pdffonts": "poppler-utils",
    "pdftoppm": "poppler-utils",
}
GS_V0 = b"\x1dv0"  # ESC/POS raster bit image


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: apt-get install {TOOLS[name]} (.ci/apt-packages.txt)")
    return path


def zbar(image: Image.Image, folder: Path) -> list[str]:
    """Every QR that zbarimg finds in ``image``."""
    path = folder / "qr.png"
    image.save(path)
    done = subprocess.run(
        [tool("zbarimg"), "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.stdout.splitlines()


def cells_to_image(lines: tuple[str, ...], pixel: int = 6) -> Image.Image:
    """Rebuild the bitmap a terminal shows from half-block cells (dark on light)."""
    halves = {" ": (0, 0), "▀": (1, 0), "▄": (0, 1), "█": (1, 1)}
    width = len(lines[0])
    image = Image.new("L", (width, 2 * len(lines)), 255)
    for row, line in enumerate(lines):
        assert len(line) == width
        for column, char in enumerate(line):
            top, bottom = halves[char]
            if top:
                image.putpixel((column, 2 * row), 0)
            if bottom:
                image.putpixel((column, 2 * row + 1), 0)
    return image.resize((width * pixel, 2 * len(lines) * pixel), Image.NEAREST)


def raster_images(output: bytes) -> list[Image.Image]:
    """The images in ESC/POS bytes, from each ``GS v 0`` command (a set bit prints black)."""
    images = []
    at = output.find(GS_V0)
    while at != -1:
        width_bytes = output[at + 4] + 256 * output[at + 5]
        height = output[at + 6] + 256 * output[at + 7]
        start = at + 8
        data = output[start : start + width_bytes * height]
        assert len(data) == width_bytes * height, "truncated raster"
        inverted = Image.frombytes("1", (width_bytes * 8, height), data)
        images.append(inverted.point(lambda v: 255 - v))
        at = output.find(GS_V0, start + len(data))
    return images


def stack(images: list[Image.Image]) -> Image.Image:
    width = max(image.width for image in images)
    whole = Image.new("L", (width, sum(image.height for image in images)), 255)
    y = 0
    for image in images:
        whole.paste(image.convert("L"), (0, y))
        y += image.height
    return whole


def pdf_text(pdf: bytes, folder: Path) -> str:
    path = folder / "out.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        [tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def pdf_fonts(pdf: bytes, folder: Path) -> list[list[str]]:
    """Rows of ``pdffonts``: name, type, encoding, emb, sub, uni, ..."""
    path = folder / "fonts.pdf"
    path.write_bytes(pdf)
    done = subprocess.run([tool("pdffonts"), str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return [line.split() for line in done.stdout.splitlines()[2:]]


def pdf_pages(pdf: bytes, folder: Path, dpi: int = 100) -> list[Image.Image]:
    path = folder / "pages.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        [tool("pdftoppm"), "-r", str(dpi), "-png", str(path), str(folder / "page")],
        check=True,
        timeout=120,
    )
    return [Image.open(page) for page in sorted(folder.glob("page*.png"))]
