#!/usr/bin/env bash
# Remakes the fonts every Jalur PDF embeds (jalur/core/fonts/). Not needed to install or run Jalur:
# the files it makes are committed. Run it only to change which characters the fonts hold.
#
#   scripts/make-pdf-font.sh            # uses Debian's font packages (apt-get download, no root)
#   DEBS=/path/with/debs scripts/make-pdf-font.sh   # or .deb files fetched before
#
# Sources (SIL Open Font License 1.1, text in jalur/core/fonts/OFL.txt):
#   fonts-noto-core  20201225-1            NotoSans-Regular/Bold/Italic.ttf (TrueType outlines)
#   fonts-noto-cjk   1:20220127+repack1-1  NotoSansCJK-Regular.ttc, face 0 "Noto Sans CJK JP"
#                                          (the JP face so kanji take Japanese forms; its CFF
#                                          outlines are turned into TrueType ones, see below)
# What is kept:
#   Latin fonts: Basic Latin to Latin Extended-B, IPA and spacing modifiers, combining marks, Greek,
#     Cyrillic, Latin Extended Additional, punctuation, currency, letterlike symbols, arrows, maths,
#     geometric shapes: every Indonesian name and the signs the reports print (– — ≥ ≤ → · ’ ‹ ›).
#   CJK font: all 11,172 Hangul syllables, Hangul Jamo and compatibility Jamo; hiragana, katakana
#     (also half-width); every character of Windows-31J (JIS X 0208 level 1 and 2 kanji plus the
#     NEC/IBM extensions Japanese names use, like 髙 and 﨑); CJK symbols and punctuation; enclosed
#     and compatibility CJK (㈱ ㍿); full-width forms.
# Hinting, vertical metrics and layout tables are dropped (fpdf2 writes horizontal text without
# shaping; the files and the PDFs are smaller). fpdf2 then
# embeds only the glyphs a PDF uses (a subset per document).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-.venv/bin/python}"
OUT=jalur/core/fonts
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if [ -n "${DEBS:-}" ]; then
  cp "$DEBS"/fonts-noto-core_*.deb "$DEBS"/fonts-noto-cjk_*.deb "$WORK"/
else
  (cd "$WORK" && apt-get download fonts-noto-core=20201225-1 fonts-noto-cjk=1:20220127+repack1-1)
fi
for deb in "$WORK"/*.deb; do dpkg-deb -x "$deb" "$WORK/x"; done
NOTO="$WORK/x/usr/share/fonts/truetype/noto"
CJK="$WORK/x/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

LATIN="U+0020-007E,U+00A0-036F,U+0370-03FF,U+0400-045F,U+1E00-1EFF,U+2000-206F,U+20A0-20C0"
LATIN="$LATIN,U+2100-214F,U+2190-21FF,U+2200-22FF,U+25A0-25FF,U+FFFD"
for style in Regular Bold Italic; do
  "$PYTHON" -m fontTools.subset "$NOTO/NotoSans-$style.ttf" --unicodes="$LATIN" \
    --no-hinting --layout-features='' --drop-tables+=GSUB,GPOS,GDEF --name-IDs='*' --name-languages='*' \
    --output-file="$OUT/NotoSans-$style.ttf"
done

"$PYTHON" - "$WORK/cjk-unicodes.txt" <<'PY'
import sys

codes = set(range(0xAC00, 0xD7A4))  # Hangul syllables
for start, end in [
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x31F0, 0x31FF),  # katakana phonetic extensions
    (0x3200, 0x33FF),  # enclosed CJK letters, CJK compatibility (㈱ ㍿)
    (0x2190, 0x22FF),  # arrows, maths (≥ ≤ →: Noto Sans has not got them)
    (0x2460, 0x27BF),  # circled numbers, box drawing, shapes, dingbats (✓)
    (0xFF01, 0xFF9F),  # full-width forms, half-width katakana
    (0xFFE0, 0xFFE6),  # full-width signs
]:
    codes.update(range(start, end + 1))
for lead in list(range(0x81, 0xA0)) + list(range(0xE0, 0xFD)):  # every Windows-31J pair
    for trail in list(range(0x40, 0x7F)) + list(range(0x80, 0xFD)):
        try:
            char = bytes([lead, trail]).decode("cp932")
        except UnicodeDecodeError:
            continue
        if not 0xE000 <= ord(char) <= 0xF8FF:  # not the private-use area
            codes.add(ord(char))
with open(sys.argv[1], "w") as out:
    out.write("\n".join(f"U+{c:04X}" for c in sorted(codes)))
PY
"$PYTHON" -m fontTools.subset "$CJK" --font-number=0 --unicodes-file="$WORK/cjk-unicodes.txt" \
  --no-hinting --layout-features='' --drop-tables+=vhea,vmtx,VORG,BASE,GPOS,GSUB \
  --name-IDs='*' --name-languages='*' --output-file="$WORK/cjk-subset.otf"

# fpdf2 embeds a CID-keyed CFF font with an embedded CMap that text extractors (pypdf) misread, so
# the outlines become TrueType quadratics (the snippet fontTools ships as otf2ttf.py): fpdf2 then
# embeds it like the Latin fonts (Identity-H + ToUnicode), which every viewer and extractor reads.
"$PYTHON" - "$WORK/cjk-subset.otf" "$OUT/NotoSansCJKjp-Jalur.ttf" <<'PY'
import sys

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

font = TTFont(sys.argv[1], recalcTimestamp=False)  # the same bytes on every run
order = font.getGlyphOrder()
glyph_set = font.getGlyphSet()
glyphs = {}
for name in order:
    pen = TTGlyphPen(glyph_set)
    glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
    glyphs[name] = pen.glyph()
font["loca"] = newTable("loca")
font["glyf"] = glyf = newTable("glyf")
glyf.glyphOrder = order
glyf.glyphs = glyphs
for tag in ("CFF ", "VORG"):
    if tag in font:
        del font[tag]
glyf.compile(font)
hmtx = font["hmtx"]
for name, glyph in glyf.glyphs.items():
    if hasattr(glyph, "xMin"):
        hmtx[name] = (hmtx[name][0], glyph.xMin)
font["maxp"] = maxp = newTable("maxp")
maxp.tableVersion = 0x00010000
for field in (
    "maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
    "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
):
    setattr(maxp, field, 1 if field == "maxZones" else 0)
# Glyph names stay in the file (post format 2): without them fontTools derives every name from
# the character map each time a PDF cuts its subset, which doubles the time that takes.
post = font["post"]
post.formatType = 2.0
post.extraNames = []
post.mapping = {}
post.glyphOrder = order
font.sfntVersion = "\0\1\0\0"
font.save(sys.argv[2])
PY

ls -l "$OUT"
