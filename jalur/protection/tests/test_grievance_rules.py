"""The grievance workflow's rules (jalur.rules.grievances) on plain values: deadlines, closing, lateness."""

import datetime
import zoneinfo

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from jalur.protection.models import ClosingReason, GrievanceStatus
from jalur.rules import grievances as rules
from jalur.rules.registry import REGISTRY

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
T0 = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
moments = st.datetimes(
    min_value=datetime.datetime(2024, 1, 1),
    max_value=datetime.datetime(2032, 12, 31),
    timezones=st.just(datetime.UTC),
)


def facts(**kw) -> rules.ClosingFacts:
    return rules.ClosingFacts(
        **{
            "state": rules.State.ASSIGNED,
            "opened_at": T0,
            "last_contact_at": T0,
            "documents_requested_at": None,
            "documents_received_at": None,
            **kw,
        }
    )


def test_the_rules_use_the_codes_of_the_models_states_and_closing_reasons():
    assert [s.value for s in rules.State] == GrievanceStatus.values
    assert [r.value for r in rules.Reason] == ClosingReason.values


def test_every_grievance_rule_is_registered_with_its_source():
    registered = {c: r for c, r in REGISTRY.items() if c.startswith("grievances.")}
    assert set(registered) == {
        "grievances.can_move",
        "grievances.days_for",
        "grievances.standing",
        "grievances.closing_check",
    }
    cited = {s.cite() for r in registered.values() for s in r.sources}
    assert {"Perban BP2MI 6/2024", "Perban 23/2025"} <= cited
    assert all(r.sources for r in registered.values())


class TestDeadlines:
    def test_only_the_commitment_deadline_is_the_regulations(self):
        regulation = {k for k, d in rules.DEADLINES.items() if d.regulation}
        assert regulation == {rules.State.COMMITMENT}
        assert rules.DEADLINES[rules.State.COMMITMENT].sources == (
            rules.sources.GRIEVANCE_WORKFLOW,
        )

    @given(days=st.integers(min_value=-5, max_value=400))
    def test_no_setting_lengthens_the_regulations_seven_days(self, days):
        with override_settings(JALUR_GRIEVANCE_DAYS={"commitment": days}):
            effective = rules.days_for(rules.State.COMMITMENT)
        assert 1 <= effective <= 7
        assert effective == (days if 1 <= days <= 7 else 7)

    def test_the_offices_own_service_levels_follow_the_setting(self):
        with override_settings(JALUR_GRIEVANCE_DAYS={"mediation": 21, "agency_answered": 5}):
            assert rules.days_for(rules.State.MEDIATION) == 21
            assert rules.days_for(rules.AFTER_AGENCY_ANSWER) == 5
            assert rules.days_for(rules.State.CLOSED) is None

    def test_a_setting_that_would_loosen_the_law_or_is_not_a_number_is_reported(self):
        with override_settings(
            JALUR_GRIEVANCE_DAYS={"commitment": 14, "mediation": "dua", "closed": 3, "x": 1}
        ):
            problems = rules.settings_problems()
        assert len(problems) == 4
        assert any("Perban 23/2025 sets 7 days" in p for p in problems)
        with override_settings(JALUR_GRIEVANCE_DAYS={"commitment": 5, "mediation": 21}):
            assert rules.settings_problems() == []


class TestClosing:
    def test_incomplete_documents_needs_documents_asked_for(self):
        check = rules.closing_check(rules.Reason.INCOMPLETE, facts=facts(), now=T0 + 90 * DAY)
        assert not check.allowed and "meminta dokumen" in check.message

    def test_incomplete_documents_from_the_thirtieth_day_after_the_request(self):
        asked = facts(documents_requested_at=T0)
        early = rules.closing_check(rules.Reason.INCOMPLETE, facts=asked, now=T0 + 29 * DAY)
        assert not early.allowed
        assert early.available_on == datetime.date(2026, 4, 1)
        assert "mulai 01-04-2026" in early.message and "02-03-2026" in early.message
        assert rules.closing_check(rules.Reason.INCOMPLETE, facts=asked, now=T0 + 30 * DAY).allowed

    def test_documents_that_came_in_after_the_request_stop_the_incomplete_reason(self):
        came_in = facts(documents_requested_at=T0, documents_received_at=T0 + 3 * DAY)
        check = rules.closing_check(rules.Reason.INCOMPLETE, facts=came_in, now=T0 + 90 * DAY)
        assert not check.allowed and "sudah masuk pada 05-03-2026" in check.message
        asked_again = facts(documents_requested_at=T0 + 5 * DAY, documents_received_at=T0 + 3 * DAY)
        assert rules.documents_missing(asked_again)

    @given(last=moments, elapsed=st.timedeltas(min_value=datetime.timedelta(0), max_value=90 * DAY))
    def test_no_contact_only_from_the_sixtieth_day_after_the_last_contact(self, last, elapsed):
        now = last + elapsed
        check = rules.closing_check(
            rules.Reason.NO_CONTACT, facts=facts(opened_at=last, last_contact_at=last), now=now
        )
        days = (now.astimezone(JAKARTA).date() - last.astimezone(JAKARTA).date()).days
        assert check.allowed == (days >= 60)
        if not check.allowed:
            assert check.available_on == last.astimezone(JAKARTA).date() + 60 * DAY
            assert check.available_on.strftime("%d-%m-%Y") in check.message

    def test_no_contact_on_the_first_day_is_refused_with_the_day_it_can_be_used(self):
        check = rules.closing_check(rules.Reason.NO_CONTACT, facts=facts(), now=T0 + DAY)
        assert not check.allowed and "mulai 01-05-2026" in check.message

    def test_without_a_recorded_contact_the_opening_counts(self):
        silent = facts(last_contact_at=None)
        assert not rules.closing_check(
            rules.Reason.NO_CONTACT, facts=silent, now=T0 + 59 * DAY
        ).allowed
        assert rules.closing_check(rules.Reason.NO_CONTACT, facts=silent, now=T0 + 60 * DAY).allowed

    def test_resolved_and_referred_follow_the_state_that_records_them(self):
        for reason, state in (
            (rules.Reason.RESOLVED, rules.State.RESOLVED),
            (rules.Reason.REFERRED, rules.State.REFERRED),
        ):
            assert not rules.closing_check(reason, facts=facts(), now=T0).allowed
            assert rules.closing_check(reason, facts=facts(state=state), now=T0).allowed

    def test_a_case_waiting_for_the_commitment_cannot_be_closed_with_any_reason(self):
        waiting = facts(state=rules.State.COMMITMENT)
        assert not any(c.allowed for c in rules.closing_options(facts=waiting, now=T0 + 400 * DAY))

    def test_an_unknown_or_empty_reason_asks_for_one(self):
        for reason in ("", "bosan"):
            check = rules.closing_check(reason, facts=facts(), now=T0)
            assert not check.allowed and check.message == "Pilih alasan penutupan pengaduan."


class TestStanding:
    def test_a_p3mi_that_did_not_answer_by_its_deadline_is_late(self):
        s = rules.standing(
            state=rules.State.CLARIFICATION_1,
            now=T0 + 8 * DAY,
            due_at=T0 + 7 * DAY,
            agency_due_at=T0 + 7 * DAY,
        )
        assert s.code == "agency_late" and s.agency_late and not s.office_late

    def test_a_p3mi_that_answered_on_time_leaves_the_case_waiting_for_the_office(self):
        answered = T0 + 2 * DAY
        s = rules.standing(
            state=rules.State.CLARIFICATION_1,
            now=T0 + 8 * DAY,
            due_at=rules.due_after_answer(answered),
            agency_due_at=T0 + 7 * DAY,
            agency_answered_at=answered,
        )
        assert s.turn == rules.Party.OFFICE and not s.agency_late and not s.agency_answered_late
        assert s.code == "office_late"  # three days to act on the answer have passed
        waiting = rules.standing(
            state=rules.State.CLARIFICATION_1,
            now=answered + DAY,
            due_at=rules.due_after_answer(answered),
            agency_due_at=T0 + 7 * DAY,
            agency_answered_at=answered,
        )
        assert waiting.code == "office_waiting"

    def test_an_answer_after_the_deadline_is_recorded_as_late(self):
        answered = T0 + 9 * DAY
        s = rules.standing(
            state=rules.State.COMMITMENT,
            now=answered + DAY,
            due_at=rules.due_after_answer(answered),
            agency_due_at=T0 + 7 * DAY,
            agency_answered_at=answered,
        )
        assert s.code == "office_waiting" and s.agency_answered_late

    @pytest.mark.parametrize("state", [s for s in rules.State if s not in rules.AGENCY_TURN])
    def test_in_the_offices_states_only_the_office_can_be_late(self, state):
        s = rules.standing(state=state, now=T0 + 100 * DAY, due_at=T0)
        if state == rules.State.CLOSED:
            assert s.code == "" and not s.late
        else:
            assert s.code == "office_late"


class TestMoves:
    def test_a_case_moves_only_along_the_workflow_of_perban_23_2025(self):
        S = rules.State
        assert rules.can_move(S.RECEIVED, S.ASSIGNED)
        assert rules.can_move(S.CLARIFICATION_1, S.CLARIFICATION_2)
        assert rules.can_move(S.CLARIFICATION_2, S.COMMITMENT)
        assert not rules.can_move(S.RECEIVED, S.COMMITMENT)
        assert not rules.can_move(S.COMMITMENT, S.CLARIFICATION_1)

    @given(to_state=st.sampled_from(list(GrievanceStatus.values)))
    def test_a_closed_case_stays_closed(self, to_state):
        assert not rules.can_move(GrievanceStatus.CLOSED, to_state)
