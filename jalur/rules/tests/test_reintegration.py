"""The reintegration follow-up schedule on its own: 1, 3 and 6 calendar months, month ends, overdue."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalur.rules import reintegration
from jalur.rules.registry import all_rules

D = datetime.date
DAYS = st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31))


def _days(returned_on):
    return [(f.month, f.due_on) for f in reintegration.follow_up_schedule(returned_on)]


def test_follow_ups_are_at_one_three_and_six_months():
    assert _days(D(2027, 3, 15)) == [(1, D(2027, 4, 15)), (3, D(2027, 6, 15)), (6, D(2027, 9, 15))]


@pytest.mark.parametrize(
    ("returned_on", "expected"),
    [
        # 31 January: February is shorter, April too; July has a 31st
        (D(2027, 1, 31), [D(2027, 2, 28), D(2027, 4, 30), D(2027, 7, 31)]),
        (D(2028, 1, 31), [D(2028, 2, 29), D(2028, 4, 30), D(2028, 7, 31)]),  # leap year
        (D(2028, 2, 29), [D(2028, 3, 29), D(2028, 5, 29), D(2028, 8, 29)]),  # from a leap day
        (D(2027, 8, 31), [D(2027, 9, 30), D(2027, 11, 30), D(2028, 2, 29)]),  # into a leap Feb
        (D(2027, 11, 30), [D(2027, 12, 30), D(2028, 2, 29), D(2028, 5, 30)]),  # over the year end
        (D(2026, 12, 31), [D(2027, 1, 31), D(2027, 3, 31), D(2027, 6, 30)]),
    ],
)
def test_month_ends(returned_on, expected):
    assert [due for _month, due in _days(returned_on)] == expected


@given(DAYS)
def test_every_follow_up_is_in_its_month_and_in_order(returned_on):
    schedule = reintegration.follow_up_schedule(returned_on)
    assert [f.month for f in schedule] == [1, 3, 6]
    for follow_up in schedule:
        months = (follow_up.due_on.year * 12 + follow_up.due_on.month) - (
            returned_on.year * 12 + returned_on.month
        )
        assert months == follow_up.month
        assert follow_up.due_on.day <= returned_on.day
    assert schedule[0].due_on > returned_on
    assert schedule[0].due_on < schedule[1].due_on < schedule[2].due_on


def test_overdue_after_fourteen_days():
    due = D(2027, 2, 28)
    assert not reintegration.follow_up_overdue(due, D(2027, 2, 28))
    assert not reintegration.follow_up_overdue(due, D(2027, 3, 14))  # day 14: not yet
    assert reintegration.follow_up_overdue(due, D(2027, 3, 15))
    assert reintegration.overdue_since(D(2027, 3, 15)) == due
    assert reintegration.follow_up_overdue(
        reintegration.overdue_since(D(2027, 3, 15)), D(2027, 3, 15)
    )


def test_the_rule_is_registered_with_its_sources():
    rule = next(r for r in all_rules() if r.code == "reintegration.follow_up_schedule")
    cited = [s.cite() for s in rule.sources]
    assert "UU 18/2017 Pasal 24 ayat (1) huruf d-e" in cited
    assert "PP 59/2021 Pasal 21-22" in cited
    assert len(rule.table()) == 4
