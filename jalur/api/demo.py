"""Demo API token (seed_demo): the demo P3MI's own system may call the API."""

import datetime

from django.utils import timezone

from jalur.accounts.models import User
from jalur.accounts.roles import Role

from .models import ApiToken
from .services import token_create


def seed(ctx: dict) -> None:
    """The demo P3MI made a token for its own system; its text is printed with the demo log-ins
    (shown once, as on the page), so someone trying the demo can call the API with it."""
    staff = User.objects.filter(username="p3mi-banten", is_active=True).first()
    if staff is None or ApiToken.objects.exists():
        return
    _token, text = token_create(
        actor=staff,
        organisation=staff.organisation,
        role=Role.AGENCY_STAFF,
        name="Sistem internal PT Banten Global (demo)",
        expires_at=timezone.now() + datetime.timedelta(days=90),
    )
    ctx.setdefault("notes", []).append(
        f"Token API P3MI (p3mi-banten): {text} "
        "(header Authorization: Bearer <token>, lihat docs/api.md)"
    )
