"""PDFs print every script a worker's papers hold (issue 15): Indonesian names, Hangul and Japanese
employer names, and the report's signs, read back from the PDF as text. The fonts ship inside the
package, are subset per document and need no network."""

import socket
import tomllib
from pathlib import Path

import pytest

import jalur.core
from jalur.core import pdf as jalur_pdf
from jalur.core.pdf import CJK_FILE, FAMILY, LATIN_FILES, FontMissing, JalurPdf, font_path

from .pdf_helpers import embedded_fonts, pdf_text

LONG_NAME = "Siti Nurhaliza binti Abdullah Rahman Hakim Saputra"
HANGUL = "주식회사 한국산업"
KANJI = "株式会社さくら介護"
PACKAGE = Path(jalur.core.__file__).resolve().parent
ROOT = PACKAGE.parents[1]


def render(lines: list[str], style: str = "") -> bytes:
    pdf = JalurPdf()
    pdf.add_page()
    pdf.set_font(FAMILY, style, 11)
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


class TestFontFiles:
    def test_every_font_is_found_through_the_package_not_the_system(self):
        for name in [*LATIN_FILES.values(), CJK_FILE]:
            path = font_path(name)
            assert path == PACKAGE / "fonts" / name
            assert path.read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType outlines
        licence = (PACKAGE / "fonts" / "OFL.txt").read_text()
        assert "SIL OPEN FONT LICENSE Version 1.1" in licence

    def test_an_installed_package_carries_the_fonts(self):
        """setuptools installs only the package data pyproject.toml names: every font file (and
        its licence) must match one of those patterns, or an installed Jalur has no fonts."""
        config = tomllib.loads((ROOT / "pyproject.toml").read_text())
        package_data = config["tool"]["setuptools"]["package-data"]
        patterns = package_data.get("*", []) + package_data.get("jalur.core", [])
        shipped = {path for pattern in patterns for path in PACKAGE.glob(pattern)}
        fonts = set((PACKAGE / "fonts").iterdir())
        assert fonts and fonts <= shipped, sorted(p.name for p in fonts - shipped)

    def test_a_missing_font_file_says_how_to_make_it(self):
        with pytest.raises(FontMissing, match="scripts/make-pdf-font.sh"):
            font_path("NotoSans-Black.ttf")

    def test_the_cjk_font_holds_every_hangul_syllable_and_every_common_kanji_and_kana(self):
        cmap = jalur_pdf._prototype(jalur_pdf.CJK_FAMILY.lower()).cmap
        missing_hangul = [c for c in range(0xAC00, 0xD7A4) if c not in cmap]
        kana = [*range(0x3041, 0x3097), *range(0x30A1, 0x30FB)]
        jis = []  # JIS X 0208 level 1 and 2 kanji: rows 16 to 84
        for row in range(16, 85):
            for cell in range(1, 95):
                try:
                    jis.append(ord(bytes([0xA0 + row, 0xA0 + cell]).decode("euc_jp")))
                except UnicodeDecodeError:
                    continue
        assert len(jis) > 6300
        assert not missing_hangul
        assert [chr(c) for c in kana + jis if c not in cmap] == []
        assert all(ord(c) in cmap for c in "髙﨑㈱㍿≥≤→✓")


class TestText:
    def test_hangul_kanji_kana_and_signs_come_back_as_written(self):
        lines = [
            LONG_NAME,
            f"Pemberi kerja: {HANGUL} (Korea Selatan)",
            f"Pemberi kerja: {KANJI} (Jepang)",
            "髙橋 﨑山 ㈱ サクラ 똠방각하",
            "Nilai ≥ 200 → lulus – selesai · ‹ya›",
            "Nguyễn Đức, Çelik, Søren",
        ]
        text = pdf_text(render(lines))
        for line in lines:
            assert line in text

    @pytest.mark.parametrize("style", ["B", "I"])
    def test_bold_and_italic_text_keeps_its_korean_and_japanese(self, style):
        text = pdf_text(render([f"{LONG_NAME}: {HANGUL} / {KANJI}"], style))
        assert f"{LONG_NAME}: {HANGUL} / {KANJI}" in text

    def test_text_placed_at_a_point_switches_to_the_cjk_font_for_its_characters(self):
        pdf = JalurPdf()
        pdf.add_page()
        pdf.text(20, 30, f"Pemberi kerja: {HANGUL} · {KANJI} ≥ 3")
        assert f"Pemberi kerja: {HANGUL} · {KANJI} ≥ 3" in pdf_text(bytes(pdf.output()))

    def test_a_long_line_wraps_instead_of_being_cut(self):
        pdf = JalurPdf()
        pdf.add_page()
        pdf.set_font(FAMILY, size=10)
        pdf.multi_cell(40, 5, f"{LONG_NAME} {KANJI}{KANJI}", new_x="LMARGIN", new_y="NEXT")
        assert pdf.get_y() > pdf.t_margin + 15  # four lines or more in a 40 mm column
        text = pdf_text(bytes(pdf.output()))
        assert LONG_NAME in text
        # Japanese has no spaces: the line breaks inside the name, which reads back whole
        assert KANJI + KANJI in "".join(text.split())


class TestSubsets:
    def test_latin_only_documents_embed_no_cjk_font(self):
        content = render([LONG_NAME, "Kota Serang · Banten"])
        assert set(embedded_fonts(content)) == {"NotoSans"}
        assert len(content) < 20_000

    def test_each_document_embeds_only_the_glyphs_it_uses(self):
        korean = render([f"{LONG_NAME} {HANGUL}"])
        japanese = render([f"{LONG_NAME} {KANJI}"])
        assert embedded_fonts(korean)["NotoSansCJKJP"] < 20
        assert embedded_fonts(japanese)["NotoSansCJKJP"] < 20
        assert len(korean) < 40_000 and len(japanese) < 40_000
        # the fonts read once per process are not cut down by the documents made from them
        again = render([KANJI, HANGUL])
        assert f"{KANJI} {HANGUL}" in pdf_text(again)
        assert embedded_fonts(again)["NotoSansCJKJP"] < 30

    def test_fonts_are_read_without_the_network(self, monkeypatch):
        jalur_pdf._prototype.cache_clear()
        jalur_pdf._names_to_codepoints.cache_clear()

        def refuse(*args, **kwargs):
            raise AssertionError("a PDF tried to use the network")

        monkeypatch.setattr(socket.socket, "connect", refuse)
        monkeypatch.setattr(socket, "create_connection", refuse)
        assert f"{HANGUL} {KANJI}" in pdf_text(render([f"{HANGUL} {KANJI}"]))
