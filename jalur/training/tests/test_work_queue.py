"""Issue 17: every training step that waits for someone shows on their home page with a count and
a direct link: registers to take, scores to enter, completions to decide, certificates to issue."""

import datetime

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.training.models import Enrolment, EnrolmentStatus
from jalur.training.queues import waiting_work

from .factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def trainee(cohort, name):
    return Enrolment.objects.create(
        cohort=cohort,
        candidate=CandidateFactory(stage=Stage.TRAINING, full_name=name),
        status=EnrolmentStatus.ENROLLED,
        enrolled_at=timezone.now() - datetime.timedelta(days=30),
    )


def stats(user) -> dict[str, dict]:
    widgets = apps.get_app_config("training").home_widgets(user)
    return {str(s["label"]): s for w in widgets for s in w["stats"]}


def test_each_waiting_step_is_counted_on_the_trainers_home_page(
    client_for, lpk, programme, cohort, cohort_b, trainer
):
    ended = CohortFactory(
        provider=lpk,
        programme=programme,
        start_date=TODAY - datetime.timedelta(days=30),
        end_date=TODAY - datetime.timedelta(days=1),
    )
    SessionFactory(cohort=ended, date=TODAY - datetime.timedelta(days=2))  # register not taken
    waiting_for_scores = trainee(ended, "Rina Marlina")  # JFT-Basic required, no result yet
    SessionFactory(cohort=cohort_b, date=TODAY - datetime.timedelta(days=2))  # another provider
    counted = stats(trainer)
    assert counted["Sesi belum diabsen"]["value"] == 1
    assert counted["Nilai ujian belum dicatat"]["value"] == 1
    assert counted["Kelulusan belum diputuskan"]["value"] == 1
    assert counted["Angkatan menunggu ditutup dan sertifikat diterbitkan"]["value"] == 1
    work = reverse("training:work")
    assert all(
        counted[label]["url"].startswith(work)
        for label in ("Sesi belum diabsen", "Nilai ujian belum dicatat")
    )
    page = client_for(trainer).get(work).content.decode()
    assert reverse("training:assessment_create", args=[waiting_for_scores.pk]) in page
    assert reverse("training:cohort_close", args=[ended.pk]) in page
    assert "Rina Marlina" in page
    home = client_for(trainer).get("/").content.decode()
    assert "Pelatihan: menunggu tindakan" in home and work in home


def test_nothing_waits_once_the_work_is_done(lpk, programme, trainer):
    CohortFactory(provider=lpk, programme=programme)  # running, no sessions held
    work = waiting_work(trainer)
    assert [len(work[k]) for k in ("sessions", "scores", "completions", "closing")] == [0, 0, 0, 0]


def test_the_manager_is_asked_about_the_proposals_waiting(manager, trainer, cohort):
    from jalur.training.services import enrolment_propose

    enrolment_propose(
        cohort=cohort, candidate=CandidateFactory(stage=Stage.VERIFIED), actor=trainer
    )
    counted = stats(manager)
    assert counted["Usulan peserta menunggu persetujuan Anda"]["value"] == 1
    assert counted["Usulan peserta menunggu persetujuan Anda"]["url"] == reverse(
        "training:proposals"
    )
