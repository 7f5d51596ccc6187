"""Writes for the SISKOP2MI reconciliation: comparing an uploaded export with Jalur (nothing in
Jalur changes), accepting one row (which changes Jalur through the existing services, audited with
the reconciliation as the reason), and deleting reconciliations past their retention period."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record
from jalur.candidates.importing.sheet import ImportFileError

from ..items import ITEM_TYPES, form_initial
from ..models import ChecklistItem, DepartureCase
from ..services.checklist import item_submit
from ..states import FINISHED
from .compare import ACCEPTABLE, compare
from .models import Reconciliation, ReconciliationRow, RowCategory
from .numbers import candidate_id_pmi_record
from .reading import export_read
from .selectors import people_at_departure_stages, people_by_nik

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def reconciliation_create(*, upload, actor, today: datetime.date | None = None) -> Reconciliation:
    """Read `upload` (a SISKOP2MI export, CSV or .xlsx), compare each row with Jalur and keep the
    file and the report. Nothing in Jalur changes. A file that cannot be read is refused (naming
    what to fix, field "file") and nothing is kept."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": _("Berkas lebih dari %(mb)d MB. Bagi menjadi beberapa berkas.")
                % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            }
        )
    try:
        export = export_read(upload, name=upload.name)
    except ImportFileError as error:
        raise ValidationError({"file": str(error)}) from error
    found = people_by_nik(row.get("nik", "") for _line, row in export.rows)
    outcomes = compare(export.rows, export.columns, found, people_at_departure_stages())
    today = today or timezone.localdate()
    with transaction.atomic():
        reconciliation = Reconciliation(
            original_name=upload.name[:200],
            columns=export.columns,
            uploaded_by=actor,
            delete_after=today + datetime.timedelta(days=settings.JALUR_IMPORT_FILES_DAYS),
            rows_read=len(export.rows),
        )
        upload.seek(0)
        reconciliation.file.save(upload.name, upload, save=False)
        reconciliation.save()
        ReconciliationRow.objects.bulk_create(
            [
                ReconciliationRow(
                    reconciliation=reconciliation,
                    category=outcome.category,
                    line=outcome.line,
                    candidate_id=outcome.person.candidate_id if outcome.person else None,
                    siskop2mi=outcome.row,
                    jalur=outcome.person.values() if outcome.person else {},
                    differences=outcome.differences,
                    note=outcome.note[:300],
                )
                for outcome in outcomes
            ],
            batch_size=1000,
        )
        audit_record(
            actor=actor,
            action="departure.reconciliation_create",
            target=reconciliation,
            changes={"rows_read": [None, len(export.rows)], "columns": [None, export.columns]},
        )
    return reconciliation


def acceptable(row: ReconciliationRow) -> list[str]:
    """The differences of `row` an officer may accept into Jalur (the ID PMI, the passport number)
    that SISKOP2MI has a value for."""
    if row.accepted_at or row.category != RowCategory.DIFFERENT:
        return []
    return [name for name in ACCEPTABLE if name in row.differences and row.siskop2mi.get(name)]


def _passport_fix(candidate_id: int, number: str, *, actor) -> ChecklistItem:
    """The passport number of the person's latest unfinished case set to `number`, through
    `item_submit` (the item goes back to the office's check against its scan)."""
    case = (
        DepartureCase.objects.filter(candidate_id=candidate_id)
        .exclude(status__in=FINISHED)
        .order_by("-created_at", "-pk")
        .first()
    )
    item = case.items.filter(code="passport").first() if case else None
    if item is None:
        raise ValidationError(
            _(
                "Pekerja ini tidak punya persiapan keberangkatan yang masih berjalan dengan butir "
                "paspor; nomor paspor tidak bisa diperbaiki dari sini."
            )
        )
    data = {**form_initial(ITEM_TYPES["passport"], item.data or {}), "number": number}
    return item_submit(item=item, data=data, actor=actor)


def reconciliation_row_accept(*, row: ReconciliationRow, actor) -> ReconciliationRow:
    """Take SISKOP2MI's ID PMI and passport number for this person into Jalur, each through its own
    service (`candidate_id_pmi_record`; the passport item's `item_submit`, which sends it back to
    the office's check), audited with the reconciliation as the reason. All or nothing."""
    with transaction.atomic():
        row = ReconciliationRow.objects.select_for_update().get(pk=row.pk)
        fields = acceptable(row)
        if not fields:
            raise ValidationError(
                _("Baris ini sudah diterima atau tidak punya perbedaan yang bisa diterapkan.")
            )
        reconciliation = row.reconciliation
        reason = _("Rekonsiliasi SISKOP2MI #%(pk)d (%(file)s, baris %(line)s).") % {
            "pk": reconciliation.pk,
            "file": reconciliation.original_name,
            "line": row.line,
        }
        if "id_pmi" in fields:
            candidate_id_pmi_record(
                candidate=row.candidate, number=row.siskop2mi["id_pmi"], actor=actor, reason=reason
            )
        if "passport" in fields:
            _passport_fix(row.candidate_id, row.siskop2mi["passport"], actor=actor)
        row.accepted_by = actor
        row.accepted_at = timezone.now()
        row.save(update_fields=["accepted_by", "accepted_at"])
        audit_record(
            actor=actor,
            action="departure.reconciliation_accept",
            target=row,
            changes={name: [row.jalur.get(name), row.siskop2mi[name]] for name in fields},
            reason=reason,
        )
    return row


def reconciliations_expire(*, today: datetime.date | None = None) -> int:
    """Delete the reconciliations (their file and every row) whose retention period is over."""
    today = today or timezone.localdate()
    count = 0
    for reconciliation in Reconciliation.objects.filter(delete_after__lt=today):
        with transaction.atomic():
            audit_record(
                actor=None,
                action="departure.reconciliation_expire",
                target=reconciliation,
                reason=_("Masa simpan berkas rekonsiliasi sudah lewat (%(day)s).")
                % {"day": reconciliation.delete_after.isoformat()},
            )
            if reconciliation.file:
                reconciliation.file.delete(save=False)
            reconciliation.delete()
        count += 1
    return count
