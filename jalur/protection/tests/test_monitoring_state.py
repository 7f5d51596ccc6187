"""The monitoring list's state on each worker's row (Candidate.checkin_last_at, checkin_class): kept
in the transaction of every check-in written, changed or deleted, equal to a recount from scratch,
and giving the list the order of the ranks worked out from the check-ins themselves."""

import datetime

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jalur.candidates.models import Candidate, CheckInClass
from jalur.candidates.services import candidate_stage_change
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.core.pagination import keyset_page
from jalur.protection import services
from jalur.protection.models import CheckIn, ReporterKind
from jalur.protection.selectors import (
    GOOD,
    MISSED,
    MONITORING_ORDER,
    PROBLEM,
    URGENT,
    monitoring_queryset,
    monitoring_rows,
    overdue_checkin_count,
)
from jalur.protection.services.checkin_state import checkin_state_rebuild

ANSWERS = {
    "wage_on_time": True,
    "passport_held": True,
    "housing_ok": True,
    "health_ok": True,
    "need_help": False,
}


def _left(days: int) -> Candidate:
    worker = CandidateFactory(stage=Stage.DEPARTED)
    Candidate.objects.filter(pk=worker.pk).update(
        stage_changed_at=timezone.now() - datetime.timedelta(days=days)
    )
    worker.refresh_from_db()
    return worker


def _checkin(worker, *, days_ago=0, status=CheckIn.Status.GOOD, **answers) -> CheckIn:
    return CheckIn.objects.create(
        candidate=worker,
        status=status,
        reporter_kind=ReporterKind.WORKER,
        created_at=timezone.now() - datetime.timedelta(days=days_ago),
        **answers,
    )


def _recount(worker_pk) -> tuple:
    """The worker's latest check-in's time and class, worked out here from all their check-ins."""
    checkins = sorted(
        CheckIn.objects.filter(candidate_id=worker_pk), key=lambda c: (c.created_at, c.pk)
    )
    if not checkins:
        return None, CheckInClass.OTHER
    latest = checkins[-1]
    if latest.need_help is True or latest.passport_held is False:
        return latest.created_at, CheckInClass.URGENT
    if latest.status == CheckIn.Status.PROBLEM:
        return latest.created_at, CheckInClass.PROBLEM
    return latest.created_at, CheckInClass.OTHER


def _kept() -> dict:
    return {
        pk: (last, kind)
        for pk, last, kind in Candidate.objects.values_list(
            "pk", "checkin_last_at", "checkin_class"
        )
    }


def _old_rank(worker: Candidate, now) -> tuple:
    """(rank, since) as the list computed them before the state was kept: from the check-ins."""
    checkins = sorted(worker.checkins.all(), key=lambda c: (c.created_at, c.pk))
    latest = checkins[-1] if checkins else None
    since = max([worker.stage_changed_at] + [c.created_at for c in checkins])
    threshold = (
        now
        - datetime.timedelta(days=settings.JALUR_CHECKIN_INTERVAL_DAYS)
        - datetime.timedelta(days=settings.JALUR_CHECKIN_GRACE_DAYS)
    )
    if latest and (latest.need_help is True or latest.passport_held is False):
        return URGENT, since
    if latest and latest.status == CheckIn.Status.PROBLEM:
        return PROBLEM, since
    return (MISSED if since < threshold else GOOD), since


@pytest.fixture
def workers(db):
    """Workers abroad in every rank: urgent, problem, silent for long, fine; a second stay."""
    urgent = _left(90)
    _checkin(urgent, days_ago=50)
    _checkin(urgent, days_ago=5, status=CheckIn.Status.PROBLEM, need_help=True)
    passport = _left(40)
    _checkin(passport, days_ago=3, status=CheckIn.Status.PROBLEM, passport_held=False)
    problem = _left(200)
    _checkin(problem, days_ago=100, status=CheckIn.Status.PROBLEM)
    helped = _left(60)  # a call for help, then good news: no longer urgent
    _checkin(helped, days_ago=30, status=CheckIn.Status.PROBLEM, need_help=True)
    _checkin(helped, days_ago=2)
    silent = [_left(days) for days in (45, 120, 300)]
    fine = [_left(days) for days in (1, 10, 20)]
    _checkin(fine[2], days_ago=4)
    again = _left(5)  # abroad again; the first stay's problem long ago
    _checkin(again, days_ago=400, status=CheckIn.Status.PROBLEM)
    _left(70)  # a twin of `silent` in time: the pk decides
    return [urgent, passport, problem, helped, *silent, *fine, again]


@pytest.mark.django_db
class TestKeptState:
    def test_every_write_of_a_check_in_keeps_the_row_as_a_recount_gives(
        self, workers, candidate_user
    ):
        urgent, passport, problem, helped = workers[:4]
        services.checkin_answers_record(
            candidate=problem, answers={**ANSWERS, "need_help": True}, reporter_kind="worker"
        )
        services.checkin_record(
            candidate=passport,
            status=CheckIn.Status.GOOD,
            note="",
            reporter_kind="family",
            actor=candidate_user,
        )
        edited = helped.checkins.order_by("-created_at").first()
        edited.status, edited.need_help = CheckIn.Status.PROBLEM, True  # corrected
        edited.save()
        latest = urgent.checkins.order_by("-created_at").first()
        latest.delete()
        CheckIn.objects.filter(candidate=workers[-1]).delete()
        quiet = passport.checkins.order_by("-created_at").first()
        quiet.note = "catatan"
        quiet.save(update_fields=["note"])
        assert {pk: _recount(pk) for pk in _kept()} == _kept()
        assert Candidate.objects.get(pk=helped.pk).checkin_class == CheckInClass.URGENT
        assert Candidate.objects.get(pk=urgent.pk).checkin_class == CheckInClass.OTHER
        assert Candidate.objects.get(pk=workers[-1].pk).checkin_last_at is None

    def test_a_recount_from_scratch_gives_what_the_writes_kept(self, workers):
        kept = _kept()
        assert kept == {pk: _recount(pk) for pk in kept}
        Candidate.objects.update(checkin_last_at=timezone.now(), checkin_class=CheckInClass.URGENT)
        checkin_state_rebuild()
        assert _kept() == kept
        assert checkin_state_rebuild() == CheckIn.objects.values("candidate").distinct().count()

    def test_the_erasure_and_the_return_leave_it_true(self, workers, sysadmin, manager):
        from jalur.privacy.services import candidate_anonymise

        urgent = workers[0]
        candidate_anonymise(candidate=urgent, actor=sysadmin, reason="uji")
        candidate_stage_change(candidate=urgent, to_stage=Stage.RETURNED, actor=sysadmin)
        assert _kept()[urgent.pk] == _recount(urgent.pk)
        assert urgent.pk not in [r.pk for r in monitoring_rows(manager)]


@pytest.mark.django_db
class TestTheListsOrder:
    def test_the_order_is_the_ranks_worked_out_from_the_check_ins(self, workers, manager):
        now = timezone.now()
        departed = Candidate.objects.filter(stage=Stage.DEPARTED).prefetch_related("checkins")
        old = sorted(departed, key=lambda w: (*_old_rank(w, now), w.pk))
        rows = monitoring_rows(manager)
        assert [r.pk for r in rows] == [w.pk for w in old]
        assert [(r.rank, r.since) for r in rows] == [_old_rank(w, now) for w in old]
        assert {r.rank for r in rows} == {URGENT, PROBLEM, MISSED, GOOD}
        threshold = now - datetime.timedelta(
            days=settings.JALUR_CHECKIN_INTERVAL_DAYS + settings.JALUR_CHECKIN_GRACE_DAYS
        )
        late = [w.pk for w in old if _old_rank(w, now)[1] < threshold]
        assert [r.pk for r in monitoring_rows(manager, only_overdue=True)] == late
        assert overdue_checkin_count(manager) == len(late)
        problems = [w.pk for w in old if _old_rank(w, now)[0] in (URGENT, PROBLEM)]
        assert [r.pk for r in monitoring_queryset(manager, only_problems=True)] == problems

    def test_the_page_shows_the_latest_check_in_and_this_stays_arrival(self, workers, manager):
        urgent = workers[0]
        services.arrival_confirm(
            candidate=urgent,
            arrived_on=timezone.localdate() - datetime.timedelta(days=80),
            confirmed_by_kind=ReporterKind.STAFF,
            actor=manager,
        )
        row = next(r for r in monitoring_rows(manager) if r.pk == urgent.pk)
        assert row.latest_status == CheckIn.Status.PROBLEM and row.latest_need_help is True
        assert row.last_checkin == urgent.checkins.order_by("-created_at").first().created_at
        assert row.arrived_on == timezone.localdate() - datetime.timedelta(days=80)
        again = next(r for r in monitoring_rows(manager) if r.pk == workers[-1].pk)
        assert again.latest_status == CheckIn.Status.PROBLEM  # the first stay's, as before
        assert again.rank == PROBLEM and not again.checkin_overdue

    def test_keyset_pages_walk_the_whole_list_once(self, workers, manager):
        expected = [r.pk for r in monitoring_rows(manager)]
        factory, seen, query = RequestFactory(), [], ""
        while True:
            request = factory.get("/pelindungan/pemantauan/" + query)
            page = keyset_page(
                request, monitoring_queryset(manager), order=MONITORING_ORDER, size=3
            )
            seen += [r.pk for r in page]
            if not page.has_next:
                break
            query = page.next_url
        assert seen == expected

    def test_the_page_and_the_count_read_their_indexes(self, workers, manager):
        if connection.vendor != "postgresql":
            pytest.skip("PostgreSQL's plan")
        with CaptureQueriesContext(connection) as counted:
            overdue_checkin_count(manager)
        plans = []
        page = monitoring_queryset(manager)[:51].query.sql_with_params()
        for sql, params in (page, (counted.captured_queries[-1]["sql"], None)):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_sort = off")
                cursor.execute("SET LOCAL enable_bitmapscan = off")
                cursor.execute("EXPLAIN " + sql, params)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        assert "candidate_monitoring" in plans[0] and "Sort" not in plans[0], plans[0]
        assert "Index Only Scan using candidate_departed_since" in plans[1], plans[1]
