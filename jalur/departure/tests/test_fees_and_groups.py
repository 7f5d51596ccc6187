import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jalur.audit.models import AuditLog
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.departure import services
from jalur.departure.gates import gate_problems
from jalur.departure.models import CaseStatus, DepartureGroup, FeeEntry
from jalur.rules.fees import Verdict, worker_may_pay

from .conftest import DEPARTURE, TODAY, accept, make_order
from .test_checklist import fill, own_numbers, sign_no_fee


def fee(case, actor, **data):
    base = {
        "item": "ticket",
        "description": "",
        "amount": 5_000_000,
        "currency": "IDR",
        "paid_by": "worker",
        "state": "planned",
        "paid_on": None,
    }
    return services.fee_record(case=case, data={**base, **data}, actor=actor)


def test_the_rules_for_what_a_worker_may_pay():
    """The ledger's rule is the rules layer's: a Ruling with its sources, not a (bool, text) pair."""
    passport = worker_may_pay("passport", zero_cost=False)
    assert passport.allowed and passport.basis == worker_may_pay("skck", zero_cost=False).basis
    assert not worker_may_pay("passport", zero_cost=True).allowed
    assert not worker_may_pay("ticket", zero_cost=False).allowed
    assert not worker_may_pay("agency_fee", zero_cost=False).allowed
    # accommodation is never the worker's, on any position (the programme's rule)
    assert worker_may_pay("accommodation", zero_cost=True).verdict == Verdict.FORBIDDEN
    assert worker_may_pay("accommodation", zero_cost=False).verdict == Verdict.FORBIDDEN
    assert worker_may_pay("other", zero_cost=False).verdict == Verdict.DECIDE


@pytest.mark.django_db
class TestFeeLedger:
    def test_a_forbidden_worker_cost_is_refused_when_planned(self, case, agent):
        with pytest.raises(ValidationError) as error:
            fee(case, agent, item="ticket")
        assert error.value.message_dict["paid_by"][0].startswith(
            'Pekerja tidak boleh membayar "Tiket berangkat dan pulang" (UU 18/2017 Pasal 30'
        )
        assert not FeeEntry.objects.exists()

    def test_worker_paid_accommodation_is_refused_on_an_ordinary_position(self, case, agent):
        """The old ledger let the worker pay accommodation; the programme's rule does not."""
        assert not case.application.order.job_type.zero_cost
        with pytest.raises(ValidationError) as error:
            fee(case, agent, item="accommodation", amount=1_500_000)
        assert "Akomodasi dan transportasi lokal" in error.value.message_dict["paid_by"][0]
        assert not FeeEntry.objects.exists()

    def test_a_forbidden_cost_already_paid_is_flagged_and_blocks_departure_until_followed_up(
        self, case, agent, manager
    ):
        entry = fee(case, agent, item="agency_fee", state="paid", paid_on=timezone.localdate())
        assert entry.violation and "Pasal 30" in entry.legal_basis
        assert manager.notifications.filter(key="fee_violation").exists()
        assert AuditLog.objects.filter(action="departure.fee_violation").exists()
        assert any("melanggar aturan" in p for p in gate_problems(case, DEPARTURE))
        services.fee_violation_follow_up(
            fee=entry,
            note="P3MI wajib mengembalikan Rp 5 juta; dilaporkan ke BP3MI.",
            actor=manager,
        )
        assert not any("melanggar aturan" in p for p in gate_problems(case, DEPARTURE))

    def test_a_fee_paid_in_the_future_is_refused(self, case, agent):
        tomorrow = TODAY + datetime.timedelta(days=1)
        with pytest.raises(ValidationError) as error:
            fee(case, agent, paid_by="employer", state="paid", paid_on=tomorrow)
        assert error.value.message_dict == {
            "paid_on": ["Tanggal pembayaran tidak boleh di masa depan; catat sebagai direncanakan."]
        }
        assert not FeeEntry.objects.exists()
        planned = fee(case, agent, paid_by="employer", state="planned", paid_on=tomorrow)
        paid = fee(case, agent, paid_by="employer", state="paid", paid_on=TODAY)
        assert (planned.state, paid.state) == (FeeEntry.State.PLANNED, FeeEntry.State.PAID)

    def test_zero_cost_positions_forbid_even_personal_costs(self, p3mi, agent):
        order = make_order(p3mi, job_type="caregiver", reference="JO-ZC")
        case = services.case_open(application=accept(order), actor=agent)
        with pytest.raises(ValidationError) as error:
            fee(case, agent, item="passport", amount=350_000)
        assert "9/2020" in str(error.value)
        ok = fee(case, agent, item="passport", amount=350_000, paid_by="city_budget")
        assert not ok.violation

    def test_personal_costs_may_be_paid_by_the_worker_outside_zero_cost_positions(
        self, case, agent
    ):
        entry = fee(
            case, agent, item="passport", amount=350_000, state="paid", paid_on=timezone.localdate()
        )
        assert not entry.violation and "02/2020" in entry.legal_basis

    def test_a_paid_cost_needs_its_date(self, case, agent):
        with pytest.raises(ValidationError):
            fee(case, agent, item="passport", state="paid", paid_on=None)

    def test_the_ledger_page_shows_the_violation(self, client_for, case, agent):
        fee(case, agent, item="visa", state="paid", paid_on=timezone.localdate())
        page = client_for(agent).get(reverse("departure:case", args=[case.pk])).content.decode()
        assert "pelanggaran" in page


@pytest.mark.django_db
class TestWorkerPaidItemsTheRulesDoNotName:
    """A worker-paid "Lainnya" line: recorded, flagged for the labour office, decided with a reason."""

    def other(self, case, agent, **data):
        return fee(
            case,
            agent,
            **{
                "item": "other",
                "description": "Seragam kerja",
                "amount": 400_000,
                "state": "paid",
                "paid_on": TODAY,
                **data,
            },
        )

    @pytest.mark.rule("fees.worker_may_pay")
    def test_it_is_recorded_and_flagged_for_the_office_to_decide(self, case, agent, manager):
        entry = self.other(case, agent)
        assert entry.decision == FeeEntry.Decision.PENDING and not entry.violation
        assert manager.notifications.filter(key="fee_decision_needed").exists()
        assert AuditLog.objects.filter(
            action="departure.fee_decision_needed", reason__contains="Disnakertrans"
        ).exists()

    @pytest.mark.parametrize("description", ["", "   "])
    def test_it_must_say_what_it_is_for_the_office_to_decide_on(self, case, agent, description):
        """A bare "Lainnya" gives the office nothing to decide on: refused at the description."""
        with pytest.raises(ValidationError) as error:
            self.other(case, agent, description=description)
        assert "tulis uraiannya" in error.value.message_dict["description"][0]
        assert not FeeEntry.objects.exists()

    def test_an_undescribed_other_cost_paid_by_someone_else_is_fine(self, case, agent):
        entry = self.other(case, agent, description="", paid_by="agency")
        assert entry.decision == ""

    def test_a_planned_one_is_recorded_and_flagged_too(self, case, agent):
        entry = self.other(case, agent, state="planned", paid_on=None)
        assert entry.decision == FeeEntry.Decision.PENDING

    def test_on_a_zero_cost_position_the_worker_pays_nothing_not_even_other_items(
        self, p3mi, agent
    ):
        order = make_order(p3mi, job_type="caregiver", reference="JO-ZC-OTHER")
        case = services.case_open(application=accept(order), actor=agent)
        with pytest.raises(ValidationError) as error:
            self.other(case, agent, state="planned", paid_on=None)
        assert "9/2020" in error.value.message_dict["paid_by"][0]

    def test_while_undecided_it_blocks_the_gate_and_the_no_fee_statement(
        self, case, agent, manager
    ):
        fill(case, agent, manager)
        entry = self.other(case, agent)
        with pytest.raises(ValidationError) as error:
            sign_no_fee(case, agent)
        assert error.value.code == "undecided_worker_fee"
        assert "Seragam kerja" in error.value.messages[0]
        assert any("belum diputuskan Disnakertrans" in p for p in gate_problems(case, DEPARTURE))
        services.fee_decide(
            fee=entry,
            allowed=True,
            reason="Seragam dipakai pekerja sendiri, dibeli atas pilihannya.",
            actor=manager,
        )
        sign_no_fee(case, agent)
        assert gate_problems(case, DEPARTURE) == []
        entry.refresh_from_db()
        assert entry.decision == FeeEntry.Decision.ALLOWED
        assert (entry.decided_by, entry.decision_reason) == (
            manager,
            "Seragam dipakai pekerja sendiri, dibeli atas pilihannya.",
        )
        assert AuditLog.objects.filter(
            action="departure.fee_decide",
            actor=manager,
            reason="Seragam dipakai pekerja sendiri, dibeli atas pilihannya.",
        ).exists()

    def test_decided_a_violation_it_needs_its_follow_up_like_any_forbidden_charge(
        self, case, agent, manager
    ):
        entry = self.other(case, agent, state="planned", paid_on=None)
        services.fee_decide(
            fee=entry, allowed=False, reason="Biaya P3MI yang dibebankan.", actor=manager
        )
        entry.refresh_from_db()
        assert entry.violation and entry.decision == FeeEntry.Decision.VIOLATION
        assert "Biaya P3MI yang dibebankan." in entry.violation_note
        assert any("melanggar aturan" in p for p in gate_problems(case, DEPARTURE))
        with pytest.raises(ValidationError) as error:
            sign_no_fee(case, agent)
        assert error.value.code == "unresolved_fee_violation"
        services.fee_violation_follow_up(fee=entry, note="P3MI membatalkan biaya.", actor=manager)
        sign_no_fee(case, agent)

    @pytest.mark.parametrize(
        ("allowed", "says"),
        [(True, "boleh dibayar pekerja"), (False, "pelanggaran")],
    )
    def test_the_p3mi_hears_of_the_decision_and_its_reason(
        self, case, agent, agent_b, manager, allowed, says
    ):
        entry = self.other(case, agent)
        services.fee_decide(fee=entry, allowed=allowed, reason="Alasan kantor.", actor=manager)
        note = agent.notifications.get(key="fee_decided")
        assert says in note.body and "Seragam kerja" in note.body
        assert "Alasan kantor." in note.body
        assert note.link == f"/keberangkatan/{case.pk}/"
        assert ("kembalikan" in note.body) is not allowed
        assert not agent_b.notifications.filter(key="fee_decided").exists()

    def test_only_the_labour_office_decides_once_and_with_a_reason(self, case, agent, manager):
        entry = self.other(case, agent)
        with pytest.raises(ValidationError) as error:
            services.fee_decide(fee=entry, allowed=True, reason="boleh", actor=agent)
        assert error.value.code == "not_labour_office"
        with pytest.raises(ValidationError) as error:
            services.fee_decide(fee=entry, allowed=True, reason="  ", actor=manager)
        assert "reason" in error.value.message_dict
        entry.refresh_from_db()
        assert entry.decision == FeeEntry.Decision.PENDING
        services.fee_decide(fee=entry, allowed=True, reason="Wajar", actor=manager)
        with pytest.raises(ValidationError) as error:
            services.fee_decide(fee=entry, allowed=False, reason="Berubah pikiran", actor=manager)
        assert error.value.code == "already_decided"

    def test_the_ledger_shows_it_waiting_and_then_the_decision_and_its_reason(
        self, client_for, case, agent, manager
    ):
        entry = self.other(case, agent)
        url = reverse("departure:case", args=[case.pk])
        page = client_for(manager).get(url).content.decode()
        assert "menunggu keputusan Disnakertrans" in page
        assert reverse("departure:fee_decide", args=[entry.pk]) in page
        assert reverse("departure:fee_decide", args=[entry.pk]) not in (
            client_for(agent).get(url).content.decode()
        )
        response = client_for(manager).post(
            reverse("departure:fee_decide", args=[entry.pk]),
            {"decision": "allowed", "reason": "Seragam milik pekerja"},
        )
        assert response.status_code == 302
        page = client_for(agent).get(url).content.decode()
        assert "Dibolehkan Disnakertrans: Seragam milik pekerja" in page
        assert "menunggu keputusan Disnakertrans" not in page


@pytest.mark.django_db
class TestGroups:
    def ready_case(self, order, agent, manager):
        case = services.case_open(
            application=accept(order, candidate=CandidateFactory(stage=Stage.PRE_DEPARTURE)),
            actor=agent,
        )
        fill(case, agent, manager)
        sign_no_fee(case, agent)
        return services.case_mark_ready(case=case, planned_departure_on=DEPARTURE, actor=agent)

    def departed_case(self, p3mi, order, agent, manager):
        """A ready case that left today in a group of its own."""
        case = self.ready_case(order, agent, manager)
        group = services.group_create(
            agency=p3mi, country="JP", departs_on=TODAY, flight="GA 874", airport="CGK", actor=agent
        )
        services.group_set_members(group=group, cases=[case], actor=agent)
        sign_no_fee(case, agent, "departure")
        services.group_depart(group=group, actor=agent)
        return case

    def test_a_group_departs_only_when_everyone_passes_the_gate(
        self, p3mi, order, agent, manager, client_for
    ):
        first, second = (
            self.ready_case(order, agent, manager),
            self.ready_case(order, agent, manager),
        )
        group = services.group_create(
            agency=p3mi, country="JP", departs_on=TODAY, flight="GA 874", airport="CGK", actor=agent
        )
        services.group_set_members(group=group, cases=[first, second], actor=agent)
        with pytest.raises(ValidationError) as error:
            services.group_depart(group=group, actor=agent)
        assert "saat keberangkatan belum ditandatangani" in str(error.value)
        first.refresh_from_db()
        assert first.status == CaseStatus.READY
        for case in (first, second):
            sign_no_fee(case, agent, "departure")
        services.group_depart(group=group, actor=agent)
        for case in (first, second):
            case.refresh_from_db()
            case.candidate.refresh_from_db()
            assert case.status == CaseStatus.DEPARTED and case.candidate.stage == Stage.DEPARTED
        group.refresh_from_db()
        assert group.status == DepartureGroup.Status.DEPARTED

        xlsx = client_for(agent).get(reverse("departure:manifest", args=[group.pk, "xlsx"]))
        sheet = load_workbook(__import__("io").BytesIO(xlsx.content)).active
        names = {row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
        assert names == {first.candidate.full_name, second.candidate.full_name}
        pdf = client_for(agent).get(reverse("departure:manifest", args=[group.pk, "pdf"]))
        assert pdf.content.startswith(b"%PDF")
        assert (
            AuditLog.objects.filter(
                action="departure.manifest_export", kind=AuditLog.Kind.EXPORT
            ).count()
            == 2
        )

    def test_only_preparing_or_ready_workers_of_the_same_agency_join_a_group(
        self, p3mi, p3mi_b, order, agent, manager, agent_b
    ):
        ready = self.ready_case(order, agent, manager)
        open_case = services.case_open(application=accept(order), actor=agent)
        ended = services.case_open(
            application=accept(make_order(p3mi, reference="JO-END")), actor=agent
        )
        services.case_end(case=ended, reason="Mundur", actor=agent)
        group = services.group_create(
            agency=p3mi,
            country="JP",
            departs_on=DEPARTURE,
            flight="GA 874",
            airport="CGK",
            actor=agent,
        )
        # preparing together: the checklists of a group are filled in before anyone is ready
        services.group_set_members(group=group, cases=[ready, open_case], actor=agent)
        assert set(group.cases.values_list("pk", flat=True)) == {ready.pk, open_case.pk}
        ended.refresh_from_db()
        with pytest.raises(ValidationError):
            services.group_set_members(group=group, cases=[ready, ended], actor=agent)
        other = services.group_create(
            agency=p3mi_b,
            country="JP",
            departs_on=DEPARTURE,
            flight="JL 726",
            airport="CGK",
            actor=agent_b,
        )
        with pytest.raises(ValidationError):
            services.group_set_members(group=other, cases=[ready], actor=agent_b)

    def test_after_departure_the_worker_appears_in_protection_for_their_agency(
        self, p3mi, order, agent, agent_b, manager
    ):
        from jalur.protection.selectors import monitoring_rows, worker_agency

        case = self.departed_case(p3mi, order, agent, manager)
        assert worker_agency(case.candidate) == p3mi.organisation
        assert [r.pk for r in monitoring_rows(agent)] == [case.candidate_id]
        assert monitoring_rows(agent_b) == []

    def test_the_office_candidate_export_says_who_went_where_and_when(
        self, p3mi, order, agent, manager, client_for
    ):
        import io

        from openpyxl import load_workbook

        case = self.departed_case(p3mi, order, agent, manager)
        CandidateFactory()  # someone not placed: empty placement cells
        response = client_for(manager).get(reverse("candidates:export"))
        rows = list(load_workbook(io.BytesIO(response.content)).active.values)
        header = rows[0]
        placed = next(r for r in rows[1:] if r[header.index("No.")] == case.candidate_id)
        row = dict(zip(header, placed, strict=True))
        assert row["P3MI"] == p3mi.organisation.name
        assert row["Pemberi kerja"] == order.employer_name
        assert row["Nomor lowongan"] == order.reference
        assert row["Nomor E-PMI"] == own_numbers(case)["e_pmi"]["e_pmi"]
        assert row["Keberangkatan"] == "Sudah berangkat"
        assert row["Tanggal berangkat (atau rencana)"].date() == TODAY
        other = dict(zip(header, next(r for r in rows[1:] if r != placed), strict=True))
        assert other["P3MI"] in (None, "")

    def test_a_group_cannot_be_marked_departed_before_its_flight_date(
        self, p3mi, order, agent, manager, client_for
    ):
        case = self.ready_case(order, agent, manager)
        sign_no_fee(case, agent, "departure")
        flight_day = TODAY + datetime.timedelta(days=12)
        group = services.group_create(
            agency=p3mi,
            country="JP",
            departs_on=flight_day,
            flight="GA 874",
            airport="CGK",
            actor=agent,
        )
        services.group_set_members(group=group, cases=[case], actor=agent)
        response = client_for(agent).post(
            reverse("departure:group_depart", args=[group.pk]), follow=True
        )
        assert (
            f"Rombongan dijadwalkan berangkat {flight_day:%d-%m-%Y}; tandai berangkat pada atau "
            "setelah tanggal itu." in response.content.decode()
        )
        group.refresh_from_db()
        case.refresh_from_db()
        assert group.status == DepartureGroup.Status.PLANNED
        assert case.status == CaseStatus.READY and case.departed_on is None

    def test_a_group_marked_departed_late_records_the_flight_date(
        self, p3mi, order, agent, manager
    ):
        from jalur.candidates.models import StageHistory
        from jalur.protection.selectors import monitoring_rows

        case = self.ready_case(order, agent, manager)
        sign_no_fee(case, agent, "departure")
        group = services.group_create(
            agency=p3mi, country="JP", departs_on=TODAY, flight="GA 874", airport="CGK", actor=agent
        )
        services.group_set_members(group=group, cases=[case], actor=agent)
        # The flight left three days ago; nobody pressed the button until today.
        flew = TODAY - datetime.timedelta(days=3)
        DepartureGroup.objects.filter(pk=group.pk).update(departs_on=flew)
        case.candidate.__class__.objects.filter(pk=case.candidate_id).update(
            stage_changed_at=timezone.now() - datetime.timedelta(days=10)
        )
        services.group_depart(group=group, actor=agent)
        case.refresh_from_db()
        assert case.departed_on == flew
        history = StageHistory.objects.filter(
            candidate_id=case.candidate_id, to_stage=Stage.DEPARTED
        ).get()
        assert timezone.localtime(history.created_at).date() == flew
        [row] = monitoring_rows(agent)
        assert timezone.localtime(row.stage_changed_at).date() == flew
        assert timezone.localtime(row.next_checkin_due).date() == flew + datetime.timedelta(
            days=settings.JALUR_CHECKIN_INTERVAL_DAYS
        )

    def test_a_ready_case_whose_visa_lapses_goes_back_to_open(self, order, agent, manager):
        case = self.ready_case(order, agent, manager)
        case.items.filter(code="visa").update(valid_until=TODAY + datetime.timedelta(days=5))
        reopened = services.cases_recheck(today=TODAY + datetime.timedelta(days=6))
        case.refresh_from_db()
        case.candidate.refresh_from_db()
        assert (
            reopened == [case]
            and case.status == CaseStatus.OPEN
            and case.candidate.stage == Stage.PRE_DEPARTURE
        )
