"""The SIP2MI rule: a job order fits in what is left of its permit's quota, on a day the permit is
valid (PP 59/2021 Pasal 35)."""

import datetime

from jalur.rules.placement import permit_problems

DAY = datetime.date(2028, 2, 29)


def _codes(**facts) -> list[str]:
    base = {"number": "SIP2MI/1", "quota": 40, "used": 10, "positions": 30, "on": DAY}
    return [p.code for p in permit_problems(**{**base, **facts})]


def test_positions_may_take_exactly_what_is_left_of_the_quota_and_no_more():
    assert _codes(positions=30) == []
    assert _codes(positions=31) == ["permit_quota"]
    assert _codes(used=45, positions=1) == ["permit_quota"]


def test_the_permit_must_be_valid_on_the_day():
    assert _codes(valid_until=DAY, issued_on=DAY) == []
    assert _codes(valid_until=DAY - datetime.timedelta(days=1)) == ["permit_expired"]
    assert _codes(issued_on=DAY + datetime.timedelta(days=1)) == ["permit_not_yet_valid"]


def test_each_message_says_the_figures_and_the_legal_basis():
    [problem] = permit_problems(number="SIP2MI/1", quota=40, used=38, positions=5, on=DAY)
    assert "kuota 40, sudah dipakai 38, sisa 2" in problem.message
    assert "PP 59/2021 Pasal 35 huruf l" in problem.message
