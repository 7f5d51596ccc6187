"""The import job's time limit: past it the job stops between batches, ends FAILED with what to
do, and the rows written so far stay and are in the report."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from jalur.audit.models import AuditLog
from jalur.candidates import importing
from jalur.candidates.models import Candidate, ImportJob, RegistrationChannel

from .test_import import nik, person, template_sheet

pytestmark = pytest.mark.django_db


def _five(tmp_path):
    people = [
        person(
            NIK=nik(n + 1, 3, 1995, 60 + n),
            **{
                "Nama Lengkap": f"Orang Ke{'ABCDE'[n]}",
                "Tanggal Lahir": f"{n + 1}-3-1995",
                "No HP": f"0812-3456-00{60 + n}",
            },
        )
        for n in range(5)
    ]
    return template_sheet(tmp_path / "lima.xlsx", *people)


def _upload(client, path, **extra):
    data = {"file": SimpleUploadedFile("lima.xlsx", path.read_bytes()), **extra}
    return client.post(reverse("candidates:import"), data)


def test_a_job_past_its_time_stops_between_batches_and_keeps_what_it_wrote(
    client_for, manager, tmp_path, monkeypatch
):
    monkeypatch.setattr(importing.run, "BATCH_SIZE", 2)
    monkeypatch.setattr(importing.run, "JOB_TIME_LIMIT", datetime.timedelta(0))
    client = client_for(manager)
    _upload(client, _five(tmp_path))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    # the first batch (Excel rows 2 and 3) was written; rows 4 to 6 were not started
    written = Candidate.objects.filter(channel=RegistrationChannel.IMPORT)
    assert sorted(written.values_list("full_name", flat=True)) == ["Orang KeA", "Orang KeB"]
    assert (job.total_rows, job.processed_rows, job.accepted) == (5, 2, 2)
    assert "Waktu impor habis" in job.error
    assert "2 dari 5 baris" in job.error and "Baris Excel 4 dan seterusnya" in job.error
    assert "Pindahkan baris-baris itu ke berkas baru" in job.error
    assert not job.file  # the uploaded sheet is not kept
    page = client.get(reverse("candidates:import_job", args=[job.pk])).content.decode()
    assert "Waktu impor habis" in page and "Unduh laporan per baris" in page
    report = client.get(reverse("candidates:import_report", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    assert sheet.max_row == 3  # header and the two rows done
    audit = AuditLog.objects.get(action="candidate.import", object_id=str(job.pk))
    assert audit.changes["stopped_after_rows"] == [None, 2]


def test_a_dry_run_past_its_time_says_so_and_writes_nothing(
    client_for, manager, tmp_path, monkeypatch
):
    monkeypatch.setattr(importing.run, "BATCH_SIZE", 2)
    monkeypatch.setattr(importing.run, "JOB_TIME_LIMIT", datetime.timedelta(0))
    _upload(client_for(manager), _five(tmp_path), dry_run="on")
    job = ImportJob.objects.get()
    assert job.dry_run and job.status == ImportJob.Status.FAILED
    assert "Waktu uji coba habis" in job.error and "2 dari 5 baris" in job.error
    assert not Candidate.objects.filter(channel=RegistrationChannel.IMPORT).exists()


def test_a_job_within_its_time_finishes(client_for, manager, tmp_path, monkeypatch):
    monkeypatch.setattr(importing.run, "BATCH_SIZE", 2)
    _upload(client_for(manager), _five(tmp_path))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and job.accepted == 5 and not job.error
