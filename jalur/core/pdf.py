"""PDFs in every script a worker's papers hold: Indonesian names, Korean (Hangul) and Japanese
(kana, kanji) employer names, and the signs the reports print (– ≥ → ·).

Every PDF of Jalur is a `JalurPdf`. It embeds fonts shipped inside the package (jalur/core/fonts/,
made by scripts/make-pdf-font.sh from Debian's Noto packages; SIL Open Font License, OFL.txt
beside them): Noto Sans regular, bold and italic for ordinary text, and Noto Sans CJK JP (TrueType
outlines) as the fallback for every character Noto Sans has not got. fpdf2 embeds only the glyphs
a document uses (a subset), so a one-page manifest with Korean and Japanese names stays small.
Nothing is downloaded at run time and no system font is used.

Speed: reading a font file costs 20 to 300 ms (the CJK one has 19,890 glyphs), too much for a
zip of a thousand certificates. So each file is read once per process (`_prototype`) and a
document gets a light copy that shares the read-only tables (character map, widths) but keeps its
own subset. At output, fpdf2 cuts the subset out of the font it is given, in place: `_cut` hands
it a small font holding only the document's glyphs, built from the prototype's tables, so the
cost follows the glyphs a document uses, not the size of the font. A style or the CJK font is
added to a document only when the document uses it.
"""

import copy
import logging
import struct
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path

from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable
from fontTools.ttLib.tables._g_l_y_f import Glyph
from fpdf import FPDF
from fpdf.enums import TextEmphasis
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.output import OutputProducer

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
def _prototype(fontkey: str) -> TTFFont:
    """The font `fontkey` read once: its character map, widths and descriptor."""
    style = fontkey.removeprefix(FAMILY.lower()) if fontkey != CJK_FAMILY.lower() else ""
    holder = FPDF()  # TTFFont reads only its font count and render_color_fonts
    return TTFFont(holder, font_path(FONT_FILES[fontkey]), fontkey, style)


@cache
def _names_to_codepoints(fontkey: str) -> dict[str, list[int]]:
    by_name: dict[str, list[int]] = {}
    for codepoint, name in _prototype(fontkey).cmap.items():
        by_name.setdefault(name, []).append(codepoint)
    return by_name


def _cut(fontkey: str, names: Iterable[str]) -> TTFont:
    """A TrueType font with only the glyphs `names` (and the parts of composite glyphs), their
    widths and characters, and the prototype's other small tables: what fpdf2 subsets and embeds.
    The prototype is only read: its glyphs are copied as bytes, never expanded in place."""
    source = _prototype(fontkey).ttfont
    glyf = source["glyf"]
    keep = {".notdef", *names}
    pending = list(keep)
    glyphs: dict[str, Glyph] = {}
    while pending:
        name = pending.pop()
        if name in glyphs:
            continue
        original = glyf.glyphs[name]
        raw = original.data if hasattr(original, "data") else original.compile(glyf)
        glyph = glyphs[name] = Glyph(raw)
        if raw[:2] and struct.unpack(">h", raw[:2])[0] < 0:  # composite: made of other glyphs
            glyph.expand(glyf)
            for component in glyph.getComponentNames(glyf):
                keep.add(component)
                pending.append(component)
    order = [".notdef", *sorted(keep - {".notdef"})]
    font = TTFont(recalcBBoxes=False, recalcTimestamp=False)  # the glyphs stay as bytes
    font.setGlyphOrder(order)
    for tag in ("head", "hhea", "maxp", "OS/2", "name"):
        font[tag] = copy.deepcopy(source[tag])
    post = font["post"] = newTable("post")
    for field in ("italicAngle", "underlinePosition", "underlineThickness", "isFixedPitch"):
        setattr(post, field, getattr(source["post"], field))
    post.formatType = 3.0
    post.minMemType42 = post.maxMemType42 = post.minMemType1 = post.maxMemType1 = 0
    font["loca"] = newTable("loca")
    new_glyf = font["glyf"] = newTable("glyf")
    new_glyf.glyphOrder = order
    new_glyf.glyphs = glyphs
    hmtx = font["hmtx"] = newTable("hmtx")
    hmtx.metrics = {name: source["hmtx"][name] for name in order}
    cmap = font["cmap"] = newTable("cmap")
    cmap.tableVersion = 0
    subtable = CmapSubtable.newSubtable(4)
    subtable.platformID, subtable.platEncID, subtable.language = 3, 1, 0
    by_name = _names_to_codepoints(fontkey)
    subtable.cmap = {cp: name for name in order for cp in by_name.get(name, ()) if cp <= 0xFFFF}
    cmap.tables = [subtable]
    return font


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
        self._shared_fonts: set[str] = set()
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
        self._shared_fonts.add(fontkey)

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
        return super().output(*args, output_producer_class=_Producer, **kwargs)

    def _cut_fonts(self) -> None:
        # fpdf2 cuts each font's subset out of its TTFont in place: give every font a small one
        # of its own, so the shared prototype stays whole for the next document.
        for fontkey in self._shared_fonts:
            font = self.fonts[fontkey]
            font.ttfont = _cut(fontkey, font.subset.get_all_glyph_names())


class _Producer(OutputProducer):
    """fpdf2's writer, after the last footer is drawn (the subsets are then final)."""

    def bufferize(self):
        self.fpdf._cut_fonts()
        return super().bufferize()


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
