"""Reports fixtures: people walked through their stages at chosen moments, with the real services."""

import datetime

import pytest
from django.utils import timezone

from jalur.candidates.models import Candidate
from jalur.candidates.services import candidate_history_start, candidate_stage_change
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.reports.models import DwellTally, Tally

S = Stage
PATH = [
    S.REGISTERED,
    S.VERIFIED,
    S.TRAINING,
    S.TRAINED,
    S.SELECTION,
    S.PRE_DEPARTURE,
    S.READY,
    S.DEPARTED,
    S.RETURNED,
]


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def month_start(months_back: int) -> datetime.date:
    today = timezone.localdate().replace(day=1)
    index = today.year * 12 + today.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


@pytest.fixture
def walk(db, manager):
    """walk(created, [(stage, moment), …], **candidate fields) -> Candidate.

    The record is created at `created` (in REGISTERING) and moved through each stage by
    `candidate_stage_change` at the given moments, exactly as the apps do it.
    """

    def make(created: datetime.datetime, moves: list[tuple[str, datetime.datetime]], **fields):
        candidate = CandidateFactory(stage=S.REGISTERING, **fields)
        Candidate.objects.filter(pk=candidate.pk).update(created_at=created)
        candidate.refresh_from_db()
        candidate_history_start(candidate=candidate, actor=manager, at=created)
        for stage, moment in moves:
            candidate_stage_change(candidate=candidate, to_stage=stage, actor=manager, at=moment)
        candidate.refresh_from_db()
        return candidate

    return make


def along(start: datetime.datetime, days: list[float], stages=PATH) -> list:
    """Moves along the main path, each `days[i]` days after the previous one."""
    moves, moment = [], start
    for stage, gap in zip(stages, days, strict=False):
        moment = moment + datetime.timedelta(days=gap)
        moves.append((stage, moment))
    return moves


def make_agency(organisation):
    from jalur.placement.models import Agency

    today = timezone.localdate()
    return Agency.objects.create(
        organisation=organisation,
        licence_number=f"SIP3MI-{organisation.code}",
        licence_valid_from=today - datetime.timedelta(days=365),
        licence_valid_until=today + datetime.timedelta(days=365),
        address="Jl. Uji 1, Serang",
        phone="0254123456",
        contact_name="Penanggung Jawab",
        contact_phone="+6281200000000",
    )


def make_order(agency, *, country="JP", pathway="jp-ssw-p2p", job_type="industrial"):
    from jalur.pathways.models import JobType, Pathway
    from jalur.placement.models import JobOrder
    from jalur.placement.states import OrderStatus

    return JobOrder.objects.create(
        reference=f"JO-{agency.pk}-{JobOrder.objects.count() + 1}",
        agency=agency,
        status=OrderStatus.APPROVED,
        employer_name="Pemberi Kerja Uji",
        employer_country=country,
        employer_city="Kota",
        employer_sector="Manufaktur",
        pathway=Pathway.objects.get(code=pathway),
        job_type=JobType.objects.get(code=job_type),
        position_title="Operator",
        positions=5,
        wage_amount=1000,
        wage_currency="JPY" if country == "JP" else "KRW",
        hours_per_week=40,
        contract_months=36,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )


def accepted(order, candidate):
    from jalur.placement.models import Application
    from jalur.placement.states import ApplicationStatus

    return Application.objects.create(
        order=order, candidate=candidate, status=ApplicationStatus.ACCEPTED, origin="applied"
    )


def tally_tables() -> tuple[dict, dict]:
    """The tallies and the days-per-stage counts as plain dicts (cells with a count), to compare."""
    tallies = {
        (t.dimension, t.value, t.grp, t.month, t.country, t.job_type_id): t.n
        for t in Tally.objects.exclude(n=0)
    }
    dwell = {
        (d.stage, d.month, d.country, d.job_type_id, d.days): (d.n, d.seconds)
        for d in DwellTally.objects.exclude(n=0)
    }
    return tallies, dwell
