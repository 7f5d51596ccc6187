"""The grievance workflow's deadlines and closing conditions as the office lives them: through the
services, the case page and the list."""

import datetime

import pytest
import time_machine
from django.core import checks
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.protection import services
from jalur.protection.models import (
    ClosingReason,
    Grievance,
    GrievanceEvent,
    GrievanceStatus,
    ReporterKind,
)
from jalur.protection.selectors import grievance_list
from jalur.protection.tests.test_grievances import PNG, open_family_case
from jalur.rules.grievances import Party

DAY = datetime.timedelta(days=1)


def at(moment):
    """The clock stands at `moment` (an aware datetime)."""
    return time_machine.travel(moment, tick=False)


def close(grievance, reason, actor, text="Ditutup."):
    return services.grievance_move(
        grievance=grievance,
        to_status=GrievanceStatus.CLOSED,
        actor=actor,
        closing_reason=reason,
        text=text,
    )


def first_day(moment, days: int) -> str:
    return (timezone.localdate(moment) + days * DAY).strftime("%d-%m-%Y")


def reporter_file(grievance):
    return services.grievance_add_evidence(
        grievance=grievance,
        upload=SimpleUploadedFile("slip.png", PNG, content_type="image/png"),
        uploaded_by_kind=ReporterKind.FAMILY,
    )


@pytest.mark.django_db
class TestIncompleteDocuments:
    def test_the_reason_is_refused_when_no_documents_were_asked_for(self, manager):
        grievance, _ = open_family_case()
        with at(timezone.now() + 45 * DAY), pytest.raises(ValidationError) as error:
            close(grievance, ClosingReason.INCOMPLETE, manager)
        assert "meminta dokumen" in error.value.message_dict["closing_reason"][0]
        grievance.refresh_from_db()
        assert grievance.status == GrievanceStatus.RECEIVED

    def test_the_reason_waits_thirty_days_after_the_request(self, manager):
        grievance, _ = open_family_case()
        services.grievance_assign(grievance=grievance, officer=manager, actor=manager)
        services.grievance_documents_request(
            grievance=grievance, actor=manager, text="Foto paspor dan slip gaji terakhir."
        )
        grievance.refresh_from_db()
        asked = grievance.documents_requested_at
        assert grievance.documents_missing
        event = grievance.events.get(kind=GrievanceEvent.Kind.DOCUMENTS_REQUESTED)
        assert event.public and event.text == "Foto paspor dan slip gaji terakhir."
        assert AuditLog.objects.filter(
            action="grievance.documents_request", object_id=str(grievance.pk)
        ).exists()
        with at(asked + 29 * DAY), pytest.raises(ValidationError) as error:
            close(grievance, ClosingReason.INCOMPLETE, manager)
        assert f"mulai {first_day(asked, 30)}" in error.value.message_dict["closing_reason"][0]
        with at(asked + 30 * DAY):
            closed = close(grievance, ClosingReason.INCOMPLETE, manager)
        assert closed.status == GrievanceStatus.CLOSED
        assert closed.closing_reason == ClosingReason.INCOMPLETE

    def test_a_file_from_the_reporter_stops_the_reason_until_documents_are_asked_for_again(
        self, manager
    ):
        grievance, _ = open_family_case()
        services.grievance_documents_request(grievance=grievance, actor=manager, text="Slip gaji.")
        with at(timezone.now() + 10 * DAY):
            reporter_file(grievance)
        grievance.refresh_from_db()
        assert not grievance.documents_missing
        with at(timezone.now() + 45 * DAY), pytest.raises(ValidationError) as error:
            close(grievance, ClosingReason.INCOMPLETE, manager)
        assert "sudah masuk" in error.value.message_dict["closing_reason"][0]
        with at(timezone.now() + 46 * DAY):
            services.grievance_documents_request(
                grievance=grievance, actor=manager, text="Slip gaji bulan Maret masih kurang."
            )
        with at(timezone.now() + 76 * DAY):
            reopened = services.grievance_contact(grievance=grievance, actor=manager, text="Telp.")
            assert close(reopened, ClosingReason.INCOMPLETE, manager).status == "closed"

    def test_the_office_records_documents_brought_to_the_office(self, manager):
        grievance, _ = open_family_case()
        with pytest.raises(ValidationError):
            services.grievance_documents_received(grievance=grievance, actor=manager)
        services.grievance_documents_request(grievance=grievance, actor=manager, text="KTP.")
        services.grievance_documents_received(
            grievance=grievance, actor=manager, text="Dibawa ke kantor."
        )
        grievance.refresh_from_db()
        assert not grievance.documents_missing
        assert grievance.events.filter(kind=GrievanceEvent.Kind.DOCUMENTS_RECEIVED).exists()

    def test_the_reporter_reads_which_documents_are_asked_for(self, client, manager):
        grievance, _ = open_family_case()
        services.grievance_documents_request(
            grievance=grievance, actor=manager, text="Foto halaman depan paspor."
        )
        session = client.session
        session["jalur_grievance_access"] = [grievance.pk]
        session.save()
        page = client.get(
            reverse("protection:public_grievance_status", args=[grievance.number])
        ).content.decode()
        assert "Foto halaman depan paspor." in page and "30 hari" in page


@pytest.mark.django_db
class TestNoContact:
    def test_the_reason_is_refused_on_the_first_day_with_the_day_it_can_be_used(self, manager):
        grievance, _ = open_family_case()
        with pytest.raises(ValidationError) as error:
            close(grievance, ClosingReason.NO_CONTACT, manager)
        message = error.value.message_dict["closing_reason"][0]
        assert f"mulai {first_day(grievance.opened_at, 60)}" in message
        grievance.refresh_from_db()
        assert grievance.status == GrievanceStatus.RECEIVED

    def test_sixty_days_count_from_the_last_contact(self, manager):
        grievance, _ = open_family_case()
        opened = grievance.opened_at
        with at(opened + 50 * DAY):
            services.grievance_reporter_message(grievance=grievance, text="Masih menunggu.")
        with at(opened + 61 * DAY), pytest.raises(ValidationError) as error:
            close(grievance, ClosingReason.NO_CONTACT, manager)
        assert f"mulai {first_day(opened + 50 * DAY, 60)}" in str(error.value)
        with at(opened + 110 * DAY):
            assert close(grievance, ClosingReason.NO_CONTACT, manager).status == "closed"

    @pytest.mark.parametrize("contact", ["office", "file"])
    def test_a_call_the_office_records_and_a_file_from_the_reporter_are_contact(
        self, manager, contact
    ):
        grievance, _ = open_family_case()
        opened = grievance.opened_at
        with at(opened + 59 * DAY):
            if contact == "office":
                services.grievance_contact(
                    grievance=grievance, actor=manager, text="Telepon ibu Sari, masih menunggu."
                )
                event = grievance.events.get(kind=GrievanceEvent.Kind.CONTACT)
                assert not event.public
                assert AuditLog.objects.filter(action="grievance.contact").exists()
            else:
                reporter_file(grievance)
        with at(opened + 61 * DAY), pytest.raises(ValidationError):
            close(grievance, ClosingReason.NO_CONTACT, manager)

    def test_the_close_form_offers_only_the_reasons_allowed_now(self, client_for, manager):
        grievance, _ = open_family_case()
        client = client_for(manager)
        url = reverse("protection:grievance_detail", args=[grievance.pk])
        response = client.get(url)
        offered = [value for value, _label in response.context["closing_reasons"]]
        assert offered == [ClosingReason.WITHDRAWN, ClosingReason.DUPLICATE]
        page = response.content.decode()
        closing_select = page.split('id="closing"')[1].split("</select>")[0]
        assert 'value="no_contact"' not in closing_select
        assert f"mulai {first_day(grievance.opened_at, 60)}" in page
        with at(grievance.opened_at + 60 * DAY):
            later = client_for(manager).get(url)  # signed in again: a session ends sooner
        offered = [value for value, _label in later.context["closing_reasons"]]
        assert ClosingReason.NO_CONTACT in offered

    def test_a_reason_sent_from_a_stale_page_is_refused_beside_the_field(self, client_for, manager):
        grievance, _ = open_family_case()
        response = client_for(manager).post(
            reverse("protection:grievance_action", args=[grievance.pk]),
            {"action": "move", "to_status": "closed", "closing_reason": "no_contact", "text": "x"},
        )
        assert response.status_code == 200
        [error] = response.context["move_form"].errors["closing_reason"]
        assert f"mulai {first_day(grievance.opened_at, 60)}" in error
        grievance.refresh_from_db()
        assert grievance.status == GrievanceStatus.RECEIVED


def _to_clarification(agency, manager):
    grievance, _ = open_family_case(agency=agency)
    services.grievance_assign(grievance=grievance, officer=manager, actor=manager)
    return services.grievance_move(
        grievance=grievance,
        to_status=GrievanceStatus.CLARIFICATION_1,
        actor=manager,
        text="Mohon klarifikasi gaji.",
    )


@pytest.mark.django_db
class TestTheCommitmentDeadline:
    def _to_commitment(self, agency, manager):
        grievance = _to_clarification(agency, manager)
        return services.grievance_move(
            grievance=grievance,
            to_status=GrievanceStatus.COMMITMENT,
            actor=manager,
            text="P3MI berjanji membayar.",
        )

    def test_a_setting_cannot_lengthen_the_regulations_seven_days(self, settings, agency, manager):
        settings.JALUR_GRIEVANCE_DAYS = {"commitment": 30, "mediation": 21}
        grievance = self._to_commitment(agency, manager)
        assert grievance.due_at - timezone.now() <= 7 * DAY
        assert grievance.due_at - timezone.now() > 7 * DAY - datetime.timedelta(minutes=5)
        mediation = services.grievance_move(
            grievance=grievance, to_status=GrievanceStatus.MEDIATION, actor=manager, text="M."
        )
        assert mediation.due_at - timezone.now() > 20 * DAY  # the office's own: configurable

    def test_a_setting_may_shorten_it_and_says_when_it_would_loosen_it(
        self, settings, agency, manager
    ):
        settings.JALUR_GRIEVANCE_DAYS = {"commitment": 5}
        grievance = self._to_commitment(agency, manager)
        assert 4 * DAY < grievance.due_at - timezone.now() <= 5 * DAY
        assert not [i for i in checks.run_checks() if i.id == "protection.W001"]
        settings.JALUR_GRIEVANCE_DAYS = {"commitment": 14}
        [warning] = [i for i in checks.run_checks() if i.id == "protection.W001"]
        assert "Perban 23/2025" in warning.msg


@pytest.mark.django_db
class TestWhoIsLate:
    def test_a_p3mi_that_answered_on_time_is_not_shown_late_like_one_that_ignored_it(
        self, client_for, agency, agent, manager
    ):
        answered = _to_clarification(agency, manager)
        ignored = _to_clarification(agency, manager)
        start = timezone.now()
        with at(start + 2 * DAY):
            services.grievance_agency_response(
                grievance=answered, actor=agent, text="Gaji dibayar 5 Desember."
            )
        with at(start + 8 * DAY):
            assert list(grievance_list(manager, late=Party.AGENCY)) == [ignored]
            assert list(grievance_list(manager, late=Party.OFFICE)) == [answered]
            page = client_for(manager).get(reverse("protection:grievance_list")).content.decode()
            detail = client_for(manager).get(
                reverse("protection:grievance_detail", args=[answered.pk])
            )
        row = {g.number: page.split(g.number)[1].split("</tr>")[0] for g in (answered, ignored)}
        assert "P3MI terlambat" in row[ignored.number]
        assert "P3MI terlambat" not in row[answered.number]
        assert "Disnakertrans terlambat" in row[answered.number]
        assert "P3MI menjawab tepat waktu" in row[answered.number]
        assert detail.context["standing"].code == "office_late"
        assert "P3MI sudah menanggapi" in detail.content.decode()

    def test_once_the_p3mi_answered_the_status_says_it_waits_for_the_office(
        self, client_for, agency, agent, manager
    ):
        """QA: the list said "Menunggu klarifikasi pertama P3MI" beside "P3MI menjawab tepat
        waktu"; the case page too."""
        waiting = "Menunggu klarifikasi pertama P3MI"
        answered_label = "Klarifikasi pertama diterima — menunggu Disnakertrans"
        answered = _to_clarification(agency, manager)
        ignored = _to_clarification(agency, manager)
        services.grievance_agency_response(grievance=answered, actor=agent, text="Sudah dibayar.")
        client = client_for(manager)
        page = client.get(reverse("protection:grievance_list")).content.decode()
        row = {g.number: page.split(g.number)[1].split("</tr>")[0] for g in (answered, ignored)}
        assert answered_label in row[answered.number] and waiting not in row[answered.number]
        assert waiting in row[ignored.number] and answered_label not in row[ignored.number]
        detail = client.get(reverse("protection:grievance_detail", args=[answered.pk]))
        status = detail.content.decode().split("<dd>")[1].split("</dd>")[0]  # the Status field
        assert answered_label in status and waiting not in status
        # every state where the P3MI must answer says so once it has
        from jalur.protection.models import STATUS_AFTER_AGENCY_ANSWER
        from jalur.rules.grievances import AGENCY_TURN

        assert set(STATUS_AFTER_AGENCY_ANSWER) == set(AGENCY_TURN)

    def test_the_answer_gives_the_office_its_own_deadline_and_is_audited(
        self, agency, agent, manager
    ):
        grievance = _to_clarification(agency, manager)
        agency_due = grievance.due_at
        with at(timezone.now() + DAY):
            services.grievance_agency_response(grievance=grievance, actor=agent, text="Jawaban.")
            answered_at = timezone.now()
        grievance.refresh_from_db()
        assert grievance.agency_due_at == agency_due
        assert grievance.agency_answered_at == answered_at
        assert grievance.due_at == answered_at + 3 * DAY
        log = AuditLog.objects.filter(action="grievance.agency_response").latest("pk")
        assert log.changes["agency_answered_at"][0] is None
        with at(timezone.now() + 2 * DAY):
            services.grievance_agency_response(grievance=grievance, actor=agent, text="Tambahan.")
        grievance.refresh_from_db()
        assert grievance.agency_answered_at == answered_at  # the first answer is the one on time

    def test_an_answer_after_the_deadline_stays_on_record_as_late(self, agency, agent, manager):
        grievance = _to_clarification(agency, manager)
        with at(timezone.now() + 9 * DAY):
            services.grievance_agency_response(grievance=grievance, actor=agent, text="Maaf.")
            grievance.refresh_from_db()
            standing = grievance.standing
        assert standing.code == "office_waiting" and standing.agency_answered_late

    def test_the_next_clarification_waits_for_a_new_answer(self, agency, agent, manager):
        grievance = _to_clarification(agency, manager)
        services.grievance_agency_response(grievance=grievance, actor=agent, text="Jawaban 1.")
        grievance = services.grievance_move(
            grievance=grievance,
            to_status=GrievanceStatus.CLARIFICATION_2,
            actor=manager,
            text="Belum jelas.",
        )
        assert grievance.agency_answered_at is None
        assert grievance.standing.turn == Party.AGENCY

    def test_the_lists_filters_agree_with_the_rule(self, agency, agent, manager):
        start = timezone.now()
        waiting_assignment, _ = open_family_case()
        ignored = _to_clarification(agency, manager)
        on_time = _to_clarification(agency, manager)
        late_answer = _to_clarification(agency, manager)
        fresh_answer = _to_clarification(agency, manager)
        closed, _ = open_family_case()
        close(closed, ClosingReason.DUPLICATE, manager)
        with at(start + DAY):
            services.grievance_agency_response(grievance=on_time, actor=agent, text="Ya.")
        with at(start + 7.5 * DAY):
            services.grievance_agency_response(grievance=late_answer, actor=agent, text="Ya.")
        with at(start + 9 * DAY):
            services.grievance_agency_response(grievance=fresh_answer, actor=agent, text="Ya.")
        with at(start + 11 * DAY):
            cases = list(Grievance.objects.all())
            codes = {g.pk: g.standing.code for g in cases}
            for party in (Party.AGENCY, Party.OFFICE):
                listed = {g.pk for g in grievance_list(manager, late=party)}
                assert listed == {pk for pk, code in codes.items() if code == f"{party}_late"}
            overdue = {g.pk for g in grievance_list(manager, overdue=True)}
            assert overdue == {g.pk for g in cases if g.is_overdue}
        assert codes[ignored.pk] == "agency_late"
        assert codes[on_time.pk] == codes[late_answer.pk] == "office_late"
        assert codes[waiting_assignment.pk] == "office_late"
        assert codes[fresh_answer.pk] == "office_waiting"
        late_answer.refresh_from_db()
        fresh_answer.refresh_from_db()
        assert (
            late_answer.standing.agency_answered_late and fresh_answer.standing.agency_answered_late
        )
        on_time.refresh_from_db()
        assert not on_time.standing.agency_answered_late
        assert codes[closed.pk] == ""
