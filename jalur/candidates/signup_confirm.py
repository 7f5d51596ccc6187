"""Sign-up confirmed by a code sent to the phone or e-mail, so the answer to a sign-up never tells
whether that phone or e-mail already has an account (issue 16).

Without it a new sign-up logs straight in while a taken one cannot, and anyone can tell the two
apart. With it (`JALUR_SIGNUP_CONFIRM`, on in production) every sign-up that passes the form's
checks answers the same: a page asking for the six-digit code "we sent". A new one gets its code; a
taken one gets none (its owner is told someone tried instead), so no code it is given ever works,
exactly as a wrong code for a new one. Both paths hash a password and a code, so they also take the
same time. The account is created only when the right code comes back; what waits for it is kept
in the session (database-backed, so any app server answers), the password only as its hash.

The code is kept as an HMAC keyed with the server's secret and a salt of its own, not with the
password hasher: a six-digit code lives 15 minutes and allows five tries, so a slow hash adds no
protection a keyed one lacks (whoever could read the session without the secret cannot test codes
against it), while Argon2 cost every sign-up a second hash of about 40 ms of a core (issue 20).
"""

import secrets
import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from jalur.notifications.gateways import phone_channel
from jalur.notifications.services import email_send, notify, text_send

SESSION_KEY = "jalur_signup_pending"
CODE_MINUTES = 15
CODE_TRIES = 5


def confirm_needed(*, phone: str, email: str) -> bool:
    """Whether this sign-up waits for a code: the setting is on and the code can reach the person
    (a phone number needs the city's gateway; e-mail always goes out)."""
    if not settings.JALUR_SIGNUP_CONFIRM:
        return False
    return bool(email) or bool(phone and phone_channel())


def pending_start(request, *, data: dict, password: str, owners) -> None:
    """Keep the sign-up in the session and send its code (none for a taken phone or e-mail: its
    owners are told instead). The same work on both paths."""
    code = f"{secrets.randbelow(10**6):06d}"
    pending = {
        "full_name": data["full_name"],
        "phone": data["phone"],
        "email": data["email"],
        "password_hash": make_password(password),
        **_code_mac(code),
        "expires": time.time() + CODE_MINUTES * 60,
        "tries": 0,
    }
    with transaction.atomic():
        if owners:
            for owner in owners:
                notify(user=owner, key="signup_attempt", link=reverse("accounts:login"))
        else:
            body = _(
                "Kode pendaftaran Jalur Anda: %(code)s. Berlaku %(minutes)d menit. Jangan beri "
                "tahu siapa pun, termasuk petugas."
            ) % {"code": code, "minutes": CODE_MINUTES}
            subject = _("Kode pendaftaran Jalur")
            if data["phone"] and phone_channel():
                text_send(to=data["phone"], subject=subject, body=body)
            else:
                email_send(to=data["email"], subject=subject, body=body)
    request.session[SESSION_KEY] = pending


def pending_get(request) -> dict | None:
    pending = request.session.get(SESSION_KEY)
    if not pending or pending["expires"] < time.time() or pending["tries"] >= CODE_TRIES:
        return None
    return pending


def pending_check(request, code: str) -> dict | None:
    """The waiting sign-up if `code` is its code (it then leaves the session), else None (the try
    is counted; after CODE_TRIES the sign-up must start again)."""
    pending = pending_get(request)
    if pending is None:
        return None
    if _code_matches(code.strip(), pending):
        request.session.pop(SESSION_KEY, None)
        return pending
    pending["tries"] += 1
    request.session[SESSION_KEY] = pending
    return None


def _code_mac(code: str, salt: str = "") -> dict:
    """What the session keeps of a code: its salt and its HMAC (SHA-256, keyed with SECRET_KEY)."""
    salt = salt or secrets.token_hex(16)
    mac = salted_hmac(f"jalur.signup_confirm:{salt}", code, algorithm="sha256").hexdigest()
    return {"code_salt": salt, "code_mac": mac}


def _code_matches(code: str, pending: dict) -> bool:
    if "code_mac" not in pending:  # a sign-up started before the HMAC: start again
        return False
    expected = _code_mac(code, pending["code_salt"])["code_mac"]
    return constant_time_compare(expected, pending["code_mac"])


def contact_shown(pending: dict) -> str:
    """Where the code went, partly hidden (the page must not confirm a whole number to anyone)."""
    if pending["phone"]:
        return "…" + pending["phone"][-4:]
    name, _at, domain = pending["email"].partition("@")
    return f"{name[:1]}…@{domain}"
