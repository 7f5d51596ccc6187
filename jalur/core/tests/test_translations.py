"""The English catalogue covers what users see: every marked string is extracted and translated.

makemessages only finds strings marked with the names xgettext knows (`_`, `gettext_lazy`, …); a
string marked through another alias (`gettext_lazy as _lazy`) was silently left out of the
catalogue and shown in Indonesian to English readers."""

import ast
from pathlib import Path

import polib
from django.conf import settings

ROOT = Path(settings.BASE_DIR) / "jalur"
KNOWN = {"gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}


def _translation_imports():
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                for alias in node.names:
                    yield path, alias


def test_strings_are_marked_only_with_names_makemessages_extracts():
    wrong = [
        f"{path.relative_to(ROOT)}: {alias.name} as {alias.asname}"
        for path, alias in _translation_imports()
        if alias.name in KNOWN and alias.asname not in (None, "_")
    ]
    assert wrong == []


def test_the_english_catalogue_is_complete():
    catalogue = polib.pofile(str(ROOT / "locale/en/LC_MESSAGES/django.po"))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


def test_the_journey_reads_in_english():
    from django.utils import translation

    from jalur.candidates.selectors import JOURNEY_HELP
    from jalur.candidates.stages import Stage

    with translation.override("en"):
        text = str(JOURNEY_HELP[Stage.REGISTERED])
    assert text != "Petugas Disnakertrans memeriksa data dan dokumen Anda satu per satu."


def test_djangos_own_form_messages_say_what_to_write_in_indonesian():
    """jalur/locale/id overrides Django's catalogue: "Masukkan tanggal yang valid." said nothing
    of the format, and "Masukkan keseluruhan angka bilangan." was not understood."""
    from django import forms
    from django.utils import translation

    class Form(forms.Form):
        born = forms.DateField()
        weight = forms.IntegerField()
        people = forms.ChoiceField(choices=[("1", "Siti")])

    with translation.override("id"):
        form = Form({"born": "31-02-2026", "weight": "52.5", "people": "30"})
        form.is_valid()
    assert "17-08-1990" in form.errors["born"][0]
    assert "angka bulat" in form.errors["weight"][0]
    assert "Muat ulang halaman" in form.errors["people"][0]
