"""Every stage of the candidates app that waits for someone shows on that person's home page with
a count and a direct link: the desk (registrations to complete or put right), the verifier
(registrations waiting, possible duplicates), who imports (imports that left rows behind), and the
job seeker (what is still missing, on their own page)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jalur.candidates.models import DuplicateFlag, ImportJob, RegistrationChannel
from jalur.candidates.services import candidate_register, candidate_verify

from .conftest import registration_data

pytestmark = pytest.mark.django_db


def stat(page: str, label: str) -> tuple[int, str]:
    """(the count, the link) of the home-page figure labelled `label`."""
    match = re.search(rf'<a class="stat" href="([^"]+)"><b>(\d+)</b>{re.escape(label)}</a>', page)
    assert match, f"no figure '{label}'"
    return int(match[2]), match[1].replace("&amp;", "&")


def test_the_desk_sees_the_registrations_sent_back_for_correction(
    client_for, officer, verifier, checked
):
    candidate_verify(
        candidate=checked, actor=verifier, decision="correction", items=["Foto KTP buram"]
    )
    client = client_for(officer)
    count, url = stat(client.get("/").content.decode(), "dikembalikan untuk diperbaiki")
    assert count == 1 and url == f"{reverse('candidates:list')}?stage=correction"
    listing = client.get(url)
    assert listing.status_code == 200 and checked.full_name in listing.content.decode()
    count, url = stat(client.get("/").content.decode(), "masih mengisi")
    assert count == 0 and url.endswith("?stage=registering")


def test_the_verifier_sees_the_queue_and_the_possible_duplicates(
    client_for, verifier, officer, submitted
):
    twin = candidate_register(
        data=registration_data(serial=2, phone="0812-3456-7002"),
        actor=officer,
        channel=RegistrationChannel.WALK_IN,
    )
    assert DuplicateFlag.objects.filter(status=DuplicateFlag.Status.OPEN).exists(), twin
    page = client_for(verifier).get("/").content.decode()
    assert stat(page, "menunggu verifikasi") == (1, reverse("candidates:queue"))
    flags = DuplicateFlag.objects.filter(status=DuplicateFlag.Status.OPEN).count()
    assert stat(page, "kemungkinan duplikat") == (flags, reverse("candidates:duplicates"))


def test_who_imports_sees_the_imports_that_left_rows_behind(client_for, manager, officer):
    def job(**fields):
        return ImportJob.objects.create(original_name="pencaker.xlsx", **fields)

    job(status=ImportJob.Status.DONE, accepted=10)  # all rows in
    job(status=ImportJob.Status.DONE, rejected=3, dry_run=True)  # a trial: nothing to redo
    old = job(status=ImportJob.Status.FAILED)
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    job(status=ImportJob.Status.FAILED, error="Berkas rusak")
    latest = job(status=ImportJob.Status.DONE, accepted=40, rejected=2)
    job(status=ImportJob.Status.RUNNING)
    client = client_for(manager)
    page = client.get("/").content.decode()
    count, url = stat(page, "impor dengan baris ditolak atau gagal (30 hari terakhir)")
    assert count == 2 and url == reverse("candidates:import_job", args=[latest.pk])
    assert client.get(url).status_code == 200
    assert stat(page, "impor sedang berjalan") == (1, reverse("candidates:import"))
    # the desk does not import, and is not shown imports
    assert "impor dengan baris ditolak" not in client_for(officer).get("/").content.decode()


def test_the_job_seeker_sees_how_much_is_still_missing(client_for, registering):
    page = client_for(registering.user).get(reverse("candidates:me")).content.decode()
    # the data is complete; the 7 required documents and the consent are not
    assert 'Yang masih kurang <span class="tag tag-warn">8 hal</span>' in page
    assert "Lengkapi formulir pendaftaran dan unggah dokumen Anda." in page
