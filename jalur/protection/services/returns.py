"""The worker's return home."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record, diff, snapshot
from jalur.candidates.models import Candidate
from jalur.candidates.services import candidate_stage_change
from jalur.candidates.stages import Stage

from ..models import (
    ReturnRecord,
)
from ._shared import _require_departed
from .workers import _family_links_retire

# --- return ---------------------------------------------------------------------------------------


def return_record(*, candidate: Candidate, data: dict, actor) -> ReturnRecord:
    """Record the worker's return with a witnessed handover, and move their stage to RETURNED."""
    _require_departed(candidate)
    if data["returned_on"] > timezone.localdate():
        raise ValidationError({"returned_on": _("Tanggal kepulangan tidak boleh di masa depan.")})
    with transaction.atomic():
        record = ReturnRecord.objects.create(candidate=candidate, recorded_by=actor, **data)
        _family_links_retire(candidate, at=timezone.now())  # the family's code ends with the stay
        audit_record(
            actor=actor,
            action="protection.return",
            target=candidate,
            changes=diff({}, snapshot(record, ["returned_on", "reason", "reintegration"])),
        )
        candidate_stage_change(
            candidate=candidate,
            to_stage=Stage.RETURNED,
            actor=actor,
            reason=f"{record.get_reason_display()}. {data.get('reason_note', '')}".strip(),
        )
    return record
