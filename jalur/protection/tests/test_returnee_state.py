"""The returnees' list state on each person's row (Candidate.returned_first_on, follow_up_due_on):
kept in the transaction of every return and follow-up written, equal to a recount from scratch, and
giving the list the order worked out from the returns and follow-ups themselves."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.protection import services
from jalur.protection.models import FollowUpChannel, ReintegrationFollowUp, ReturnRecord
from jalur.protection.return_selectors import NOT_FOLLOWED_UP, returnees_for
from jalur.protection.services.returnee_state import returnee_state_rebuild
from jalur.rules.reintegration import overdue_since

from .test_returns import ANSWERS, come_home, days_ago

pytestmark = pytest.mark.django_db
FAR = datetime.date.max


def _kept() -> dict:
    return {
        pk: (first, due)
        for pk, first, due in Candidate.objects.values_list(
            "pk", "returned_first_on", "follow_up_due_on"
        )
    }


def _recount() -> dict:
    """Each person's first return and earliest follow-up not done, from all their records."""
    first, due = {}, {}
    for pk, day in ReturnRecord.objects.values_list("candidate_id", "returned_on"):
        first[pk] = min(first.get(pk, FAR), day)
    pending = ReintegrationFollowUp.objects.filter(done_at__isnull=True)
    for pk, day in pending.values_list("candidate_id", "due_on"):
        due[pk] = min(due.get(pk, FAR), day)
    return {
        pk: (first.get(pk), due.get(pk)) for pk in Candidate.objects.values_list("pk", flat=True)
    }


def _expected_order() -> list[int]:
    """The list's order worked out here: the next follow-up due (none while abroad again), then the
    latest first return."""
    kept = _recount()
    rows = []
    for person in Candidate.objects.all():
        first, due = kept[person.pk]
        if first is None:
            continue
        due = FAR if due is None or person.stage in NOT_FOLLOWED_UP else due
        rows.append((due, -first.toordinal(), person.pk))
    return [pk for *_keys, pk in sorted(rows)]


@pytest.fixture
def returnees(db, manager):
    """People home since long ago (all overdue), lately (one due), today, twice, and one who died."""
    people = []
    for days in (200, 40, 40, 0):
        person = CandidateFactory(stage=Stage.DEPARTED)
        come_home(person, manager, returned_on=days_ago(days))
        people.append(person)
    deceased = CandidateFactory(stage=Stage.DEPARTED)
    come_home(deceased, manager, returned_on=days_ago(10), reason="deceased")
    CandidateFactory(stage=Stage.DEPARTED)  # abroad, never returned
    return people + [deceased]


class TestKeptState:
    def test_every_write_keeps_the_row_as_a_recount_gives(self, returnees, manager):
        long_ago, lately = returnees[0], returnees[1]
        for follow_up in long_ago.reintegration_follow_ups.order_by("month")[:2]:
            services.follow_up_record(
                follow_up=follow_up, data=ANSWERS, channel=FollowUpChannel.PHONE, actor=manager
            )
        first = lately.reintegration_follow_ups.get(month=1)
        first.reminded_at = timezone.now()  # a reminder changes nothing here
        first.save(update_fields=["reminded_at"])
        first.due_on = days_ago(5)  # corrected in the admin
        first.save()
        assert _kept() == _recount()
        assert _kept()[long_ago.pk][1] == long_ago.reintegration_follow_ups.get(month=6).due_on
        assert _kept()[returnees[-1].pk] == (days_ago(10), None)

    def test_a_second_return_and_a_restart_keep_it(self, returnees, manager):
        again = returnees[2]
        services.cycle_restart(candidate=again, actor=manager, reason="ingin ke Jepang lagi")
        Candidate.objects.filter(pk=again.pk).update(stage=Stage.DEPARTED)
        come_home(again, manager, returned_on=days_ago(1))
        assert _kept()[again.pk][0] == days_ago(40)
        assert _kept() == _recount()

    def test_a_recount_from_scratch_gives_what_the_writes_kept(self, returnees):
        kept = _kept()
        Candidate.objects.update(returned_first_on=days_ago(1), follow_up_due_on=days_ago(1))
        assert returnee_state_rebuild() == Candidate.objects.count()
        assert _kept() == kept


class TestTheListsOrder:
    def test_the_order_is_the_one_worked_out_from_the_records(self, returnees, manager):
        Candidate.objects.filter(pk=returnees[3].pk).update(stage=Stage.DEPARTED)  # abroad again
        today = datetime.date.today()
        rows = list(returnees_for(manager, today=today))
        assert [r.pk for r in rows] == _expected_order()
        assert rows[0].pk == returnees[0].pk
        assert [r.pk for r in rows[-2:]] == [returnees[3].pk, returnees[4].pk]  # nothing due
        overdue = [r.pk for r in returnees_for(manager, today=today, only_overdue=True)]
        assert overdue == [r.pk for r in rows if r.next_due <= overdue_since(today)]
        assert overdue[0] == returnees[0].pk

    def test_the_page_marks_the_overdue_and_the_due(self, returnees, manager, client_for):
        page = client_for(manager).get(reverse("protection:returnees"))
        rows = {r.pk: r for r in page.context["rows"]}
        assert rows[returnees[0].pk].follow_up_overdue
        assert rows[returnees[1].pk].has_due and not rows[returnees[1].pk].follow_up_overdue
        assert not rows[returnees[3].pk].has_due
        assert rows[returnees[0].pk].returned_first_on == days_ago(200)
