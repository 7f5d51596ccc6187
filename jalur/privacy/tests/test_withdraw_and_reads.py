"""Withdrawing consent (UU PDP Pasal 9), messages stopped for a withdrawn person, every read of
personal data recorded, and the retention run covering returnees and replaced files."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.audit.services import audit_record
from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.departure.models import ChecklistItem, DepartureCase
from jalur.departure.tests.conftest import accept, make_agency, make_order
from jalur.notifications.models import OutboxMessage
from jalur.notifications.services import notify
from jalur.placement.states import ApplicationStatus
from jalur.privacy.services import replaced_files_expire, retention_due
from jalur.privacy.withdraw import candidate_withdraw, withdraw_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def email_user(candidate_user):
    candidate_user.email = "siti@example.id"
    candidate_user.save()
    return candidate_user


class TestWithdraw:
    def test_a_trained_person_withdraws_and_leaves_every_list(self, email_user):
        person = CandidateFactory(user=email_user, stage=Stage.TRAINED)
        candidate_withdraw(candidate=person, actor=email_user, reason="Bekerja di dalam negeri")
        person.refresh_from_db()
        assert person.stage == Stage.WITHDRAWN
        row = AuditLog.objects.get(action="privacy.withdraw")
        assert row.reason == "Bekerja di dalam negeri" and row.changes["by"] == ["", "candidate"]
        history = person.stage_history.last()
        assert history.to_stage == Stage.WITHDRAWN and "Bekerja di dalam negeri" in history.reason

    def test_an_accepted_offer_ends_and_the_p3mi_is_told_at_the_desk(
        self, agency, agent, officer, email_user
    ):
        order = make_order(make_agency(agency))
        person = CandidateFactory(user=email_user, stage=Stage.PRE_DEPARTURE)
        application = accept(order, candidate=person)
        candidate_withdraw(candidate=person, actor=officer, reason="")
        application.refresh_from_db()
        person.refresh_from_db()
        assert application.status == ApplicationStatus.WITHDRAWN
        assert person.stage == Stage.WITHDRAWN
        assert agent.notifications.filter(key="privacy_candidate_withdrawn").exists()
        assert AuditLog.objects.get(action="privacy.withdraw").actor == officer

    def test_a_worker_abroad_keeps_protection(self, email_user):
        person = CandidateFactory(user=email_user, stage=Stage.DEPARTED)
        plan, _kept = withdraw_plan(person)
        assert not plan.allowed and plan.protection_continues
        with pytest.raises(ValidationError):
            candidate_withdraw(candidate=person, actor=email_user)
        assert Candidate.objects.get(pk=person.pk).stage == Stage.DEPARTED

    def test_messages_stop_except_those_the_law_owes(self, email_user):
        person = CandidateFactory(user=email_user, stage=Stage.VERIFIED)
        notify(user=email_user, key="welcome", context={"candidate": person})
        waiting = OutboxMessage.objects.get()
        assert waiting.status == OutboxMessage.Status.PENDING
        candidate_withdraw(candidate=person, actor=email_user)
        waiting.refresh_from_db()
        assert waiting.status == OutboxMessage.Status.FAILED  # stopped, never sent
        before = OutboxMessage.objects.count()
        notify(user=email_user, key="welcome", context={"candidate": person})
        assert OutboxMessage.objects.count() == before  # inbox only
        assert email_user.notifications.filter(key="welcome").count() == 2
        notify(
            user=email_user,
            key="privacy_request_decided",
            context={"candidate": person, "request": None, "decision": "x"},
        )
        assert OutboxMessage.objects.count() == before + 1

    def test_the_person_can_still_log_in_and_download(self, client_for, email_user):
        person = CandidateFactory(user=email_user, stage=Stage.VERIFIED)
        candidate_withdraw(candidate=person, actor=email_user)
        response = client_for(email_user).post(reverse("privacy:my_data"))
        assert response["Content-Type"] == "application/zip"

    def test_the_withdraw_page_withdraws(self, client_for, email_user):
        person = CandidateFactory(user=email_user, stage=Stage.REGISTERED)
        client = client_for(email_user)
        page = client.get(reverse("privacy:withdraw")).content.decode()
        assert "Jalur berhenti mengirim pesan" in page  # what happens at this stage
        refused = client.post(reverse("privacy:withdraw"), {"reason": "Menikah"})
        assert "Centang kotak ini" in refused.content.decode()
        assert Candidate.objects.get(pk=person.pk).stage == Stage.REGISTERED
        client.post(reverse("privacy:withdraw"), {"reason": "Menikah", "confirm": "on"})
        assert Candidate.objects.get(pk=person.pk).stage == Stage.WITHDRAWN

    def test_the_desk_withdraws_on_the_persons_behalf(self, client_for, officer, email_user):
        person = CandidateFactory(user=email_user, stage=Stage.REGISTERED)
        url = reverse("privacy:desk_withdraw", args=[person.pk])
        client_for(officer).post(url, {"reason": "Datang ke kantor", "confirm": "on"})
        assert Candidate.objects.get(pk=person.pk).stage == Stage.WITHDRAWN
        assert AuditLog.objects.get(action="privacy.withdraw").changes["by"] == ["", "desk"]


class TestReadsAreRecorded:
    def test_opening_a_profile_writes_one_read_row(self, client_for, verifier):
        person = CandidateFactory(stage=Stage.REGISTERED)
        client_for(verifier).get(reverse("candidates:detail", args=[person.pk]))
        rows = AuditLog.objects.filter(kind=AuditLog.Kind.VIEW, action="candidate.view")
        assert [(r.object_id, r.actor) for r in rows] == [(str(person.pk), verifier)]

    def test_a_nik_search_writes_a_row_without_the_nik(self, client_for, verifier):
        person = CandidateFactory(stage=Stage.REGISTERED)
        client_for(verifier).get(reverse("candidates:list"), {"q": person.nik})
        row = AuditLog.objects.get(action="candidate.search")
        assert row.object_id == str(person.pk)
        assert row.changes["query_kind"] == "nik" and row.changes["count"] == 1
        assert person.nik not in str(row.changes) and row.changes["query"].endswith(person.nik[-4:])

    def test_the_person_sees_who_opened_their_data_without_staff_names(
        self, client_for, verifier, candidate_user
    ):
        verifier.full_name = "Budi Verifikator"
        verifier.save()
        person = CandidateFactory(user=candidate_user, stage=Stage.REGISTERED)
        client_for(verifier).get(reverse("candidates:detail", args=[person.pk]))
        client_for(verifier).get(reverse("candidates:list"), {"q": person.nik})
        page = client_for(candidate_user).get(reverse("privacy:access_log"))
        body = page.content.decode()
        assert "Disnakertrans Uji" in body and "Verifikator" in body
        assert "Budi" not in body and verifier.username not in body
        assert len(page.context["page_obj"].object_list) == 2


class TestRetention:
    def _left(self, person, days_ago):
        Candidate.objects.filter(pk=person.pk).update(
            stage_changed_at=timezone.now() - datetime.timedelta(days=days_ago)
        )

    def test_returnees_are_due_after_the_keeping_period(self):
        returned = CandidateFactory(stage=Stage.RETURNED)
        recent = CandidateFactory(stage=Stage.RETURNED)
        again = CandidateFactory(stage=Stage.REGISTERING, cycle=2)  # registered again
        self._left(returned, 11 * 366)
        self._left(recent, 6 * 366)
        self._left(again, 11 * 366)
        assert list(retention_due(years=5)) == [returned]

    def test_replaced_checklist_files_are_deleted_after_the_period(self, agency, officer):
        order = make_order(make_agency(agency))
        application = accept(order)
        case = DepartureCase.objects.create(
            application=application, candidate=application.candidate, agency=order.agency
        )
        old = default_storage.save("departure/uji/lama.pdf", ContentFile(b"%PDF-1.4 lama"))
        new = default_storage.save("departure/uji/baru.pdf", ContentFile(b"%PDF-1.4 baru"))
        item = ChecklistItem.objects.create(case=case, code="passport", document=new)
        audit_record(
            actor=officer,
            action="departure.item_submit",
            target=item,
            changes={"document": [old, new]},
        )
        assert replaced_files_expire() == 0  # too recent
        later = timezone.now() + datetime.timedelta(days=91)
        assert replaced_files_expire(now=later) == 1
        assert not default_storage.exists(old) and default_storage.exists(new)
        assert AuditLog.objects.filter(action="privacy.replaced_file_expire").count() == 1
