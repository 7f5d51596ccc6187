"""The privacy rules on their own: withdrawal per stage, what is kept and until when, retention
periods, replaced files and the 3 x 24 hour breach clock."""

import datetime

import pytest

from jalur.rules import privacy

D = datetime.date
UTC = datetime.UTC


@pytest.mark.rule("privacy.withdrawal_at")
@pytest.mark.parametrize("stage", sorted(privacy.BEFORE_DEPARTURE))
def test_before_departure_withdrawing_leaves_the_programme(stage):
    plan = privacy.withdrawal_at(stage)
    assert plan.allowed and not plan.protection_continues
    assert any("pesan" in str(e) for e in plan.effects)


@pytest.mark.rule("privacy.withdrawal_at")
def test_abroad_protection_continues():
    plan = privacy.withdrawal_at("departed")
    assert not plan.allowed and plan.protection_continues


@pytest.mark.rule("privacy.withdrawal_at")
@pytest.mark.parametrize("stage", ["returned", "rejected", "withdrawn"])
def test_after_the_programme_there_is_nothing_to_leave(stage):
    assert not privacy.withdrawal_at(stage).allowed


@pytest.mark.rule("privacy.kept_until")
def test_fees_are_kept_ten_years_from_leaving_and_documents_go_now():
    keep, until = privacy.kept_until("departure.FeeEntry", left_on=D(2027, 3, 1))
    assert keep.kind == "fees" and until == D(2037, 3, 1)
    assert privacy.kept_until("candidates.CandidateDocument", left_on=D(2027, 3, 1)) is None
    # from a leap day the period ends on 1 March, never before it is full
    assert privacy.kept_until("protection.Grievance", left_on=D(2028, 2, 29))[1] == D(2038, 3, 1)


@pytest.mark.rule("privacy.retention_years")
def test_retention_years():
    assert privacy.retention_years("withdrawn", holds_kept_records=False, base_years=5) == 5
    assert privacy.retention_years("withdrawn", holds_kept_records=True, base_years=5) == 10
    assert privacy.retention_years("returned", holds_kept_records=True, base_years=5) == 10
    assert privacy.retention_years("returned", holds_kept_records=True, base_years=15) == 15
    assert privacy.retention_years("registering", holds_kept_records=True, base_years=5) is None


@pytest.mark.rule("privacy.replaced_file_expired")
def test_replaced_files_go_after_ninety_days():
    at = datetime.datetime(2027, 1, 1, tzinfo=UTC)
    assert not privacy.replaced_file_expired(at, now=at + datetime.timedelta(days=89))
    assert privacy.replaced_file_expired(at, now=at + datetime.timedelta(days=90))


@pytest.mark.rule("privacy.breach_clock")
def test_the_breach_clock_runs_72_hours_from_discovery():
    found = datetime.datetime(2027, 5, 1, 9, 0, tzinfo=UTC)
    fresh = privacy.breach_clock(found, notified_at=None, now=found)
    assert fresh.deadline == found + datetime.timedelta(hours=72)
    assert not fresh.warn and not fresh.overdue
    late_day = privacy.breach_clock(
        found, notified_at=None, now=found + datetime.timedelta(hours=49)
    )
    assert late_day.warn and not late_day.overdue
    overdue = privacy.breach_clock(
        found, notified_at=None, now=found + datetime.timedelta(hours=73)
    )
    assert overdue.overdue
    told_in_time = privacy.breach_clock(
        found,
        notified_at=found + datetime.timedelta(hours=70),
        now=found + datetime.timedelta(days=9),
    )
    assert not told_in_time.overdue and not told_in_time.warn
    told_late = privacy.breach_clock(
        found,
        notified_at=found + datetime.timedelta(hours=80),
        now=found + datetime.timedelta(days=9),
    )
    assert told_late.overdue
