"""What the protection writes share: random codes, the office's managers, the departed check."""

import secrets
import string

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jalur.accounts.models import User
from jalur.accounts.roles import Role
from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage

_CODE_ALPHABET = "".join(c for c in string.ascii_uppercase + string.digits if c not in "O0I1L")


def _code(length: int) -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))


def _unused_code(model, field: str, prefix: str) -> str:
    """`prefix` + 6 random characters not yet in `model.field` (its unique constraint stays the guard)."""
    for _attempt in range(5):
        code = f"{prefix}{_code(6)}"
        if not model.objects.filter(**{field: code}).exists():
            break
    return code


def _opened(obj, secret: str):
    """`obj` if `secret` is its secret (case and spaces ignored), else None."""
    if obj is None or not check_password(secret.strip().upper(), obj.secret_hash):
        return None
    return obj


def _office_managers():
    return User.objects.filter(role=Role.PROGRAMME_MANAGER, is_active=True)


def _require_departed(candidate: Candidate) -> None:
    # The caller's copy may predate a move.
    candidate.refresh_from_db(fields=["stage", "stage_changed_at"])
    if candidate.stage != Stage.DEPARTED:
        raise ValidationError(
            _("Hanya untuk pekerja yang sudah berangkat. Tahap orang ini sekarang: %(stage)s.")
            % {"stage": candidate.get_stage_display()}
        )
