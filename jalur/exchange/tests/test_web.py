"""The manager's export page: started in the background, progress shown, a private download
(audited, for the manager and the administrator only), the file deleted after the retention
period by the scheduled command."""

import datetime
import io
import os
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.exchange.models import ExportJob


def _start(client, django_capture_on_commit_callbacks) -> ExportJob:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exchange:exports"), {"with_files": ""})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    return job


@pytest.mark.django_db
class TestExportPage:
    def test_the_manager_finds_it_in_the_menu_starts_it_and_downloads_the_package(
        self, client_for, manager, django_capture_on_commit_callbacks
    ):
        client = client_for(manager)
        home = client.get(reverse("core:home"))
        assert reverse("exchange:exports").encode() in home.content
        job = _start(client, django_capture_on_commit_callbacks)
        job.refresh_from_db()
        assert job.status == ExportJob.Status.DONE and job.total_rows > 0
        page = client.get(job.get_absolute_url())
        assert reverse("exchange:export_download", args=[job.pk]).encode() in page.content
        progress = client.get(reverse("exchange:export_progress", args=[job.pk]))
        assert b"hx-get" not in progress.content  # finished: no more polling

        response = client.get(reverse("exchange:export_download", args=[job.pk]))
        assert response["Cache-Control"] == "private, no-store"
        body = b"".join(response.streaming_content)
        assert "datapackage.json" in zipfile.ZipFile(io.BytesIO(body)).namelist()
        assert AuditLog.objects.filter(
            action="programme.export_download", kind=AuditLog.Kind.EXPORT, actor=manager
        ).exists()
        assert AuditLog.objects.filter(action="programme.export", actor=manager).exists()

    @pytest.mark.parametrize("who", ["verifier", "leader", "agent", "candidate_user"])
    def test_no_one_else_sees_the_page_or_the_download(
        self, who, request, client_for, manager, django_capture_on_commit_callbacks
    ):
        job = _start(client_for(manager), django_capture_on_commit_callbacks)
        client = client_for(request.getfixturevalue(who))
        for name in ("exchange:export_job", "exchange:export_download", "exchange:export_progress"):
            assert client.get(reverse(name, args=[job.pk])).status_code in {403, 404}
        assert client.post(reverse("exchange:exports")).status_code in {403, 404}
        assert not AuditLog.objects.filter(action="programme.export_download").exists()

    def test_the_package_is_deleted_after_the_retention_period(
        self, client_for, sysadmin, settings, django_capture_on_commit_callbacks
    ):
        settings.JALUR_EXPORT_KEEP_DAYS = 7
        job = _start(client_for(sysadmin), django_capture_on_commit_callbacks)
        job.refresh_from_db()
        path = job.file.path
        call_command("expire_programme_exports", stdout=io.StringIO())
        job.refresh_from_db()
        assert job.status == ExportJob.Status.DONE  # not yet
        ExportJob.objects.filter(pk=job.pk).update(
            finished_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
        )
        call_command("expire_programme_exports", stdout=io.StringIO())
        job.refresh_from_db()
        assert job.status == ExportJob.Status.EXPIRED and not job.file
        assert not os.path.exists(path)
        response = client_for(sysadmin).get(reverse("exchange:export_download", args=[job.pk]))
        assert response.status_code == 302
