"""What the departure services share: storing a checked upload (an item's document, a fee's
proof) and the P3MI staff to tell about a case."""

import secrets

from django.core.files.base import ContentFile

from jalur.accounts.models import User
from jalur.accounts.roles import Role
from jalur.candidates.uploads import document_file_check

from ..models import (
    DepartureCase,
)

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def _store(field, upload) -> str:
    checked = document_file_check(upload)
    field.save(
        f"{secrets.token_urlsafe(24)}.{EXTENSIONS[checked.content_type]}",
        ContentFile(checked.content),
        save=False,
    )
    return checked.content_type


def _agency_staff(case: DepartureCase):
    return User.objects.filter(
        organisation_id=case.agency.organisation_id, role=Role.AGENCY_STAFF, is_active=True
    )
