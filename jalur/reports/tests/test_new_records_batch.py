"""Many new records counted at once (`stats_candidate_sync.many`, what `candidates_create` calls
for an import's batch) give the summary rows that counting them one by one gives, in a number of
statements that does not grow with the batch."""

import datetime

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jalur.candidates import services as candidates
from jalur.candidates.models import Candidate, RegistrationChannel, Sex, StageHistory
from jalur.candidates.services import NewRecord
from jalur.candidates.stages import Stage
from jalur.candidates.tests.conftest import registration_data
from jalur.candidates.tests.factories import CandidateFactory
from jalur.pathways.models import JobType
from jalur.reports.models import CandidateStat, DwellTally, Tally
from jalur.reports.services.refresh import stats_rebuild
from jalur.reports.services.sync import stats_candidate_sync

from .conftest import tally_tables

pytestmark = pytest.mark.django_db


def _tables():
    stats = {
        s.candidate_id: (
            s.registered_month,
            s.country,
            s.pathway_id,
            s.job_type_id,
            s.district,
            s.sex,
            s.age_band,
            s.stage,
            s.last_history_id,
        )
        for s in CandidateStat.objects.all()
    }
    return (*tally_tables(), stats)


def _clear():
    for model in (Tally, DwellTally, CandidateStat):
        model.objects.all().delete()


def _new_records(count: int, *, actor) -> list[tuple[Candidate, NewRecord]]:
    """`count` records as `candidates_create` leaves them before the listeners run: varied in
    month, sex, age, kecamatan, countries and job types (none, one, several out of list order),
    with many sharing a summary row, each with its first history row."""
    newest = JobType.objects.order_by("-pk").first()
    JobType.objects.update(sort_order=models.F("sort_order") + 1)
    JobType.objects.filter(pk=newest.pk).update(sort_order=0)  # listed first, yet the newest
    job_types = list(
        JobType.objects.order_by("sort_order", "name", "pk").values_list("pk", flat=True)
    )
    choices = [(), (job_types[1],), (job_types[2], job_types[0], job_types[1]), (job_types[3],)]
    countries = [[], ["JP"], ["KR", "JP"], ["KR"]]
    now = timezone.now()
    records = []
    for n in range(count):
        created = now - datetime.timedelta(days=40 * (n % 3), hours=n)
        candidate = CandidateFactory(
            stage=Stage.REGISTERING,
            sex=Sex.FEMALE if n % 2 else Sex.MALE,
            birth_date=datetime.date(1980 + n % 25, 1 + n % 12, 1 + n % 28),
            district_id="36.73.01" if n % 4 else "36.73.02",
            preferred_countries=countries[n % 4],
        )
        Candidate.objects.filter(pk=candidate.pk).update(created_at=created)
        candidate.refresh_from_db()
        chosen = choices[(n // 2) % 4]
        candidate.preferred_job_types.set(chosen)
        history = StageHistory.objects.create(
            candidate=candidate,
            from_stage="",
            to_stage=candidate.stage,
            actor=actor,
            created_at=created,
        )
        records.append((candidate, NewRecord(history=history, job_type_ids=tuple(sorted(chosen)))))
    return records


def test_a_batch_gives_the_summary_rows_one_by_one_gives(manager):
    records = _new_records(24, actor=manager)
    # when the records are counted one by one, as a registration at the desk is
    for candidate, new in records:
        stats_candidate_sync(candidate, new=new)
    one_by_one = _tables()
    # and, from empty tables again, all at once, as an import's batch is
    _clear()
    stats_candidate_sync.many(records)
    batch = _tables()
    # then the tables are the same, rows shared by several people included, and a recount agrees
    assert batch == one_by_one
    assert len(batch[2]) == 24
    assert max(batch[0].values()) > 1
    assert len({row[3] for row in batch[2].values()}) == 4  # no job type and three others
    stats_rebuild()
    assert _tables() == batch


def test_a_batch_takes_as_many_statements_for_thirty_records_as_for_three(manager):
    records = _new_records(37, actor=manager)
    assert len(records[4][1].job_type_ids) > 1
    with CaptureQueriesContext(connection) as three:  # one of them chose several job types
        stats_candidate_sync.many(records[4:7])
    with CaptureQueriesContext(connection) as thirty:
        stats_candidate_sync.many(records[7:])
    assert len(thirty.captured_queries) == len(three.captured_queries)
    assert len(three.captured_queries) <= 5


def test_registering_a_batch_tells_a_listener_with_a_batch_form_once(monkeypatch, officer):
    told = []

    def listener(candidate, new=None):
        raise AssertionError("a listener with a batch form is told of new records in one call")

    listener.many = lambda records: told.append([candidate.nik for candidate, _new in records])
    monkeypatch.setattr(
        candidates.stages, "STAGE_LISTENERS", [*candidates.stages.STAGE_LISTENERS, listener]
    )
    people = [
        candidates.NewCandidate(
            checked=candidates.registration_check(
                registration_data(serial=serial, phone=f"0812-3456-71{serial:02d}"),
                channel=RegistrationChannel.IMPORT,
                today=timezone.localdate(),
            )
        )
        for serial in (1, 2, 3)
    ]
    created = candidates.candidates_create(
        people=people, actor=officer, channel=RegistrationChannel.IMPORT
    ).candidates
    assert told == [[candidate.nik for candidate in created]]
    assert CandidateStat.objects.filter(candidate_id__in=[c.pk for c in created]).count() == 3
