import datetime
import io
import json
import zipfile

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.text import camel_case_to_spaces

from jalur.audit.models import AuditLog
from jalur.audit.services import audit_record
from jalur.candidates.models import Candidate, CandidateDocument, DocumentType, StageHistory
from jalur.candidates.services import candidate_history_start, candidate_stage_change
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.privacy.graph import NAMES, candidate_links
from jalur.privacy.policy import POLICY
from jalur.privacy.services import candidate_anonymise, retention_due
from jalur.protection import services as protection
from jalur.protection.models import ReporterKind


def test_every_table_that_refers_to_a_candidate_has_a_retention_policy():
    labels = {link.label for link in candidate_links()}
    assert labels - set(POLICY) == set(), "add these models to jalur/privacy/policy.py"
    for label, (action, fields) in POLICY.items():
        if label in labels:
            model = apps.get_model(label)
            for name in fields:
                model._meta.get_field(name)  # raises on a typo
            assert action in {"delete", "scrub", "keep"}


def _english_default_name(model) -> str:
    """The plural Django makes up for a model without verbose_name_plural ("grievance events")."""
    return f"{camel_case_to_spaces(model.__name__)}s"


def test_every_table_that_refers_to_a_candidate_has_an_indonesian_name():
    labels = {link.label for link in candidate_links()}
    assert labels - set(NAMES) == set(), "name these models in jalur/privacy/graph.py NAMES"
    for link in candidate_links():
        assert link.name.lower() != _english_default_name(link.model)


def problem_reported(person, note):
    """The worker's own check-in saying something is wrong (it alerts the managers)."""
    protection.checkin_record(
        candidate=person,
        status="masalah",
        note=note,
        reporter_kind=ReporterKind.WORKER,
        actor=person.user,
    )


@pytest.fixture
def person(candidate_user, verifier):
    candidate = CandidateFactory(
        user=candidate_user, stage=Stage.REGISTERED, full_name="Siti Aminah", phone="+6281299998888"
    )
    candidate_history_start(candidate=candidate, actor=verifier)
    document_type = DocumentType.objects.get_or_create(code="ktp-uji", defaults={"name": "KTP"})[0]
    document = CandidateDocument(
        candidate=candidate,
        document_type=document_type,
        content_type="image/png",
        size=8,
        sha256="0" * 64,
    )
    document.file.save("ktp-uji.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
    document.save()
    return candidate


@pytest.mark.django_db
class TestDownload:
    def test_a_candidate_downloads_everything_held_about_them(
        self, client_for, candidate_user, person, verifier
    ):
        candidate_stage_change(candidate=person, to_stage=Stage.VERIFIED, actor=verifier)
        response = client_for(candidate_user).post(reverse("privacy:my_data"))
        assert response["Content-Type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        data = json.loads(archive.read("data.json"))["data"]
        assert data["candidates.Candidate"][0]["full_name"] == "Siti Aminah"
        assert data["candidates.Candidate"][0]["stage_label"] == "Terverifikasi"
        assert len(data["candidates.StageHistory"]) == 2
        assert len(data["candidates.CandidateDocument"]) == 1
        assert any(name.startswith("berkas/") for name in archive.namelist())
        assert AuditLog.objects.filter(
            action="privacy.personal_data_export", kind=AuditLog.Kind.EXPORT
        ).exists()

    def test_secrets_are_never_exported(self, client_for, candidate_user):
        candidate = CandidateFactory(user=candidate_user, stage=Stage.DEPARTED)
        protection.grievance_open(
            reporter_kind=ReporterKind.WORKER,
            reporter_name="Siti",
            category="wages",
            description="x",
            candidate=candidate,
            reporter_phone="081211112222",
        )
        response = client_for(candidate_user).post(reverse("privacy:my_data"))
        text = zipfile.ZipFile(io.BytesIO(response.content)).read("data.json").decode()
        assert "protection.Grievance" in text and "secret_hash" not in text

    def test_the_summary_of_what_is_held_names_every_table_in_indonesian(
        self, client_for, candidate_user
    ):
        candidate = CandidateFactory(user=candidate_user, stage=Stage.DEPARTED)
        protection.grievance_open(
            reporter_kind=ReporterKind.WORKER,
            reporter_name="Siti",
            category="wages",
            description="x",
            candidate=candidate,
            reporter_phone="081211112222",
        )
        response = client_for(candidate_user).get(reverse("privacy:my_data"))
        summary = response.context["summary"]
        assert ("riwayat pengaduan", 1) in [(str(name), n) for name, n in summary]
        english = {_english_default_name(link.model) for link in candidate_links()}
        body = response.content.decode().lower()
        for name in english:
            assert f"{name}:" not in body, name
        assert not {str(name).lower() for name, _n in summary} & english

    def test_the_offices_internal_notes_and_other_peoples_details_stay_out(
        self, client_for, candidate_user, manager
    ):
        """The case page hides internal notes from the reporter; the download must too. A family
        member's name and phone are theirs, and the managers' inbox is the office's."""
        person = CandidateFactory(user=candidate_user, stage=Stage.DEPARTED)
        grievance, _ = protection.grievance_open(
            reporter_kind=ReporterKind.FAMILY,
            reporter_name="Ibu Pelapor",
            reporter_phone="0813-1111-2222",
            candidate=person,
            category="wages",
            description="Gaji tidak dibayar",
        )
        protection.grievance_note(
            grievance=grievance, actor=manager, text="INTERNAL: periksa P3MI dulu", public=False
        )
        problem_reported(person, "Paspor ditahan majikan")
        from jalur.notifications.services import notify

        notify(user=candidate_user, key="welcome", context={"candidate": person})
        response = client_for(candidate_user).post(reverse("privacy:my_data"))
        data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))["data"]
        text = json.dumps(data, ensure_ascii=False)
        assert "INTERNAL:" not in text and "Ibu Pelapor" not in text and "1111" not in text
        assert "Gaji tidak dibayar" in text and "Paspor ditahan majikan" in text
        notes = data["notifications.Notification"]  # theirs; not the managers' check-in alert
        assert [row["key"] for row in notes] == ["welcome"]

    def test_only_the_person_or_the_office_can_download(
        self, client_for, person, agent, manager, officer
    ):
        url = reverse("privacy:candidate_export", args=[person.pk])
        assert client_for(manager).get(url).status_code == 200
        assert client_for(officer).get(url).status_code == 403
        assert client_for(agent).get(url).status_code == 403


@pytest.mark.django_db
class TestRetention:
    def withdraw(self, candidate, verifier, days_ago):
        candidate_stage_change(
            candidate=candidate,
            to_stage=Stage.WITHDRAWN,
            actor=verifier,
            reason="Pindah ke Bandung, alamat Jl. Rahasia 1",
        )
        Candidate.objects.filter(pk=candidate.pk).update(
            stage_changed_at=timezone.now() - datetime.timedelta(days=days_ago)
        )

    def test_only_withdrawn_or_rejected_people_past_the_period_are_due(self, person, verifier):
        recent = CandidateFactory(stage=Stage.REGISTERED)
        active = CandidateFactory(stage=Stage.VERIFIED)
        Candidate.objects.filter(pk=active.pk).update(
            stage_changed_at=timezone.now() - datetime.timedelta(days=4000)
        )
        self.withdraw(person, verifier, days_ago=6 * 366)
        self.withdraw(recent, verifier, days_ago=30)
        assert list(retention_due(years=5)) == [Candidate.objects.get(pk=person.pk)]

    def test_on_29_february_the_period_ends_on_28_february(self, person, verifier):
        """A leap day `years` back does not exist: the nightly job counts from 28 February."""
        self.withdraw(person, verifier, days_ago=0)
        leap_day = datetime.date(2028, 2, 29)  # passed in, not the clock: the rule for that day
        for withdrawn, due in (
            (datetime.date(2023, 2, 27), True),
            (datetime.date(2023, 2, 28), False),
        ):
            Candidate.objects.filter(pk=person.pk).update(
                stage_changed_at=timezone.make_aware(
                    datetime.datetime.combine(withdrawn, datetime.time(12))
                )
            )
            assert list(retention_due(years=5, today=leap_day)) == ([person] if due else [])

    def test_anonymising_removes_identity_files_and_free_text_but_keeps_statistics(
        self, person, verifier, candidate_user
    ):
        audit_record(
            actor=verifier,
            action="candidate.update",
            target=person,
            changes={"phone": ["+6281299998888", "+6281299997777"]},
        )
        self.withdraw(person, verifier, days_ago=6 * 366)
        file_name = person.documents.get().file.name
        call_command("apply_retention", "--years", "5", stdout=io.StringIO())
        person.refresh_from_db()
        assert person.full_name.startswith("(dihapus)") and person.nik.startswith("99")
        assert person.phone == "" and person.street == "" and person.village is None
        assert person.birth_date.year == 1998 and person.sex and person.district_id == "36.73.01"
        assert not person.documents.exists() and not default_storage.exists(file_name)
        history = StageHistory.objects.filter(candidate=person)
        assert history.count() == 2 and all(h.reason == "" for h in history)
        row = AuditLog.objects.get(action="candidate.update", object_id=str(person.pk))
        assert "+6281299998888" not in json.dumps(row.changes)
        candidate_user.refresh_from_db()
        assert not candidate_user.is_active and candidate_user.phone is None
        assert AuditLog.objects.filter(
            action="privacy.anonymise", object_id=str(person.pk)
        ).exists()
        assert list(retention_due(years=5)) == []

    def test_a_dry_run_changes_nothing(self, person, verifier):
        self.withdraw(person, verifier, days_ago=6 * 366)
        out = io.StringIO()
        call_command("apply_retention", "--dry-run", stdout=out)
        assert f"#{person.pk}" in out.getvalue()
        person.refresh_from_db()
        assert person.full_name == "Siti Aminah"

    def test_the_erasure_also_covers_protection_records(self, verifier):
        worker = CandidateFactory(stage=Stage.DEPARTED)
        grievance, _ = protection.grievance_open(
            reporter_kind=ReporterKind.FAMILY,
            reporter_name="Ibu Sari",
            reporter_phone="081211112222",
            category="wages",
            description="Gaji Siti belum dibayar",
            candidate=worker,
        )
        candidate_anonymise(candidate=worker, actor=verifier, reason="uji")
        grievance.refresh_from_db()
        assert (
            grievance.reporter_name == ""
            and grievance.description == ""
            and grievance.reporter_phone == ""
        )
        assert grievance.category == "wages"


@pytest.mark.django_db
def test_erasure_leaves_no_copy_in_anyones_inbox_or_outbox(manager, verifier, candidate_user):
    """The welcome message names the person, the e-mail copy holds their address, and the
    managers were sent the person's check-in problem."""
    from django.db.models import Q

    from jalur.notifications.models import Notification, OutboxMessage
    from jalur.notifications.services import notify

    candidate_user.full_name = "Siti Rahmawati Unik"
    candidate_user.email = "siti.unik@contoh.id"
    candidate_user.save()
    person = CandidateFactory(
        user=candidate_user, full_name="Siti Rahmawati Unik", stage=Stage.DEPARTED
    )
    notify(user=candidate_user, key="welcome")
    problem_reported(person, "Saya dipukul majikan")
    to_manager = Notification.objects.get(user=manager, key="checkin_problem")
    assert to_manager.candidate_id == person.pk
    candidate_anonymise(candidate=person, actor=verifier, reason="permintaan pemilik data")
    assert not Notification.objects.filter(
        Q(body__contains="Siti Rahmawati") | Q(body__contains="dipukul") | Q(candidate=person)
    ).exists()
    assert not OutboxMessage.objects.filter(
        Q(recipient="siti.unik@contoh.id") | Q(body__contains="dipukul")
    ).exists()
