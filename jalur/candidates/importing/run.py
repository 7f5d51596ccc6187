"""The run: rows checked and written in batches through `services.candidates_create` (a
batch that hits a database conflict is redone row by row through `candidate_register`), the
possible duplicates named on each row, the dry run's prediction, and the import job of the
web page with its background run (the task itself is `candidates.tasks.import_candidates_task`)."""

import datetime
import io
from collections import defaultdict
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record

from ..models import Candidate, DuplicateFlag, ImportJob, RegistrationChannel
from ..services import (
    Matches,
    NewCandidate,
    NikTaken,
    candidate_register,
    candidates_create,
    duplicate_candidates,
)
from .report import Outcome, RowResult, Summary, report_xlsx
from .rows import _check_batch, _chunks, _JobTypes, _reasons, _registered, _Row
from .sheet import ImportFileError, Sheet, sheet_read

BATCH_SIZE = 500
# The longest one job may take, counted from when a worker takes it; checked between batches. A
# job past it stops (the rows written so far stay and are in the report) so one huge file never
# holds the import worker for everyone else.
JOB_TIME_LIMIT = datetime.timedelta(minutes=10)


class ImportTimeUp(Exception):
    """The job's time ran out between batches: `summary` has the rows done, `done` how many."""

    def __init__(self, summary: Summary, done: int):
        super().__init__(done)
        self.summary, self.done = summary, done


def import_rows(
    sheet: Sheet,
    *,
    actor,
    dry_run: bool = False,
    today: datetime.date | None = None,
    progress: Callable[[int, Summary], None] | None = None,
    deadline: datetime.datetime | None = None,
) -> Summary:
    """Check every row and (unless dry_run) write the good ones. Returns every row's outcome.
    Past `deadline` (checked before each batch after the first) raises ImportTimeUp with the
    rows done so far; each batch is whole, so no row is half written."""
    today = today or timezone.localdate()
    summary = Summary(dry_run=dry_run)
    job_types = _JobTypes()
    seen_niks: dict[str, int] = {}
    file_phones: dict[str, list[int]] = defaultdict(list)  # dry run: earlier rows of the file
    file_names: dict[tuple, list[int]] = defaultdict(list)
    by_candidate: dict[int, RowResult] = {}
    for start in range(0, len(sheet.rows), BATCH_SIZE):
        if start and deadline is not None and timezone.now() >= deadline:
            raise ImportTimeUp(summary, start)
        batch = sheet.rows[start : start + BATCH_SIZE]
        good = _check_batch(batch, today=today, job_types=job_types, seen_niks=seen_niks)
        summary.results.extend(r.result for r in good.all)
        if good.valid:
            if dry_run:
                _dry_run_duplicates(good.valid, file_phones, file_names)
            else:
                matches = _write_batch(good.valid, actor=actor, today=today)
                for row in good.valid:
                    if row.result.candidate_id:
                        by_candidate[row.result.candidate_id] = row.result
                # earlier rows of the file matched by this batch are flagged, too
                _flag_results(matches, by_candidate)
        if progress:
            progress(start + len(batch), summary)
    return summary


def _write_batch(rows: list[_Row], *, actor, today) -> Matches:
    """Write one batch through the registration service; returns the possible duplicates it
    flagged. A database conflict (a NIK or phone written a moment ago by someone else) rolls the
    batch back, and it is redone row by row."""
    people = [NewCandidate(checked=row.checked) for row in rows]
    try:
        created = candidates_create(people=people, actor=actor, channel=RegistrationChannel.IMPORT)
    except IntegrityError:
        return _write_one_by_one(rows, actor=actor, today=today)
    for row, candidate in zip(rows, created.candidates, strict=True):
        if candidate is None:  # registered since the batch was checked
            _registered(row.result)
        else:
            row.result.candidate_id = candidate.pk
    return created.matches


def _duplicate_reason(reason: str, *, row: int | None = None, pk: int = 0, name: str = "") -> str:
    """Why a row went to the duplicate review: the row of this file, or the record, it matches."""
    same_phone = reason == DuplicateFlag.Reason.SAME_PHONE
    if row is not None:
        text = (
            _("Nomor HP sama dengan baris %(row)d")
            if same_phone
            else _("Nama dan tanggal lahir sama dengan baris %(row)d")
        )
        return text % {"row": row}
    text = (
        _("Nomor HP sama dengan #%(pk)d %(name)s")
        if same_phone
        else _("Nama dan tanggal lahir sama dengan #%(pk)d %(name)s")
    )
    return text % {"pk": pk, "name": name}


def _flag_results(matches: Matches, by_candidate: dict[int, RowResult]) -> None:
    """Mark the rows of the file that were flagged, each with what it matches (a row of the file
    or a record already in Jalur, with its number and name, as the duplicate review shows it)."""
    outside = sorted(
        {
            other
            for pk, found in matches.items()
            if pk in by_candidate
            for other, _reason in found
            if other not in by_candidate
        }
    )
    names = {}
    for chunk in _chunks(outside, 900):
        names.update(Candidate.objects.filter(pk__in=chunk).values_list("pk", "full_name"))
    for pk, found in matches.items():
        result = by_candidate.get(pk)
        if result is None:
            continue
        result.outcome = Outcome.FLAGGED
        for other, reason in sorted(found):
            mate = by_candidate.get(other)
            text = _duplicate_reason(
                reason, row=mate.row if mate else None, pk=other, name=names.get(other, "")
            )
            if text not in result.reasons:
                result.reasons.append(text)


def _write_one_by_one(rows: list[_Row], *, actor, today) -> Matches:
    """The slow, safe path: each row in its own transaction through the registration service."""
    matches: Matches = defaultdict(list)
    for row in rows:
        data = {k: v for k, v in row.data.items() if k not in ("district_id", "village_id")}
        data["village"] = row.data.get("village_id")
        try:
            candidate = candidate_register(
                data=data, actor=actor, channel=RegistrationChannel.IMPORT, today=today
            )
        except NikTaken:
            _registered(row.result)
            continue
        except ValidationError as error:
            row.result.outcome = Outcome.REJECTED
            row.result.reasons = (
                _reasons(error.message_dict) if hasattr(error, "error_dict") else error.messages
            )
            continue
        row.result.candidate_id = candidate.pk
        for other, reason in duplicate_candidates(candidate=candidate):
            matches[candidate.pk].append((other, reason))
            matches[other].append((candidate.pk, reason))
    return matches


def _dry_run_duplicates(rows: list[_Row], file_phones: dict, file_names: dict) -> None:
    """What would be flagged, and why: matches in the database and in earlier rows of the file."""
    phones = sorted({r.data["phone"] for r in rows if r.data.get("phone")})
    db_phones: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for chunk in _chunks(phones, 900):
        for pk, phone, name in Candidate.objects.filter(phone__in=chunk).values_list(
            "pk", "phone", "full_name"
        ):
            db_phones[phone].append((pk, name))
    keys = {(r.data["full_name"].lower(), r.data["birth_date"]) for r in rows}
    db_names: dict[tuple, list[tuple[int, str]]] = defaultdict(list)
    for chunk in _chunks(sorted({k[0] for k in keys}), 900):
        for pk, name, name_ci, birth in (
            Candidate.objects.annotate(name_ci=Lower("full_name"))
            .filter(name_ci__in=chunk)
            .values_list("pk", "full_name", "name_ci", "birth_date")
        ):
            if (name_ci, birth) in keys:
                db_names[(name_ci, birth)].append((pk, name))
    phone_reason, name_reason = (
        DuplicateFlag.Reason.SAME_PHONE,
        DuplicateFlag.Reason.SAME_NAME_BIRTH,
    )
    for row in rows:
        result = row.result
        phone = row.data.get("phone")
        key = (row.data["full_name"].lower(), row.data["birth_date"])
        found = []
        if phone:
            found += [
                (phone_reason, None, pk, name) for pk, name in sorted(db_phones.get(phone, []))
            ]
            found += [(phone_reason, earlier, 0, "") for earlier in file_phones.get(phone, [])]
        found += [(name_reason, None, pk, name) for pk, name in sorted(db_names.get(key, []))]
        found += [(name_reason, earlier, 0, "") for earlier in file_names.get(key, [])]
        for reason, earlier, pk, name in found:
            result.outcome = Outcome.FLAGGED
            row_number = earlier.row if earlier else None
            result.reasons.append(_duplicate_reason(reason, row=row_number, pk=pk, name=name))
            if earlier:
                earlier.outcome = Outcome.FLAGGED
                earlier.reasons.append(_duplicate_reason(reason, row=result.row))
        if phone:
            file_phones[phone].append(result)
        file_names[key].append(result)


PROBLEMS_SHOWN = 200  # rows not accepted, kept on the job for the page; the report has them all


def import_job_create(*, upload, actor, dry_run: bool) -> ImportJob:
    """Store an uploaded sheet as a queued job. Call `import_job_enqueue` after the commit."""
    from django.core.files.base import File

    name = (getattr(upload, "name", "") or "impor.xlsx").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        job = ImportJob(original_name=name, dry_run=dry_run, created_by=_user(actor))
        job.file.save("impor.xlsx", File(upload), save=False)
        job.save()
        audit_record(
            actor=actor,
            action="candidate.import_upload",
            target=job,
            changes={"dry_run": [None, dry_run]},
        )
    return job


def import_job_enqueue(job: ImportJob) -> None:
    from ..tasks import import_candidates_task

    import_candidates_task.enqueue(job.pk)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def import_job_run(*, job_id: int) -> ImportJob:
    """Run one queued job: read, check, write, save the report, and drop the uploaded sheet."""
    from django.core.files.base import ContentFile

    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job  # already taken by another worker
    actor = job.created_by

    def progress(done: int, summary: Summary) -> None:
        counts = summary.counts
        ImportJob.objects.filter(pk=job.pk).update(
            processed_rows=done,
            accepted=counts[Outcome.ACCEPTED],
            flagged=counts[Outcome.FLAGGED],
            duplicates=counts[Outcome.DUPLICATE],
            rejected=counts[Outcome.REJECTED],
        )

    deadline = timezone.now() + JOB_TIME_LIMIT
    timed_out = None
    try:
        with job.file.open("rb") as handle:
            sheet = sheet_read(io.BytesIO(handle.read()))
        ImportJob.objects.filter(pk=job.pk).update(total_rows=len(sheet.rows))
        summary = import_rows(
            sheet, actor=actor, dry_run=job.dry_run, progress=progress, deadline=deadline
        )
    except ImportFileError as error:
        job.refresh_from_db()
        job.status, job.error, job.finished_at = ImportJob.Status.FAILED, str(error), timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        _drop_upload(job)
        return job
    except ImportTimeUp as stop:
        summary, timed_out = stop.summary, _time_up_message(sheet, stop.done, dry_run=job.dry_run)
    job.refresh_from_db()
    counts = summary.counts
    job.total_rows = len(sheet.rows)
    job.processed_rows = len(summary.results)
    job.accepted, job.flagged = counts[Outcome.ACCEPTED], counts[Outcome.FLAGGED]
    job.duplicates, job.rejected = counts[Outcome.DUPLICATE], counts[Outcome.REJECTED]
    job.problems = [
        {"row": r.row, "outcome": r.outcome_label, "reasons": r.reasons + r.warnings}
        for r in summary.results
        if r.outcome != Outcome.ACCEPTED or r.warnings
    ][:PROBLEMS_SHOWN]
    if sheet.ignored:
        job.error = _("Kolom yang tidak dikenali dan diabaikan: %(list)s.") % {
            "list": ", ".join(sheet.ignored)
        }
    if timed_out:
        job.error = f"{timed_out} {job.error}".strip()
    job.report.save("laporan.xlsx", ContentFile(report_xlsx(summary)), save=False)
    job.status = ImportJob.Status.FAILED if timed_out else ImportJob.Status.DONE
    job.finished_at = timezone.now()
    changes = {"counts": [None, counts], "dry_run": [None, job.dry_run]}
    if timed_out:
        changes["stopped_after_rows"] = [None, job.processed_rows]
    with transaction.atomic():
        job.save()
        audit_record(actor=actor, action="candidate.import", target=job, changes=changes)
    _drop_upload(job)
    return job


def _time_up_message(sheet: Sheet, done: int, *, dry_run: bool) -> str:
    """What to do when the job ran out of time: which rows are done, and where to start again."""
    values = {
        "minutes": max(1, round(JOB_TIME_LIMIT.total_seconds() / 60)),
        "done": done,
        "total": len(sheet.rows),
        "next": sheet.rows[done][0],
    }
    if dry_run:
        text = _(
            "Waktu uji coba habis (batas %(minutes)d menit per impor): %(done)d dari %(total)d "
            "baris sudah diperiksa, lihat laporan per baris. Baris Excel %(next)d dan "
            "seterusnya belum diperiksa. Pecah berkas menjadi beberapa berkas yang lebih kecil, "
            "lalu uji coba tiap berkas."
        )
    else:
        text = _(
            "Waktu impor habis (batas %(minutes)d menit per impor): %(done)d dari %(total)d "
            "baris sudah diproses dan yang diterima sudah tersimpan, lihat laporan per baris. "
            "Baris Excel %(next)d dan seterusnya belum diimpor. Pindahkan baris-baris itu ke "
            "berkas baru (atau pecah menjadi beberapa berkas yang lebih kecil), lalu unggah "
            "berkas itu."
        )
    return text % values


def _drop_upload(job: ImportJob) -> None:
    """The uploaded sheet is personal data no longer needed once the report exists."""
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
