"""Programme managers' work lists: who is stuck, what documents are missing, where seats are free."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jalur.candidates.models import Candidate, CandidateDocument, DocumentStatus, DocumentType
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.candidates.tests.test_documents_due import document

pytestmark = pytest.mark.django_db
S = Stage


def waiting_since(candidate, days: int):
    Candidate.objects.filter(pk=candidate.pk).update(
        stage_changed_at=timezone.now() - datetime.timedelta(days=days)
    )
    return candidate


def listed(response) -> list[int]:
    return [c.pk for c in response.context["page_obj"]]


class TestStuck:
    def test_people_longer_than_n_days_in_a_running_stage_are_listed_longest_first(
        self, client_for, manager
    ):
        old = waiting_since(CandidateFactory(stage=S.REGISTERED), 50)
        older = waiting_since(CandidateFactory(stage=S.TRAINING), 120)
        fresh = waiting_since(CandidateFactory(stage=S.REGISTERED), 10)
        abroad = waiting_since(CandidateFactory(stage=S.DEPARTED), 400)
        gone = waiting_since(CandidateFactory(stage=S.WITHDRAWN), 400)
        response = client_for(manager).get(reverse("reports:stuck"))
        assert listed(response) == [older.pk, old.pk]
        assert fresh.pk not in listed(response)
        assert abroad.pk not in listed(response) and gone.pk not in listed(response)
        rows = {c.pk: c.days_in_stage for c in response.context["page_obj"]}
        assert rows[older.pk] == 120
        counts = {c["stage"]: c["n"] for c in response.context["counts"]}
        assert counts == {S.REGISTERED: 1, S.TRAINING: 1}

    def test_n_and_the_stage_are_filters(self, client_for, manager):
        a = waiting_since(CandidateFactory(stage=S.REGISTERED), 8)
        b = waiting_since(CandidateFactory(stage=S.VERIFIED), 8)
        response = client_for(manager).get(reverse("reports:stuck"), {"days": 7})
        assert set(listed(response)) == {a.pk, b.pk}
        response = client_for(manager).get(
            reverse("reports:stuck"), {"days": 7, "stage": S.VERIFIED}
        )
        assert listed(response) == [b.pk]

    def test_a_wrong_number_of_days_is_explained_and_the_default_used(self, client_for, manager):
        response = client_for(manager).get(reverse("reports:stuck"), {"days": "-3"})
        assert response.status_code == 200
        assert response.context["days"] == 30
        assert response.context["form"].errors["days"]


def accept(candidate, doc_type, *, expires_on=None):
    return document(candidate, doc_type, DocumentStatus.ACCEPTED, expires_on=expires_on)


class TestMissingDocuments:
    def test_people_past_registration_missing_a_required_document_are_listed_with_what_is_missing(
        self, client_for, manager
    ):
        required = list(DocumentType.objects.filter(required=True, is_active=True))
        assert len(required) >= 2
        complete = CandidateFactory(stage=S.VERIFIED)
        lacking = CandidateFactory(stage=S.TRAINING)
        rejected = CandidateFactory(stage=S.REGISTERED)
        still_filling = CandidateFactory(stage=S.REGISTERING)
        for doc_type in required:
            accept(complete, doc_type)
            if doc_type != required[0]:
                accept(lacking, doc_type)
                accept(rejected, doc_type)
        CandidateDocument.objects.create(
            candidate=rejected,
            document_type=required[0],
            file="dokumen/uji.pdf",
            content_type="application/pdf",
            size=100,
            sha256="0" * 64,
            status=DocumentStatus.REJECTED,
            rejection_reason="Buram",
        )
        response = client_for(manager).get(reverse("reports:documents"))
        rows = {c.pk: c.missing for c in response.context["page_obj"]}
        assert complete.pk not in rows and still_filling.pk not in rows
        assert rows[lacking.pk] == [required[0].name]
        assert rows[rejected.pk] == [required[0].name]

    def test_an_expired_document_counts_as_missing(self, client_for, manager):
        person = CandidateFactory(stage=S.VERIFIED)
        required = list(DocumentType.objects.filter(required=True, is_active=True))
        for doc_type in required:
            accept(
                person,
                doc_type,
                expires_on=timezone.localdate() - datetime.timedelta(days=1)
                if doc_type == required[-1]
                else None,
            )
        rows = {
            c.pk: c.missing
            for c in client_for(manager).get(reverse("reports:documents")).context["page_obj"]
        }
        assert rows[person.pk] == [required[-1].name]


class TestCohortsStartingSoon:
    def test_cohorts_starting_within_n_days_with_free_seats_are_listed_soonest_first(
        self, client_for, manager
    ):
        from jalur.training.tests.factories import CohortFactory, ProgrammeFactory

        from .test_refresh import enrol

        today = timezone.localdate()
        programme = ProgrammeFactory()

        def cohort(days, capacity=3):
            return CohortFactory(
                programme=programme,
                start_date=today + datetime.timedelta(days=days),
                end_date=today + datetime.timedelta(days=days + 60),
                capacity=capacity,
            )

        soon, later, full, far = cohort(10), cohort(20), cohort(5, capacity=1), cohort(40)
        enrol(soon, CandidateFactory(stage=S.VERIFIED), manager)
        enrol(full, CandidateFactory(stage=S.VERIFIED), manager)
        response = client_for(manager).get(reverse("reports:cohorts"))
        rows = response.context["cohorts"]
        assert [c.pk for c in rows] == [soon.pk, later.pk]
        assert (rows[0].free, rows[0].enrolled, rows[0].days_to_start) == (2, 1, 10)
        response = client_for(manager).get(reverse("reports:cohorts"), {"days": 45})
        assert [c.pk for c in response.context["cohorts"]] == [soon.pk, later.pk, far.pk]
