"""The worker's own number in the country of placement: added by the worker from their own page
once departed, or by the office for them (the worker's page in `protection` links here)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalur.accounts.decorators import capability_required
from jalur.core.forms_errors import form_page
from jalur.core.phone import format_phone

from .access import access_candidate, own_candidate
from .services.abroad import candidate_phone_abroad_set, phone_abroad_check
from .stages import Stage

TEMPLATE = "candidates/phone_abroad.html"


class PhoneAbroadForm(forms.Form):
    phone_abroad = forms.CharField(
        label=gettext_lazy("Nomor HP di negara penempatan"),
        max_length=24,
        required=False,
        help_text=gettext_lazy(
            "Dengan kode negara di depannya, contoh: +82 10-1234-5678 (Korea), "
            "+81 90-1234-5678 (Jepang). Kosongkan untuk menghapus nomor ini."
        ),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )

    def clean_phone_abroad(self):
        """Checked with the rest of the form; the service checks it again when saving."""
        try:
            return phone_abroad_check(self.cleaned_data.get("phone_abroad", ""))
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["phone_abroad"]) from None


class StaffPhoneAbroadForm(PhoneAbroadForm):
    reason = forms.CharField(
        label=gettext_lazy("Alasan perubahan (dicatat di jejak audit)"),
        max_length=300,
        help_text=gettext_lazy("mis. pekerja memberi tahu lewat telepon ke kantor"),
        error_messages={"required": gettext_lazy("Tulis dari mana nomor ini diketahui.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone_abroad"].widget.attrs["autocomplete"] = "off"  # someone else's number


def _context(candidate, **extra) -> dict:
    return {
        "candidate": candidate,
        "saved_abroad": format_phone(candidate.phone_abroad),
        "phone_home": format_phone(candidate.phone),
        **extra,
    }


@capability_required("candidates.self")
def my_phone_abroad(request):
    """The worker adds or changes their own number abroad."""
    candidate = own_candidate(request.user)
    if candidate is None or candidate.stage != Stage.DEPARTED:
        messages.info(
            request, _("Nomor luar negeri bisa diisi setelah Anda berangkat ke negara tujuan.")
        )
        return redirect("candidates:me")
    form = PhoneAbroadForm(
        request.POST or None,
        initial={"phone_abroad": format_phone(candidate.phone_abroad)},
    )
    return form_page(
        request,
        form,
        save=lambda data: candidate_phone_abroad_set(
            candidate=candidate,
            raw=data["phone_abroad"],
            actor=request.user,
            reason=_("diubah sendiri oleh pekerja"),
        ),
        success=_("Nomor luar negeri tersimpan."),
        done=reverse("candidates:my_phone_abroad"),
        template=TEMPLATE,
        context=_context(candidate, own=True),
    )


@capability_required("protection.manage")
def staff_phone_abroad(request, pk: int):
    """The office records a worker's number abroad for them (told by phone, e-mail, the P3MI)."""
    candidate = access_candidate(request.user, pk, write=False)
    back = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    back = back or reverse("candidates:detail", args=[candidate.pk])
    if candidate.stage != Stage.DEPARTED:
        messages.info(
            request,
            _("Nomor luar negeri hanya bisa dicatat selama pekerja berada di luar negeri."),
        )
        return redirect(back)
    form = StaffPhoneAbroadForm(
        request.POST or None,
        initial={"phone_abroad": format_phone(candidate.phone_abroad)},
    )
    return form_page(
        request,
        form,
        save=lambda data: candidate_phone_abroad_set(
            candidate=candidate,
            raw=data["phone_abroad"],
            actor=request.user,
            reason=data["reason"],
        ),
        success=_("Nomor luar negeri tersimpan."),
        done=back,
        template=TEMPLATE,
        context=_context(candidate, own=False, back=back),
    )
