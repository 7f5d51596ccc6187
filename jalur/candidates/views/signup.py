"""Signing up: the log-in a job seeker creates (phone or e-mail and password), the code that
confirms it, and the consent text; limits per client and per contact keep a burst away."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from jalur.accounts.decorators import public
from jalur.accounts.roles import Role, can
from jalur.core.forms_errors import apply_errors
from jalur.core.network import client_ip
from jalur.core.phone import normalize_phone
from jalur.core.throttle import DAY, over_limit, throttled
from jalur.notifications.services import notify

from .. import selectors, signup_confirm
from ..forms import FIELD_ALIASES, AccountForm
from ..services import candidate_account_create
from ..services.registration import AccountTaken, candidate_account_check
from ._shared import posted

# Sign-ups a day from one address. On opening day many people reach Jalur through one mobile
# carrier address (CGNAT), so the day's limit per address is high; what it used to protect is
# kept by a limit per phone or e-mail signed up (any address), since every account needs its own
# contact (with JALUR_SIGNUP_CONFIRM, one that answers the code), and by the hour's and minute's
# limits on tries per address below.
SIGNUPS_PER_CLIENT_PER_DAY = 50
SIGNUPS_PER_CONTACT_PER_DAY = 3
SIGNUPS_PER_CLIENT_PER_HOUR = 20  # tries, refused ones too
# A burst from one client: each sign-up hashes a password (Argon2id, about 40 ms of a core), so on
# opening day one client sending many at once would hold the workers everyone else waits for.
SIGNUPS_PER_CLIENT_PER_MINUTE = 5
SIGNUPS_USED_UP = gettext_lazy(
    "Terlalu banyak pendaftaran dari sambungan ini. Coba lagi besok, atau datang ke meja "
    "pendaftaran Disnakertrans."
)
SIGNUPS_TOO_FAST = gettext_lazy(
    "Terlalu banyak pendaftaran dari sambungan ini dalam satu menit. Tunggu satu menit, lalu "
    'tekan "Buat akun dan lanjutkan" lagi: nama dan nomor HP Anda masih ada di halaman ini.'
)
SIGNUPS_CONTACT_USED_UP = gettext_lazy(
    "Nomor HP atau e-mail ini sudah beberapa kali dipakai untuk mendaftar hari ini. Coba lagi "
    "besok, atau datang ke meja pendaftaran Disnakertrans."
)


@public
def register_start(request):
    """Step one: create the log-in (phone or e-mail + password); then the form, step by step."""
    user = request.user
    if user.is_authenticated:
        if user.role == Role.CANDIDATE:
            return redirect("candidates:me")
        if can(user, "candidates.register"):
            return redirect("candidates:walk_in")
        return render(request, "candidates/register_staff.html")
    form = AccountForm(posted(request))
    if request.method == "POST" and throttled(request, "signup", SIGNUPS_PER_CLIENT_PER_HOUR):
        form.is_valid()
        form.add_error(None, SIGNUPS_USED_UP)
    elif request.method == "POST" and over_limit(
        f"signup-minute:{client_ip(request)}", SIGNUPS_PER_CLIENT_PER_MINUTE, 60
    ):
        form.is_valid()
        form.add_error(None, SIGNUPS_TOO_FAST)
        response = _signup_start_page(request, form)
        response.status_code = 429  # Too Many Requests: a client that reads it waits a minute
        response["Retry-After"] = "60"
        return response
    elif request.method == "POST" and form.is_valid():
        if over_limit(f"signup-day:{client_ip(request)}", SIGNUPS_PER_CLIENT_PER_DAY, DAY):
            form.add_error(None, SIGNUPS_USED_UP)
            return _signup_start_page(request, form)
        contact = _signup_contact(form.cleaned_data)
        if contact and over_limit(f"signup-contact:{contact}", SIGNUPS_PER_CONTACT_PER_DAY, DAY):
            form.add_error(None, SIGNUPS_CONTACT_USED_UP)
            return _signup_start_page(request, form)
        if signup_confirm.confirm_needed(
            phone=form.cleaned_data["phone"], email=form.cleaned_data["email"]
        ):
            return _signup_pending_start(request, form)
        try:
            account = candidate_account_create(
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except AccountTaken as taken:
            # not "taken" (that tells anyone who has an account): the owner is told instead
            with transaction.atomic():
                for owner in taken.owners:
                    notify(user=owner, key="signup_attempt", link=reverse("accounts:login"))
            return render(request, "candidates/register_check.html", {"form": form})
        except ValidationError as error:
            apply_errors(form, error, aliases=FIELD_ALIASES)
        else:
            with transaction.atomic():
                notify(user=account, key="welcome", link=reverse("candidates:me"))
            login(request, account, backend="jalur.accounts.backends.PhoneOrEmailBackend")
            messages.success(
                request,
                _("Akun dibuat. Anda bisa berhenti kapan saja dan melanjutkan dengan masuk lagi."),
            )
            return redirect("candidates:register_step", step="identitas")
    return render(
        request,
        "candidates/register_start.html",
        {"form": form, "consent": selectors.consent_current()},
    )


def _signup_contact(cleaned: dict) -> str:
    """The phone (as E.164, however it was typed) or else the e-mail a sign-up is for."""
    phone = cleaned.get("phone") or ""
    return normalize_phone(phone, any_country=True) or phone or (cleaned.get("email") or "").lower()


def _signup_start_page(request, form):
    return render(
        request,
        "candidates/register_start.html",
        {"form": form, "consent": selectors.consent_current()},
    )


def _signup_pending_start(request, form):
    """A sign-up that waits for its code: the same answer whether or not the phone or e-mail
    already has an account (`signup_confirm`)."""
    try:
        data, owners = candidate_account_check(
            full_name=form.cleaned_data["full_name"],
            phone=form.cleaned_data["phone"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
        )
    except ValidationError as error:
        apply_errors(form, error, aliases=FIELD_ALIASES)
        return _signup_start_page(request, form)
    signup_confirm.pending_start(
        request, data=data, password=form.cleaned_data["password"], owners=owners
    )
    return redirect("candidates:register_confirm")


class SignupCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode dari pesan"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
        error_messages={"min_length": gettext_lazy("Kodenya 6 angka.")},
    )


@public
@never_cache
def register_confirm(request):
    """The code sent to the phone or e-mail of a sign-up; the right one creates the account."""
    pending = signup_confirm.pending_get(request)
    if pending is None:
        messages.info(
            request,
            _("Kode sudah tidak berlaku atau salah terlalu sering. Isi pendaftaran sekali lagi."),
        )
        return redirect("candidates:register_start")
    form = SignupCodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        confirmed = signup_confirm.pending_check(request, form.cleaned_data["code"])
        account = None
        if confirmed is not None:
            try:
                account = candidate_account_create(
                    full_name=confirmed["full_name"],
                    phone=confirmed["phone"],
                    email=confirmed["email"],
                    password_hash=confirmed["password_hash"],
                )
            except (AccountTaken, ValidationError):
                account = None  # taken in the meantime: the same answer as a wrong code
        if account is None:
            form.add_error(
                "code",
                _("Kode salah atau sudah tidak berlaku. Periksa pesan terakhir dari Jalur."),
            )
            if signup_confirm.pending_get(request) is None:
                return redirect("candidates:register_confirm")
        else:
            with transaction.atomic():
                notify(user=account, key="welcome", link=reverse("candidates:me"))
            login(request, account, backend="jalur.accounts.backends.PhoneOrEmailBackend")
            messages.success(
                request,
                _("Akun dibuat. Anda bisa berhenti kapan saja dan melanjutkan dengan masuk lagi."),
            )
            return redirect("candidates:register_step", step="identitas")
    return render(
        request,
        "candidates/register_confirm.html",
        {"form": form, "sent_to": signup_confirm.contact_shown(pending)},
    )


@public
def consent_text(request):
    return render(request, "candidates/consent_text.html", {"consent": selectors.consent_current()})
