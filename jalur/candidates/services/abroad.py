"""A worker's own mobile number in the country of placement (`Candidate.phone_abroad`).

Added or changed by the worker from their own page once departed, or by the office for them. The
Indonesian `phone` stays as it is (it is the family's way to reach the person at home and the
account's log-in), and the family's `emergency_phone` stays Indonesian: only the number abroad may
be foreign. While the worker is abroad it logs them in and receives their messages too.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalur.audit.services import audit_record
from jalur.core.phone import is_indonesian, normalize_phone, phone_error

from ..models import Candidate
from ..stages import Stage

PHONE_ABROAD_TAKEN = gettext_lazy(
    "Nomor ini sudah dipakai pekerja lain di Jalur. Setiap pekerja memakai nomornya sendiri, "
    "karena nomor ini juga dipakai untuk masuk ke akun. Periksa lagi angkanya."
)


def phone_abroad_check(raw) -> str:
    """The number abroad in E.164, "" to remove it; a ValidationError (on `phone_abroad`) saying
    what to fix otherwise."""
    if raw is None or not str(raw).strip():
        return ""
    phone = normalize_phone(raw, any_country=True)
    if phone is None:
        raise ValidationError({"phone_abroad": phone_error(raw, any_country=True)})
    if is_indonesian(phone):
        raise ValidationError(
            {
                "phone_abroad": _(
                    "Ini nomor Indonesia: nomor Indonesia tetap tercatat seperti sebelumnya. Di "
                    "sini tulis nomor HP dari negara penempatan dengan kode negaranya, contoh: "
                    "+82 10-1234-5678 (Korea), +81 90-1234-5678 (Jepang)."
                )
            }
        )
    return phone


def candidate_phone_abroad_set(*, candidate: Candidate, raw, actor, reason: str = "") -> Candidate:
    """Record (or, with an empty `raw`, remove) the worker's number abroad; audited with the old
    and the new number. Only while the worker is abroad."""
    phone = phone_abroad_check(raw)
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if locked.stage != Stage.DEPARTED:
            raise ValidationError(
                _("Nomor luar negeri hanya bisa dicatat selama pekerja berada di luar negeri.")
            )
        before = locked.phone_abroad
        if phone == before:
            return locked
        if phone and Candidate.objects.filter(phone_abroad=phone).exclude(pk=locked.pk).exists():
            raise ValidationError({"phone_abroad": PHONE_ABROAD_TAKEN})
        locked.phone_abroad = phone
        try:
            with transaction.atomic():  # two people saving the same number at once
                locked.save(update_fields=["phone_abroad", "updated_at"])
        except IntegrityError:
            raise ValidationError({"phone_abroad": PHONE_ABROAD_TAKEN}) from None
        audit_record(
            actor=actor,
            action="candidate.phone_abroad",
            target=locked,
            changes={"phone_abroad": [before, phone]},
            reason=reason,
        )
    return locked
