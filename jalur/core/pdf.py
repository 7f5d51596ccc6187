"""PDFs in every script a worker's papers hold: Indonesian names, Korean (Hangul) and Japanese
(kana, kanji) employer names, and the signs the reports print (– ≥ → ·).

Every PDF of Jalur is a `JalurPdf`. It embeds fonts shipped inside the package (jalur/core/fonts/,
made by scripts/make-pdf-font.sh from Debian's Noto packages; SIL Open Font License, OFL.txt
beside them): Noto Sans regular, bold and italic for ordinary text, and Noto Sans CJK JP (TrueType
outlines) as the fallback for every character Noto Sans has not got. fpdf2 embeds only the glyphs
a document uses (a subset), so a one-page manifest with Korean and Japanese names stays small.
Nothing is downloaded at run time and no system font is used.

Speed: reading a font file costs 20 to 250 ms, too much for the zip of a thousand certificates.
So each file is read once per process (`_prototype`), and a document gets a light copy that shares
the read-only tables (character map, widths) but keeps its own subset; at output it is given a
fresh copy of the font file to cut its subset from. A style or the CJK font is added to a
document only when the document uses it.
"""

import copy
import io
import logging
from functools import cache
from importlib import resources
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import TextEmphasis
from fpdf.fonts import SubsetMap, TTFFont

FAMILY = "NotoSans"
CJK_FAMILY = "NotoSansCJK"
LATIN_FILES = {"": "NotoSans-Regular.ttf", "B": "NotoSans-Bold.ttf", "I": "NotoSans-Italic.ttf"}
CJK_FILE = "NotoSansCJKjp-Jalur.ttf"
FONT_FILES = {
    **{f"{FAMILY.lower()}{style}": name for style, name in LATIN_FILES.items()},
    CJK_FAMILY.lower(): CJK_FILE,
}

# fontTools logs every subset it cuts at INFO: one PDF would write hundreds of lines to the log.
logging.getLogger("fontTools").setLevel(logging.WARNING)
logger = logging.getLogger(__name__)


class FontMissing(RuntimeError):
    """A font file is not inside the installed package (package data left out of the build)."""


def font_path(name: str) -> Path:
    """The font file `name` as installed with the jalur.core package (no network, no system fonts)."""
    path = Path(str(resources.files("jalur.core").joinpath("fonts", name)))
    if not path.is_file():
        raise FontMissing(
            f"{path} is missing: the package must ship jalur/core/fonts/ "
            "(package data 'fonts/*'; remake with scripts/make-pdf-font.sh)"
        )
    return path


@cache
def _font_bytes(name: str) -> bytes:
    return font_path(name).read_bytes()


@cache
def _prototype(fontkey: str) -> TTFFont:
    """The font `fontkey` read once: its character map, widths and descriptor."""
    style = fontkey.removeprefix(FAMILY.lower()) if fontkey != CJK_FAMILY.lower() else ""
    holder = FPDF()  # TTFFont reads only its font count and render_color_fonts
    return TTFFont(holder, font_path(FONT_FILES[fontkey]), fontkey, style)


def _fresh_ttfont(fontkey: str) -> TTFont:
    return TTFont(io.BytesIO(_font_bytes(FONT_FILES[fontkey])), recalcTimestamp=False, lazy=True)


def latin_cmap() -> dict[int, str]:
    """The code points Noto Sans holds (its three styles hold the same ones)."""
    return _prototype(FAMILY.lower()).cmap


class JalurPdf(FPDF):
    """An FPDF with Jalur's fonts; use `set_font(FAMILY, style, size)` with style "", "B" or "I".

    Text with characters outside Noto Sans (Hangul, kana, kanji, ≥ ≤ →) is drawn with Noto Sans
    CJK, whose bold is its regular weight (one face keeps the package small)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._cjk_ready = False
        self.set_creator("Jalur")
        self.set_font(FAMILY, size=10)

    # --- fonts ----------------------------------------------------------------------------------
    def _add_jalur_font(self, fontkey: str) -> None:
        if fontkey in self.fonts:
            return
        try:
            prototype = _prototype(fontkey)
            font = copy.copy(prototype)  # shares the read-only character map and widths
            font.i = len(self.fonts) + 1
            font.desc = copy.copy(prototype.desc)
            font.missing_glyphs = []
            font.biggest_size_pt = 0
            font.subset = SubsetMap(font)
        except (AttributeError, TypeError):  # fpdf2 changed its font object: read the file
            logger.warning("fpdf2 font internals changed; %s is read for each PDF", fontkey)
            family = CJK_FAMILY if fontkey == CJK_FAMILY.lower() else FAMILY
            style = fontkey.removeprefix(family.lower())
            self.add_font(family, style, font_path(FONT_FILES[fontkey]))
            return
        self.fonts[fontkey] = font

    def set_font(self, family=None, style="", size=0):
        name = (family or self.font_family or "").lower()
        if name in (FAMILY.lower(), CJK_FAMILY.lower()):
            emphasis = TextEmphasis.coerce(style).style if style else ""
            flags = "".join(sorted(emphasis.replace("U", "").replace("S", "")))
            self._add_jalur_font(name + (flags if name == FAMILY.lower() else ""))
        super().set_font(family, style, size)

    def _needs_cjk(self, text: str) -> bool:
        if self._cjk_ready or text.isascii():
            return False
        latin = latin_cmap()
        return any(ord(char) not in latin for char in text if char not in "\n\r")

    def _add_cjk(self) -> None:
        self._add_jalur_font(CJK_FAMILY.lower())
        self.set_fallback_fonts([CJK_FAMILY], exact_match=False)
        self._cjk_ready = True

    def normalize_text(self, text: str) -> str:
        # fpdf2 passes every text of cell(), multi_cell(), write(), text() and
        # get_string_width() through here before it chooses fonts for it.
        if self._needs_cjk(text):
            self._add_cjk()
        return super().normalize_text(text)

    def text(self, x: float, y: float, text: str = "") -> None:
        """fpdf2's text() draws in the current font only: runs of characters that font lacks
        are drawn in the fallback font, each run after the one before it."""
        text = self.normalize_text(text)
        if not self._cjk_ready or self.font_family == CJK_FAMILY.lower():
            super().text(x, y, text)
            return
        cmap = self.current_font.cmap
        family, style, size = self.font_family, self.font_style, self.font_size_pt
        for missing, part in _runs(text, cmap):
            if missing:
                self.set_font(CJK_FAMILY, "", size)
            super().text(x, y, part)
            x += self.get_string_width(part)
            if missing:
                self.set_font(family, style, size)

    def output(self, *args, **kwargs):
        # fpdf2 cuts each font's subset out of its TTFont in place: give every font a copy of
        # its own, so the shared prototype stays whole for the next document.
        for fontkey, font in self.fonts.items():
            if fontkey in FONT_FILES and isinstance(font, TTFFont):
                font.ttfont = _fresh_ttfont(fontkey)
        return super().output(*args, **kwargs)


def _runs(text: str, cmap) -> list[tuple[bool, str]]:
    """`text` cut where it moves between characters in `cmap` and characters not in it."""
    runs: list[tuple[bool, str]] = []
    for char in text:
        missing = ord(char) not in cmap
        if runs and runs[-1][0] == missing:
            runs[-1] = (missing, runs[-1][1] + char)
        else:
            runs.append((missing, char))
    return runs
