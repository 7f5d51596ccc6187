"""The first day each person misses a required document, kept on their row
(Candidate.documents_due_on): written in the transaction of every document, stage and document type
written, equal to a recount, and giving the documents-missing list the people the old test over
the documents gave, person by person, on several days (expiries, superseded, rejected, types
needed from later stages, inactive and optional types)."""

import datetime
import random

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from jalur.candidates.document_state import documents_due_rebuild, stages_from
from jalur.candidates.models import (
    DOCUMENT_STAGES,
    Candidate,
    CandidateDocument,
    DocumentStatus,
    DocumentType,
)
from jalur.candidates.services import (
    candidate_stage_change,
    document_review,
    document_upload,
    documents_expire,
)
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory

from .conftest import pdf_bytes, upload

pytestmark = pytest.mark.django_db
S = Stage
TODAY = timezone.localdate()
DAYS = [TODAY + datetime.timedelta(days=d) for d in (0, 1, 29, 30, 31, 400)]


def _missing_from_the_documents(on: datetime.date) -> set[int]:
    """The old list: NOT EXISTS an accepted, current document valid on `on`, per required type."""
    condition = Q()
    for doc_type in DocumentType.objects.filter(is_active=True, required=True):
        accepted = CandidateDocument.objects.filter(
            candidate=OuterRef("pk"),
            document_type=doc_type,
            superseded_at__isnull=True,
            status=DocumentStatus.ACCEPTED,
        ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
        condition |= Q(stage__in=stages_from(doc_type.stage)) & ~Exists(accepted)
    if not condition:
        return set()
    return set(Candidate.objects.filter(condition).values_list("pk", flat=True))


def _missing_kept(on: datetime.date) -> set[int]:
    """The list as the report reads it (the day alone: only DOCUMENT_STAGES have one)."""
    from jalur.reports.operational import missing_documents

    others = Candidate.objects.exclude(stage__in=DOCUMENT_STAGES)
    assert not others.filter(documents_due_on__isnull=False).exists()
    return set(missing_documents(on=on).values_list("pk", flat=True))


def _kept() -> dict:
    return dict(Candidate.objects.values_list("pk", "documents_due_on"))


def assert_agrees():
    for on in DAYS:
        assert _missing_kept(on) == _missing_from_the_documents(on), on
    kept = _kept()
    assert documents_due_rebuild() == 0  # the writes kept what a recount gives
    assert _kept() == kept


def document(candidate, doc_type, status, *, expires_on=None, superseded=False):
    return CandidateDocument.objects.create(
        candidate=candidate,
        document_type=doc_type,
        file="dokumen/uji.pdf",
        content_type="application/pdf",
        size=100,
        sha256="0" * 64,
        status=status,
        rejection_reason="Buram" if status == DocumentStatus.REJECTED else "",
        expires_on=expires_on,
        superseded_at=timezone.now() if superseded else None,
    )


@pytest.fixture
def population():
    rng = random.Random(20)
    kinds = [
        ("uji-paspor", S.VERIFIED, True, True, True),
        ("uji-medis", S.PRE_DEPARTURE, True, True, True),
        ("uji-visa", S.DEPARTED, True, False, True),  # needed after the document stages
        ("uji-opsional", S.REGISTERING, False, False, True),
        ("uji-lama", S.REGISTERING, True, False, False),  # inactive
    ]
    for code, stage, required, expiry, active in kinds:
        DocumentType.objects.create(
            code=code,
            name=code,
            stage=stage,
            required=required,
            has_expiry=expiry,
            is_active=active,
        )
    types = list(DocumentType.objects.all())
    people = []
    for _ in range(40):
        person = CandidateFactory(stage=rng.choice(list(Stage.values)))
        person.stage_changed_at = timezone.now() - datetime.timedelta(days=rng.randint(0, 90))
        person.save(update_fields=["stage_changed_at"])
        for doc_type in types:
            roll = rng.random()
            expires = TODAY + datetime.timedelta(days=rng.choice([-5, 0, 1, 30, 31, 200]))
            if roll < 0.04:
                continue
            if roll < 0.07:  # an accepted one replaced by one still waiting, or rejected
                document(person, doc_type, DocumentStatus.ACCEPTED, superseded=True)
                document(person, doc_type, rng.choice([DocumentStatus.UPLOADED, "rejected"]))
            elif roll < 0.09:
                document(person, doc_type, DocumentStatus.EXPIRED, expires_on=expires)
            elif roll < 0.11:
                document(person, doc_type, DocumentStatus.REJECTED)
            else:
                document(
                    person,
                    doc_type,
                    DocumentStatus.ACCEPTED,
                    expires_on=expires if doc_type.has_expiry or roll < 0.3 else None,
                )
        people.append(person)
    return people


class TestTheKeptDay:
    def test_it_agrees_with_the_documents_person_by_person_on_several_days(self, population):
        assert _missing_kept(TODAY) and _missing_kept(DAYS[-1]) - _missing_kept(TODAY)
        assert_agrees()

    def test_document_writes_and_deletes_keep_it(self, population):
        rng = random.Random(3)
        for doc in rng.sample(list(CandidateDocument.objects.all()), 40):
            if rng.random() < 0.5:
                doc.delete()
            else:
                doc.status = rng.choice([DocumentStatus.ACCEPTED, DocumentStatus.EXPIRED])
                doc.expires_on = rng.choice([None, TODAY + datetime.timedelta(days=10)])
                doc.save(update_fields=["status", "expires_on"])
        assert_agrees()

    def test_document_type_edits_recount_everyone(self, population):
        medis = DocumentType.objects.get(code="uji-medis")
        medis.stage = S.REGISTERING
        medis.save()
        assert_agrees()
        DocumentType.objects.filter(code="uji-lama").update(is_active=True)
        DocumentType.objects.get(code="uji-lama").save(update_fields=["is_active"])
        assert_agrees()
        paspor = DocumentType.objects.get(code="uji-paspor")
        paspor.required = False
        paspor.save(update_fields=["required"])
        assert_agrees()
        DocumentType.objects.create(code="uji-baru", name="baru", required=True)
        assert_agrees()

    def test_stage_moves_keep_it(self, population):
        rng = random.Random(5)
        moves = [(S.REGISTERED, S.VERIFIED), (S.VERIFIED, S.TRAINING), (S.READY, S.DEPARTED)]
        for person in population:
            for before, after in moves:
                if person.stage == before and rng.random() < 0.8:
                    candidate_stage_change(candidate=person, to_stage=after, actor=None)
        assert_agrees()

    def test_a_person_becomes_missing_the_day_after_the_earliest_expiry(self):
        person = CandidateFactory(stage=S.VERIFIED)
        for i, doc_type in enumerate(DocumentType.objects.filter(required=True, is_active=True)):
            document(
                person, doc_type, "accepted", expires_on=TODAY + datetime.timedelta(days=9 + i)
            )
        person.refresh_from_db()
        assert person.documents_due_on == TODAY + datetime.timedelta(days=10)
        assert_agrees()

    def test_the_services_keep_it(self, sysadmin):
        person = CandidateFactory(stage=S.REGISTERED)
        person.refresh_from_db()
        assert person.documents_due_on == timezone.localdate(person.stage_changed_at)
        types = list(DocumentType.objects.filter(required=True, is_active=True))
        for doc_type in types:
            expires = TODAY + datetime.timedelta(days=3) if doc_type.has_expiry else None
            uploaded = document_upload(
                candidate=person,
                document_type=doc_type,
                upload=upload(pdf_bytes(), "a.pdf", "application/pdf"),
                actor=sysadmin,
                expires_on=expires,
            )
            assert_agrees()
            document_review(document=uploaded, actor=sysadmin, accept=True)
            assert_agrees()
        person.refresh_from_db()
        assert person.documents_due_on is None or person.documents_due_on > TODAY
        documents_expire(today=TODAY + datetime.timedelta(days=10))
        assert_agrees()
        first = CandidateDocument.objects.filter(candidate=person).first()
        document_review(document=first, actor=sysadmin, accept=False, reason="Buram")
        assert_agrees()
        assert person.pk in _missing_kept(TODAY)

    def test_the_erasure_keeps_it(self, population, sysadmin):
        from jalur.privacy.services import candidate_anonymise

        for person in population[:5]:
            candidate_anonymise(candidate=person, actor=sysadmin, reason="uji")
        assert_agrees()


def test_the_synthetic_generator_writes_the_day_of_the_stage_move():
    call_command("generate_synthetic", "300", "--no-rebuild", verbosity=0)
    kept = _kept()
    assert documents_due_rebuild() == 0
    assert any(kept.values()) and not all(kept.values())
    assert_agrees()
