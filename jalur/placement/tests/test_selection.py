"""The ranking: a transparent score computed in the database, recommendations of three times the
positions, the list of who does not qualify and why, and who may see it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jalur.candidates.models import StageHistory
from jalur.candidates.stages import Stage
from jalur.notifications.models import Notification
from jalur.placement import services
from jalur.placement.selection import WEIGHTS, ranked, ranked_page, score_parts
from jalur.placement.states import ApplicationStatus
from jalur.training.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus
from jalur.training.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db
AS = ApplicationStatus


def _trained_days_ago(candidate, n: int) -> None:
    """As candidate_stage_change leaves it: the history row and the stage timestamp agree."""
    moment = timezone.now() - datetime.timedelta(days=n)
    StageHistory.objects.create(
        candidate=candidate, from_stage=Stage.TRAINING, to_stage=Stage.TRAINED, created_at=moment
    )
    type(candidate).objects.filter(pk=candidate.pk).update(stage_changed_at=moment)


def _attendance(candidate, attended: int, missed: int) -> None:
    cohort = CohortFactory(capacity=5)
    enrolment = Enrolment.objects.create(
        cohort=cohort, candidate=candidate, status=EnrolmentStatus.COMPLETED
    )
    for i in range(attended + missed):
        session = SessionFactory(cohort=cohort, date=cohort.start_date + datetime.timedelta(days=i))
        Attendance.objects.create(
            session=session,
            enrolment=enrolment,
            status=AttendanceStatus.PRESENT if i < attended else AttendanceStatus.ABSENT,
        )


def _ranked(order):
    return list(ranked(order, on=timezone.localdate(), now=timezone.now()))


def test_every_part_of_the_score_is_computed_and_shown(make_trained, approved_order):
    order = approved_order()
    candidate = make_trained(jft=220, skill=80, preferred_countries=["JP"])
    _attendance(candidate, attended=3, missed=1)
    _trained_days_ago(candidate, 73)
    [row] = _ranked(order)
    parts = {p.code: p.value for p in score_parts(row)}
    assert parts == {
        "language": 87.5,  # JFT-Basic 220 on 10–250
        "skill": 80.0,
        "attendance": 75.0,
        "waiting": 20.0,  # 73 of 365 days
        "preference": 100.0,  # Japan asked for; no job type named = open to any
    }
    assert round(row.score, 2) == round(sum(parts[k] * w / 100 for k, w in WEIGHTS.items()), 2)
    assert sum(WEIGHTS.values()) == 100


def test_a_passed_jlpt_level_counts_on_the_jft_scale(make_trained, approved_order):
    from jalur.training.scales import Test as Exam

    from .conftest import add_result

    order = approved_order()
    candidate = make_trained(jft=None)
    add_result(candidate, Exam.JLPT, score=100, passed=True, jlpt_level="N4")
    [row] = _ranked(order)
    assert round(row.part_language, 1) == 79.2  # like JFT-Basic 200


def test_someone_already_in_selection_waits_from_the_end_of_training(make_trained, approved_order):
    order = approved_order()
    person = make_trained(stage=Stage.SELECTION)
    _trained_days_ago(person, 146)
    type(person).objects.filter(pk=person.pk).update(stage_changed_at=timezone.now())
    [row] = _ranked(order)
    assert round(row.part_waiting) == 40  # 146 of 365 days, not 0 since entering selection


def test_the_better_language_score_ranks_first_and_waiting_breaks_ties(
    make_trained, approved_order
):
    order = approved_order()
    low = make_trained(jft=205)
    high = make_trained(jft=240)
    tie_new = make_trained(jft=205)
    _trained_days_ago(low, 100)
    _trained_days_ago(high, 1)
    _trained_days_ago(tie_new, 100)
    rows = _ranked(order)
    assert rows[0].pk == high.pk
    assert [r.pk for r in rows[1:]] == sorted([low.pk, tie_new.pk])


def test_people_who_fail_a_requirement_are_not_ranked(make_trained, approved_order):
    order = approved_order(min_height_cm=165)
    tall = make_trained(height_cm=170)
    make_trained(height_cm=160)
    make_trained(jft=180)
    make_trained(stage=Stage.PRE_DEPARTURE)
    assert [r.pk for r in _ranked(order)] == [tall.pk]


def test_a_page_of_the_ranking_is_the_same_rows_as_the_whole_ranking(make_trained, approved_order):
    """`ranked_page` reads attendance only for those who can still reach the page (on PostgreSQL):
    the people, their order and every value must be those of the full ranking, on any page."""
    order = approved_order()
    # language, skill and waiting alike in groups, so attendance and the tie-breaks decide inside
    # a group and the cut falls among people the attendance part can still move
    for i in range(17):
        person = make_trained(jft=205 + (i % 2) * 30, skill=10 + (i % 3) * 45)
        if i % 5:
            _attendance(person, attended=i % 4, missed=(i * 7) % 3)
        _trained_days_ago(person, 200 * (i % 3))
    in_selection = make_trained(jft=245, stage=Stage.SELECTION)
    _trained_days_ago(in_selection, 200)
    on, now = timezone.localdate(), timezone.now()
    whole = list(ranked(order, on=on, now=now))
    names = ["score", "trained_at", *(f"part_{n}" for n in WEIGHTS)]
    # the sums without attendance lie further apart than attendance can move a score: the cut
    # leaves people out
    without = [c.score - c.part_attendance * WEIGHTS["attendance"] / 100 for c in whole]
    assert max(without) - min(without) > 2 * WEIGHTS["attendance"]
    assert len({c.part_attendance for c in whole}) > 3

    def values(rows):
        return [(c.pk, *(getattr(c, n) for n in names)) for c in rows]

    for offset, limit in [(0, 1), (0, 5), (3, 4), (7, 6), (12, 10), (18, 3), (30, 5)]:
        page = ranked_page(order, on=on, now=now, offset=offset, limit=limit)
        assert page.total == len(whole) == 18
        assert values(page.rows) == values(whole[offset : offset + limit]), (offset, limit)


def test_recommendations_fill_three_times_the_positions_once(make_trained, approved_order, manager):
    order = approved_order(positions=2)
    people = [make_trained(jft=200 + i, user=True) for i in range(8)]
    created = services.recommendations_fill(actor=manager, order=order)
    assert len(created) == 6
    best_first = sorted(people, key=lambda p: -p.pk)[:6]  # higher JFT was created later
    assert {a.candidate_id for a in created} == {p.pk for p in best_first}
    assert [a.rank for a in sorted(created, key=lambda a: a.rank)] == [1, 2, 3, 4, 5, 6]
    top = min(created, key=lambda a: a.rank)
    assert set(top.score_parts) == set(WEIGHTS) and top.score > 0
    assert Notification.objects.filter(key="placement_recommended").count() == 6
    assert services.recommendations_fill(actor=manager, order=order) == []
    # one steps back: Jalur tops up with the next person, never the one who left
    leaver = created[0]
    services.application_not_selected(actor=manager, application=leaver, reason="Tidak hadir")
    [extra] = services.recommendations_fill(actor=manager, order=order)
    assert extra.candidate_id not in {a.candidate_id for a in created}


def test_approval_recommends_at_once(make_trained, make_order, agent, manager):
    for _ in range(4):
        make_trained()
    order = make_order(positions=1)
    services.job_order_submit(actor=agent, order=order)
    services.job_order_approve(actor=manager, order=order)
    assert order.applications.filter(status=AS.RECOMMENDED).count() == 3


def test_the_ranking_page_shows_scores_and_who_fails_with_the_reason(
    client_for, manager, make_trained, approved_order
):
    order = approved_order()
    make_trained(jft=230)
    short = make_trained(jft=150)
    client = client_for(manager)
    url = reverse("placement:order_selection", args=[order.pk])
    page = client.get(url).content.decode()
    assert "1 pencari kerja memenuhi syarat" in page
    assert "Bahasa" in page and "× 40%" in page
    failing = client.get(url + "?tidak_memenuhi=1").content.decode()
    assert short.full_name in failing
    assert "JFT-Basic 150" in failing


def test_the_ranking_page_runs_the_same_number_of_queries_for_more_people(
    client_for, manager, make_trained, approved_order
):
    order = approved_order()
    client = client_for(manager)
    url = reverse("placement:order_selection", args=[order.pk])
    make_trained()
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(12):
        make_trained()
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_only_the_city_sees_the_ranking(client_for, role_users, approved_order):
    order = approved_order()
    url = reverse("placement:order_selection", args=[order.pk])
    for role, user in role_users.items():
        status = client_for(user).get(url).status_code
        assert status == (200 if role in ("sysadmin", "programme_manager") else 403), role


def test_the_recommend_button_is_for_the_city(client_for, agent, manager, approved_order):
    order = approved_order()
    url = reverse("placement:order_recommend", args=[order.pk])
    assert client_for(agent).post(url).status_code == 403
    assert client_for(manager).post(url).status_code == 302
