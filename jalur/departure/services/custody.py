"""Passport custody: who holds the worker's passport, for what, and its return."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record

from ..models import (
    DepartureCase,
    PassportCustody,
)


def passport_handover(
    *, case: DepartureCase, holder_kind: str, holder_name: str, purpose: str, handed_over_on, actor
) -> PassportCustody:
    if case.passport_custody.filter(returned_on__isnull=True).exists():
        raise ValidationError(
            _("Paspor ini tercatat belum dikembalikan. Catat pengembaliannya dulu.")
        )
    with transaction.atomic():
        custody = PassportCustody.objects.create(
            case=case,
            holder_kind=holder_kind,
            holder_name=holder_name,
            purpose=purpose,
            handed_over_on=handed_over_on,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="departure.passport_handover",
            target=case,
            changes={"holder": [None, holder_name], "purpose": [None, purpose]},
        )
    return custody


def passport_return(*, custody: PassportCustody, returned_on, actor) -> PassportCustody:
    if custody.returned_on:
        raise ValidationError(_("Pengembalian paspor ini sudah tercatat."))
    if returned_on < custody.handed_over_on:
        raise ValidationError(
            {"returned_on": _("Tanggal kembali tidak boleh sebelum tanggal diserahkan.")}
        )
    with transaction.atomic():
        custody.returned_on = returned_on
        custody.save(update_fields=["returned_on"])
        audit_record(
            actor=actor,
            action="departure.passport_return",
            target=custody.case,
            changes={"returned_on": [None, returned_on.isoformat()]},
        )
    return custody
