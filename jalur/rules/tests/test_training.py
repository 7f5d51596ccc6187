"""The completion rule of training, on plain values: attendance, hours, which result counts."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jalur.rules import training

DAY = datetime.date(2028, 2, 29)


class TestAttendance:
    def test_every_session_of_the_schedule_counts(self):
        ruling = training.attendance_requirement(attended=1, scheduled=5, min_pct=80)
        assert not ruling.passed
        assert ruling.message == "kehadiran 20,0% (1 dari 5 sesi), minimal 80%"

    def test_the_pass_mark_itself_passes(self):
        assert training.attendance_requirement(attended=4, scheduled=5, min_pct=80).passed

    def test_a_cohort_without_sessions_completes_no_one(self):
        ruling = training.attendance_requirement(attended=0, scheduled=0, min_pct=80)
        assert not ruling.passed and ruling.message == "angkatan belum punya jadwal sesi"

    @given(attended=st.integers(0, 3000), extra=st.integers(0, 3000), min_pct=st.integers(1, 100))
    def test_it_passes_exactly_when_the_share_reaches_the_mark(self, attended, extra, min_pct):
        scheduled = attended + extra
        ruling = training.attendance_requirement(
            attended=attended, scheduled=scheduled, min_pct=min_pct
        )
        assert ruling.passed == (scheduled > 0 and attended * 100 >= min_pct * scheduled)


class TestHours:
    def test_a_few_sessions_do_not_make_a_200_hour_programme(self):
        ruling = training.hours_requirement(
            attended_hours=Decimal(20), programme_hours=200, min_pct=80
        )
        assert not ruling.passed
        assert ruling.message == "hadir 20 jam, minimal 160 jam (80% dari 200 jam program)"

    def test_the_pass_mark_share_of_the_programmes_hours_passes(self):
        ruling = training.hours_requirement(
            attended_hours=Decimal(160), programme_hours=200, min_pct=80
        )
        assert ruling.passed and ruling.printed == ""  # the certificate has its own hours line

    def test_part_hours_are_shown_with_a_decimal_comma_and_never_rounded_into_a_pass(self):
        ruling = training.hours_requirement(
            attended_hours=Decimal("12.75"), programme_hours=16, min_pct=80
        )
        assert not ruling.passed and "hadir 12,7 jam, minimal 12,8 jam" in ruling.message

    @given(
        seconds=st.integers(0, 400 * 3600),
        hours=st.integers(1, 400),
        min_pct=st.integers(1, 100),
    )
    def test_it_passes_exactly_when_the_hours_reach_the_share(self, seconds, hours, min_pct):
        attended = Decimal(seconds) / 3600
        ruling = training.hours_requirement(
            attended_hours=attended, programme_hours=hours, min_pct=min_pct
        )
        assert ruling.passed == (attended * 100 >= hours * min_pct)

    def test_a_programme_without_hours_has_no_hours_rule(self):
        assert (
            training.hours_requirement(attended_hours=Decimal(0), programme_hours=None, min_pct=80)
            is None
        )


def result(ref, *, official, meets, days_ago=0, valid=True, this_enrolment=True):
    return training.Result(
        ref=ref,
        official=official,
        meets=meets,
        taken_on=DAY - datetime.timedelta(days=days_ago),
        valid=valid,
        this_enrolment=this_enrolment,
    )


class TestWhichResultCounts:
    def test_an_official_result_speaks_before_a_later_mock_one(self):
        ruling = training.required_result(
            [
                result("official", official=True, meets=False, days_ago=5),
                result("mock", official=False, meets=True),
            ],
            official_required=False,
        )
        assert (ruling.passed, ruling.quoted.ref, ruling.official_only) == (False, "official", True)

    def test_an_expired_official_result_leaves_the_mock_one_to_count(self):
        ruling = training.required_result(
            [
                result("old", official=True, meets=False, valid=False),
                result("mock", official=False, meets=True),
            ],
            official_required=False,
        )
        assert (ruling.passed, ruling.quoted.ref) == (True, "mock")

    def test_a_mock_result_of_another_course_does_not_count(self):
        ruling = training.required_result(
            [result("mock", official=False, meets=True, this_enrolment=False)],
            official_required=False,
        )
        assert (ruling.passed, ruling.quoted) == (False, None)

    def test_a_programme_demanding_an_official_result_ignores_mock_ones(self):
        ruling = training.required_result(
            [result("mock", official=False, meets=True)], official_required=True
        )
        assert not ruling.passed

    def test_of_several_official_results_the_latest_that_meets_is_quoted(self):
        ruling = training.required_result(
            [
                result("early", official=True, meets=True, days_ago=30),
                result("late", official=True, meets=True, days_ago=3),
                result("failed", official=True, meets=False, days_ago=1),
            ],
            official_required=False,
        )
        assert (ruling.passed, ruling.quoted.ref) == (True, "late")

    @given(st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans()), max_size=6))
    def test_a_mock_result_is_never_quoted_while_a_valid_official_one_exists(self, rows):
        results = [
            result(n, official=official, meets=meets, valid=valid, days_ago=n)
            for n, (official, meets, valid) in enumerate(rows)
        ]
        ruling = training.required_result(results, official_required=False)
        if any(r.official and r.valid for r in results):
            assert ruling.quoted is not None and ruling.quoted.official


class TestJobTypeOfATest:
    def test_a_skill_test_counts_only_for_the_programmes_job_types(self):
        assert training.fits_programme(1, {1, 2})
        assert not training.fits_programme(3, {1, 2})

    def test_a_test_without_a_job_type_or_a_programme_without_any_counts_for_none(self):
        assert not training.fits_programme(None, {1})
        assert not training.fits_programme(1, set())
