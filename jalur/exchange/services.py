"""Moving the whole programme: the data-controller export (command line or web, audited, for the
programme manager and the system administrator only), the import into an empty instance, and the
web export's job, download and expiry."""

import datetime
import hashlib
import tempfile
import zipfile
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.models import User
from jalur.accounts.roles import can
from jalur.audit.models import AuditLog
from jalur.audit.services import audit_access, audit_record

from .export import package_write
from .load import package_read
from .models import ExportJob
from .package import DESCRIPTOR, ExchangeError, Progress, Summary

CAPABILITY = "programme.export"


def _require(actor) -> None:
    if not can(actor, CAPABILITY):
        raise PermissionDenied(
            _(
                "Hanya pengelola program atau admin sistem yang boleh memindahkan seluruh data program."
            )
        )


def programme_export(
    *, target, actor, with_files: bool = False, progress: Progress | None = None
) -> Summary:
    """Write the whole programme to `target` (a path or binary file) and record the export. The
    audit row is written after the snapshot, so a package never holds its own export."""
    _require(actor)
    summary = package_write(target, with_files=with_files, progress=progress)
    audit_access(
        actor=actor,
        action="programme.export",
        target=None,
        kind=AuditLog.Kind.EXPORT,
        detail={
            "package_sha256": summary.sha256,
            "rows": summary.total_rows,
            "files": summary.files,
        },
    )
    return summary


def user_by_username(username: str, *, using: str = "default") -> User | None:
    return User.objects.using(using).filter(username=username).first()


def programme_import(
    *,
    source,
    actor_username: str,
    using: str = "default",
    frictionless_rows: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Load the package at `source` into the empty database `using`. The actor is a user of the
    package (the instance has none before): their right to move the programme is checked once
    the rows are in, inside the same transaction, and the import's audit row is written there."""
    with zipfile.ZipFile(source) as archive:
        package_sha256 = hashlib.sha256(archive.read(DESCRIPTOR)).hexdigest()

    def check_and_record() -> None:
        actor = user_by_username(actor_username, using=using)
        if actor is None:
            raise ExchangeError(
                _("Pengguna %(u)s tidak ada di paket: pilih log-in pengelola program dari paket.")
                % {"u": actor_username}
            )
        _require(actor)
        audit_record(
            actor=actor,
            action="programme.import",
            kind=AuditLog.Kind.CHANGE,
            changes={"package_sha256": package_sha256},
            reason=_("Seluruh data program dipindahkan dari paket data."),
            using=using,
        )

    return package_read(
        source,
        using=using,
        frictionless_rows=frictionless_rows,
        progress=progress,
        after_load=check_and_record,
    )


# --- the web export ------------------------------------------------------------------------------


def export_job_create(*, actor, with_files: bool) -> ExportJob:
    _require(actor)
    with transaction.atomic():
        job = ExportJob.objects.create(created_by=actor, with_files=with_files)
        audit_record(actor=actor, action="programme.export_start", target=job)
    return job


def export_job_enqueue(job: ExportJob) -> None:
    from .tasks import export_programme_task

    transaction.on_commit(lambda: export_programme_task.enqueue(job.pk))


def export_job_run(*, job_id: int) -> ExportJob:
    """The background run: the package is written to a temporary file, then stored privately."""
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ExportJob.Status.QUEUED:
        return job
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, started_at=timezone.now()
    )
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = timezone.now().timestamp()
        if now - last[0] >= 1 or done == total:
            last[0] = now
            ExportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=total)

    try:
        with tempfile.TemporaryDirectory(prefix="jalur-export-") as tmp:
            path = Path(tmp) / "paket.zip"
            summary = programme_export(
                target=path, actor=job.created_by, with_files=job.with_files, progress=progress
            )
            with open(path, "rb") as handle:
                job.file.save(f"jalur-program-{job.pk}.zip", File(handle), save=False)
            job.size = path.stat().st_size
    except (ExchangeError, PermissionDenied) as error:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(error), finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE,
        file=job.file.name,
        size=job.size,
        sha256=summary.sha256,
        total_rows=summary.total_rows,
        processed_rows=summary.total_rows,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def export_job_download(*, job: ExportJob, actor) -> File:
    """The package for a download: allowed to the manager and the administrator, audited."""
    _require(actor)
    audit_access(
        actor=actor, action="programme.export_download", target=job, kind=AuditLog.Kind.EXPORT
    )
    return job.file.open("rb")


def export_files_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the packages older than JALUR_EXPORT_KEEP_DAYS (the scheduled clean-up); the job
    row stays, marked expired, so the list still shows who exported when."""
    from django.conf import settings

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.JALUR_EXPORT_KEEP_DAYS)
    expired = 0
    for job in ExportJob.objects.filter(finished_at__lt=cutoff).exclude(file=""):
        with transaction.atomic():
            job.file.delete(save=False)
            ExportJob.objects.filter(pk=job.pk).update(file="", status=ExportJob.Status.EXPIRED)
            audit_record(actor=None, action="programme.export_expire", target=job)
        expired += 1
    return expired
