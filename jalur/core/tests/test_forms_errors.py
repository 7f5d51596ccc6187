from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from jalur.core.forms_errors import apply_errors, form_page, post_action


class _Form(forms.Form):
    phone = forms.CharField(required=False)


def test_field_errors_land_beside_their_field_and_others_on_top():
    form = _Form({"phone": "x"})
    assert form.is_valid()
    apply_errors(form, ValidationError({"phone": "Nomor HP salah.", "nik": "NIK salah."}))
    assert form.errors["phone"] == ["Nomor HP salah."]
    assert form.non_field_errors() == ["NIK salah."]


def test_a_plain_error_goes_on_top():
    form = _Form({})
    form.is_valid()
    apply_errors(form, ValidationError("Tahap tidak bisa diubah."))
    assert form.non_field_errors() == ["Tahap tidak bisa diubah."]


class _VillageForm(forms.Form):
    village = forms.CharField(required=False)


def test_an_alias_puts_a_field_the_form_lacks_beside_the_one_that_decides_it():
    form = _VillageForm({"village": "x"})
    form.is_valid()
    apply_errors(
        form,
        ValidationError({"district": ValidationError("Di luar wilayah.", code="outside")}),
        aliases={"district": "village"},
    )
    assert form.errors["village"] == ["Di luar wilayah."]
    assert form.has_error("village", code="outside")
    assert not form.non_field_errors()


def _request(method: str, data=None):
    request = getattr(RequestFactory(), method)("/x/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _page(request, saved: list):
    def save(data):
        if data["phone"] == "0000":
            raise ValidationError({"phone": "Nomor HP tidak dikenal."})
        saved.append(data)
        return data["phone"]

    return form_page(
        request,
        _Form(request.POST or None),
        save=save,
        success="Tersimpan.",
        done=lambda phone: f"/selesai/{phone}/",
        template="includes_form.html",
        context={"title": "Uji"},
    )


def test_form_page_saves_says_so_and_goes_on():
    saved = []
    request = _request("post", {"phone": "0812"})
    response = _page(request, saved)
    assert response.status_code == 302 and response.url == "/selesai/0812/"
    assert saved == [{"phone": "0812"}]
    assert [str(m) for m in get_messages(request)] == ["Tersimpan."]


def test_form_page_puts_a_refusal_beside_the_field_and_keeps_what_was_typed():
    saved = []
    request = _request("post", {"phone": "0000"})
    response = _page(request, saved)
    assert response.status_code == 200 and saved == []
    html = response.content.decode()
    assert "Nomor HP tidak dikenal." in html and 'value="0000"' in html
    assert not list(get_messages(request))


def test_form_page_shows_the_form_on_get():
    response = _page(_request("get"), [])
    assert response.status_code == 200 and 'name="phone"' in response.content.decode()


class _ReasonForm(forms.Form):
    reason = forms.CharField()


def _act(request, *, form=True, refuse=False):
    def save(data):
        if refuse:
            raise ValidationError("Sudah ditutup.")
        return len(data.get("reason", ""))

    return post_action(
        request,
        _ReasonForm(request.POST) if form else None,
        save=save,
        success=lambda n: f"Tercatat ({n}).",
        invalid="Tulis alasannya.",
        done="/detail/",
    )


def _said(request) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def test_post_action_says_what_happened_and_goes_back():
    request = _request("post", {"reason": "abc"})
    response = _act(request)
    assert response.url == "/detail/" and _said(request) == [("success", "Tercatat (3).")]


def test_post_action_says_what_to_fill_in_without_saving():
    request = _request("post", {})
    assert _act(request).url == "/detail/"
    assert _said(request) == [("error", "Tulis alasannya.")]


def test_post_action_passes_on_the_services_refusal():
    request = _request("post", {"reason": "abc"})
    _act(request, refuse=True)
    assert _said(request) == [("error", "Sudah ditutup.")]


def test_post_action_without_a_form():
    request = _request("post")
    _act(request, form=False)
    assert _said(request) == [("success", "Tercatat (0).")]


def test_post_action_can_lead_the_refusal_with_a_line():
    request = _request("post")
    post_action(
        request,
        None,
        save=lambda _data: (_ for _ in ()).throw(ValidationError(["Paspor belum ada."])),
        success="Siap.",
        refused="Belum bisa ditandai siap berangkat:",
        done="/kasus/",
    )
    assert _said(request) == [
        ("error", "Belum bisa ditandai siap berangkat:"),
        ("error", "Paspor belum ada."),
    ]


def test_a_fields_help_is_the_description_its_input_points_to():
    """Screen readers read the help with the field: the input's aria-describedby names it."""
    import re

    from django.template.loader import render_to_string

    class HelpForm(forms.Form):
        nik = forms.CharField(help_text="16 angka, lihat KTP.")

    html = render_to_string("includes_form.html", {"form": HelpForm()})
    described = re.search(r'aria-describedby="([^"]+)"', html).group(1)
    assert f'id="{described}">16 angka, lihat KTP.' in html
