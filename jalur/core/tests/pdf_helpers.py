"""Reading back the PDFs Jalur makes, as a person or a screen reader would: their text (pypdf)."""

import io

from fontTools.ttLib import TTFont
from pypdf import PdfReader


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, whitespace (line breaks inside wrapped cells) made single spaces."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def pdf_text(content: bytes) -> str:
    return " ".join(pdf_pages(content))


def embedded_fonts(content: bytes) -> dict[str, int]:
    """Each embedded font's name (without its subset tag) and how many glyphs it carries."""
    fonts = {}
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            stream = descendant["/FontDescriptor"].get_object()["/FontFile2"].get_object()
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            fonts[name] = TTFont(io.BytesIO(stream.get_data()))["maxp"].numGlyphs
    return fonts
