"""A candidate's personal data: download everything held (UU PDP No. 27/2022), and erase it after the
retention period while keeping anonymous statistics."""

import datetime
import io
import json
import zipfile
from operator import attrgetter

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.audit.services import audit_access, audit_record, audit_redact, snapshot
from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.notifications.models import Notification
from jalur.regions.naming import programme_name
from jalur.rules import privacy as privacy_rules

from .graph import candidate_links, rows_for
from .models import Anonymisation
from .policy import EXPORT_HIDDEN_FIELDS, POLICY, export_rows

# Fields never exported, even to the person: secrets and internal keys.
NEVER_EXPORTED = {"secret_hash", "password"}


def _row(obj: models.Model) -> dict:
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in NEVER_EXPORTED:
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        elif field.choices and value not in (None, ""):
            data[f"{field.name}_label"] = str(getattr(obj, f"get_{field.name}_display")())
        data[field.name] = value
    return data


def _row_for_the_person(label: str, obj: models.Model) -> dict:
    data = _row(obj)
    hidden, unless = EXPORT_HIDDEN_FIELDS.get(label, ((), {}))
    if hidden and not all(attrgetter(path)(obj) == value for path, value in unless.items()):
        for name in hidden:
            data.pop(name, None)
    return data


def _files(obj: models.Model):
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.FileField):
            value = getattr(obj, field.name)
            if value:
                yield value


def personal_data_export(*, candidate: Candidate, actor) -> bytes:
    """A zip with data.json (every row about the person, with readable labels) and their files."""
    sections: dict[str, list[dict]] = {"candidates.Candidate": [_row(candidate)]}
    files = []
    for link in candidate_links():
        rows = list(rows_for(candidate, link).filter(export_rows(link.label, candidate)))
        if rows:
            sections[link.label] = [_row_for_the_person(link.label, r) for r in rows]
            for r in rows:
                files.extend(_files(r))
    payload = {
        "generated_at": timezone.now(),
        "programme": programme_name(),
        "about": "Semua data yang disimpan Jalur tentang Anda (UU PDP No. 27/2022).",
        "data": sections,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        for index, file in enumerate(files, start=1):
            if default_storage.exists(file.name):
                with file.storage.open(file.name, "rb") as source:
                    archive.writestr(
                        f"berkas/{index:03d}-{file.name.rsplit('/', 1)[-1]}", source.read()
                    )
    audit_access(
        actor=actor,
        action="privacy.personal_data_export",
        target=candidate,
        kind=AuditLog.Kind.EXPORT,
        detail={"sections": sorted(sections), "files": len(files)},
    )
    return out.getvalue()


RETAINED_STAGES = (Stage.WITHDRAWN, Stage.REJECTED, Stage.RETURNED)


def _blank(field: models.Field):
    if isinstance(field, models.JSONField):
        return [] if isinstance(field.get_default(), list) else {}
    if isinstance(field, models.CharField | models.TextField):
        return ""
    return None if field.null else field.get_default()


def _years_back(today: datetime.date, years: int) -> datetime.datetime:
    try:
        start = today.replace(year=today.year - years)
    except ValueError:  # 29 February, `years` back, is 28 February: never before the full period
        start = today.replace(year=today.year - years, day=28)
    return timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))


def holds_kept_records(candidate: Candidate) -> bool:
    """Whether the person has a record the law makes Jalur keep (`rules.privacy.MUST_KEEP`)."""
    return any(
        rows_for(candidate, link).exists()
        for link in candidate_links()
        if link.label in privacy_rules.MUST_KEEP_TABLES
    )


def retention_due(*, years: int, today: datetime.date | None = None):
    """Candidates whose retention period is over and who are not yet anonymised: those who withdrew
    or were rejected `years` ago, or longer when they hold records that must be kept, and returnees
    after the keeping period (`rules.privacy.retention_years`). A returnee who registered again is
    in the programme again (their stage moved on) and is not due."""
    today = today or timezone.localdate()
    due = []
    for candidate in Candidate.objects.filter(
        stage__in=RETAINED_STAGES,
        stage_changed_at__lt=_years_back(today, years),
        anonymisation__isnull=True,
    ).only("pk", "stage", "stage_changed_at"):
        kept = candidate.stage == Stage.RETURNED or holds_kept_records(candidate)
        period = privacy_rules.retention_years(
            candidate.stage, holds_kept_records=kept, base_years=years
        )
        if period is not None and candidate.stage_changed_at < _years_back(today, period):
            due.append(candidate.pk)
    return Candidate.objects.filter(pk__in=due)


def _erase_links(candidate: Candidate, *, skip=frozenset()) -> None:
    """Apply each table's policy to the person's rows (files deleted, audit values blanked)."""
    for link in candidate_links():
        if link.label in skip:
            continue
        action, fields = POLICY[link.label]
        rows = list(rows_for(candidate, link))
        for row in rows:
            for file in _files(row):
                file.delete(save=False)
            audit_redact(target=row)
        if action == "delete":
            link.model.objects.filter(pk__in=[r.pk for r in rows]).delete()
        elif action == "scrub" and rows:
            blank = {name: _blank(link.model._meta.get_field(name)) for name in fields}
            for field in link.model._meta.concrete_fields:
                if isinstance(field, models.FileField):
                    blank[field.name] = ""
            link.model.objects.filter(pk__in=[r.pk for r in rows]).update(**blank)


# Of the person's own row, what an erasure request removes at once when other records must still
# be kept: everything but what ties those records to them (name, NIK, birth date) and the log-in.
ERASED_NOW = (
    "kk_number",
    "birth_place",
    "religion",
    "marital_status",
    "rt",
    "rw",
    "street",
    "email",
    "emergency_name",
    "emergency_relation",
    "emergency_phone",
    "education_major",
    "work_experience",
)


def candidate_erase_now(*, candidate: Candidate, actor, reason: str) -> Candidate:
    """An erasure request accepted while some records must still be kept: every table the law
    does not need is erased or anonymised now, and the person's row keeps only what ties the kept
    records to them. The retention run erases the rest on the request's `erase_after` day."""
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        _erase_links(
            candidate, skip=set(privacy_rules.MUST_KEEP_TABLES) | {"privacy.RightsRequest"}
        )
        before = snapshot(candidate, ERASED_NOW)
        for name in ERASED_NOW:
            setattr(candidate, name, _blank(Candidate._meta.get_field(name)))
        candidate.height_cm = candidate.weight_kg = None
        candidate.save()
        audit_redact(target=candidate)
        audit_record(
            actor=actor,
            action="privacy.erase_partly",
            target=candidate,
            reason=reason,
            changes={"fields": [sorted(k for k, v in before.items() if v), []]},
        )
    return candidate


def candidate_anonymise(*, candidate: Candidate, actor, reason: str) -> Candidate:
    """Remove the person's identity and free text, delete their files, keep what statistics need:
    stage history (dates), sex, birth year, kecamatan, education level and the programme records."""
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        _erase_links(candidate)
        user = candidate.user
        birth_year = candidate.birth_date.year
        candidate.full_name = f"(dihapus) #{candidate.pk}"
        candidate.nik = f"99{candidate.pk:014d}"
        for name in (
            "kk_number",
            "birth_place",
            "religion",
            "marital_status",
            "rt",
            "rw",
            "street",
            "phone",
            "email",
            "emergency_name",
            "emergency_relation",
            "emergency_phone",
            "education_major",
            "work_experience",
            "prior_abroad_country",
            "siskop2mi_id_pmi",
        ):
            if hasattr(candidate, name):
                setattr(candidate, name, "")
        candidate.birth_date = datetime.date(birth_year, 7, 1)
        candidate.village = None
        candidate.height_cm = None
        candidate.weight_kg = None
        candidate.save()
        Anonymisation.objects.create(
            candidate=candidate, actor=actor if getattr(actor, "pk", None) else None, reason=reason
        )
        audit_redact(target=candidate)
        if user is not None:
            user.username = f"dihapus-{candidate.pk}"
            user.full_name = ""
            user.email = None
            user.phone = None
            user.first_name = user.last_name = ""
            user.is_active = False
            user.set_unusable_password()
            user.save()
            audit_redact(target=user)
            # Their inbox: welcome and stage messages name them, and the e-mail copies hold their
            # address. (Messages to the office about them went with the candidate links above.)
            Notification.objects.filter(user=user).delete()
        audit_record(actor=actor, action="privacy.anonymise", target=candidate, reason=reason)
    return candidate


def import_files_expire(*, days: int, now: datetime.datetime | None = None) -> int:
    """Delete the uploaded spreadsheets, per-row reports and problem rows (NIKs and names) of
    Excel imports finished more than `days` ago; the counts stay. Run with the retention rule."""
    from jalur.candidates.models import ImportJob

    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    jobs = ImportJob.objects.filter(finished_at__lt=cutoff).exclude(file="", report="", problems=[])
    count = 0
    for job in jobs:
        with transaction.atomic():
            for file in (job.file, job.report):
                if file:
                    file.delete(save=False)
            job.file, job.report, job.problems = "", "", []
            job.save(update_fields=["file", "report", "problems"])
            audit_record(
                actor=None,
                action="privacy.import_files_expire",
                target=job,
                reason=f"Berkas impor disimpan {days} hari; sudah lewat.",
            )
        count += 1
    return count


def replaced_files_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of departure checklist documents replaced by a newer upload more than
    `rules.privacy.REPLACED_FILE_DAYS` ago (the audit row of the replacement keeps the old name).
    A file still used by an item or a registration document is kept."""
    from django.contrib.contenttypes.models import ContentType

    from jalur.candidates.models import CandidateDocument
    from jalur.departure.models import ChecklistItem

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=privacy_rules.REPLACED_FILE_DAYS)
    rows = AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(ChecklistItem),
        created_at__lt=cutoff,
        changes__has_key="document",
    ).only("pk", "changes", "object_id", "created_at")
    count = 0
    for row in rows.iterator():
        old = (row.changes.get("document") or [None])[0]
        if not old or not isinstance(old, str) or old == "[dihapus]":
            continue
        if not privacy_rules.replaced_file_expired(row.created_at, now=now):
            continue
        if ChecklistItem.objects.filter(document=old).exists():
            continue
        if CandidateDocument.objects.filter(file=old).exists():
            continue
        if not default_storage.exists(old):
            continue
        with transaction.atomic():
            default_storage.delete(old)
            audit_record(
                actor=None,
                action="privacy.replaced_file_expire",
                label=f"butir daftar periksa #{row.object_id}",
                changes={"document": [old, ""]},
                reason=f"Dokumen diganti lebih dari {privacy_rules.REPLACED_FILE_DAYS} hari lalu.",
            )
        count += 1
    return count
