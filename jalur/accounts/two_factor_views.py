"""The code step after the password, enrolment on a first log-in, new recovery codes, and the
system administrator's reset of a lost phone (see two_factor.py)."""

import django_otp
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from jalur.core.throttle import throttled

from . import two_factor
from .decorators import capability_required, login_only
from .models import User

CODES_TEMPLATE = "accounts/two_factor_codes.html"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "none"}
        ),
        error_messages={"required": gettext_lazy("Tulis kode 6 angka dari aplikasi.")},
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()


class ResetForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan dan cara memastikan orangnya"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Contoh: HP hilang; orangnya datang sendiri, KTP dilihat langsung dan cocok."
        ),
        error_messages={"required": gettext_lazy("Tulis alasannya; ini dicatat di log audit.")},
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def _codes_page(request, codes, *, next_url):
    response = render(request, CODES_TEMPLATE, {"codes": codes, "next": next_url})
    response["Cache-Control"] = "private, no-store"
    return response


@login_only
@never_cache
def otp_setup(request):
    """First log-in of a role that needs it: scan the QR (or type the secret), confirm a code,
    then keep the ten recovery codes."""
    user = request.user
    if two_factor.enrolled(user):
        # a second app only through the administrator's reset: a stolen password must not add one
        return redirect("accounts:otp_verify" if not user.is_verified() else "accounts:profile")
    device = two_factor.enrolment_device(user)
    form = CodeForm(request.POST or None)
    next_url = _next_url(request)
    if request.method == "POST" and form.is_valid():
        if throttled(request, "otp-setup"):
            form.add_error("code", _("Terlalu banyak percobaan. Coba lagi satu jam lagi."))
        else:
            codes = two_factor.two_factor_confirm(
                user=user, device=device, token=form.cleaned_data["code"]
            )
            if codes is None:
                form.add_error(
                    "code",
                    _(
                        "Kode tidak cocok. Pastikan jam HP benar (otomatis) dan ketik kode yang "
                        "sedang tampil di aplikasi."
                    ),
                )
            else:
                device.refresh_from_db()
                django_otp.login(request, device)
                return _codes_page(request, codes, next_url=next_url)
    context = {
        "form": form,
        "qr": two_factor.qr_svg(device),
        "secret": two_factor.secret_text(device),
        "next": next_url,
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_only
@never_cache
def otp_verify(request):
    """The code step after the password: a code from the app, or one recovery code (used up)."""
    user = request.user
    if not two_factor.enrolled(user):
        return redirect("accounts:otp_setup")
    next_url = _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if throttled(request, "otp-verify"):
            form.add_error("code", _("Terlalu banyak percobaan. Coba lagi satu jam lagi."))
        elif (device := django_otp.match_token(user, form.cleaned_data["code"])) is None:
            form.add_error(
                "code",
                _(
                    "Kode salah atau sudah dipakai. Ketik kode yang sedang tampil di aplikasi, "
                    "atau satu kode pemulihan."
                ),
            )
        else:
            django_otp.login(request, device)
            two_factor.two_factor_used(user=user, device=device)
            if isinstance(device, StaticDevice):
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    _(
                        "Satu kode pemulihan terpakai; sisa %(n)s. Buat kode baru di Akun saya "
                        "bila tinggal sedikit."
                    )
                    % {"n": left},
                )
            return redirect(next_url)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


@login_only
@require_POST
@never_cache
def otp_recovery_codes(request):
    """Ten new recovery codes, shown once; the old ones stop working."""
    user = request.user
    if not two_factor.enrolled(user) or not user.is_verified():
        raise PermissionDenied
    codes = two_factor.recovery_codes_renew(user=user)
    return _codes_page(request, codes, next_url="")


@capability_required("accounts.reset_two_factor")
def otp_reset(request, pk: int):
    """The system administrator removes a person's app (a lost phone); they enrol again."""
    person = get_object_or_404(User, pk=pk)
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        two_factor.two_factor_reset(
            actor=request.user, user=person, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            _("Verifikasi dua langkah %(name)s diatur ulang; orangnya sudah diberi tahu.")
            % {"name": person.get_full_name()},
        )
        return redirect("admin:accounts_user_change", person.pk)
    context = {"form": form, "person": person, "enrolled": two_factor.enrolled(person)}
    return render(request, "accounts/two_factor_reset.html", context)
