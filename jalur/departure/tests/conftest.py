"""An accepted offer ready for its pre-departure checklist, built directly (placement has its own tests)."""

import datetime

import pytest
from django.utils import timezone

from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.departure import services
from jalur.pathways.models import JobType, Pathway
from jalur.placement.models import Agency, Application, JobOrder, RecruitmentPermit
from jalur.placement.states import ApplicationStatus, OrderStatus


def make_agency(organisation):
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


def make_order(agency, *, job_type="industrial", positions=2, quota=10, reference=None):
    permit = RecruitmentPermit.objects.create(
        agency=agency, number=f"SIP2MI-{reference or agency.pk}-{positions}", quota=quota
    )
    return JobOrder.objects.create(
        reference=reference or f"JO-{agency.pk}-{JobOrder.objects.count() + 1}",
        agency=agency,
        status=OrderStatus.APPROVED,
        employer_name="Sakura Seimitsu K.K.",
        employer_country="JP",
        employer_city="Nagoya",
        employer_sector="Manufaktur",
        pathway=Pathway.objects.get(code="jp-ssw-p2p"),
        job_type=JobType.objects.get(code=job_type),
        position_title="Operator mesin",
        positions=positions,
        wage_amount=210000,
        wage_currency="JPY",
        hours_per_week=40,
        contract_months=36,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        permit=permit,
    )


def accept(order, candidate=None, user=None):
    candidate = candidate or CandidateFactory(stage=Stage.PRE_DEPARTURE, user=user)
    return Application.objects.create(
        order=order, candidate=candidate, status=ApplicationStatus.ACCEPTED, origin="applied"
    )


@pytest.fixture
def p3mi(agency):
    return make_agency(agency)


@pytest.fixture
def p3mi_b(agency_b):
    return make_agency(agency_b)


@pytest.fixture
def order(p3mi):
    return make_order(p3mi)


@pytest.fixture
def case(order, agent, candidate_user):
    return services.case_open(application=accept(order, user=candidate_user), actor=agent)


TODAY = timezone.localdate()


def on(days: int) -> str:
    """An ISO date `days` from today (tests must not depend on the calendar)."""
    return (TODAY + datetime.timedelta(days=days)).isoformat()


# A departure three weeks from now, and item data that is valid for it.
DEPARTURE = TODAY + datetime.timedelta(days=22)
GOOD = {
    "medical": {
        "clinic": "Klinik Sehat Serang",
        "examined_on": on(-27),
        "fit": "fit",
        "valid_until": on(212),
    },
    "psychological": {"clinic": "Biro Psikologi", "examined_on": on(-27), "fit": "fit"},
    "placement_agreement": {"signed_on": on(-18)},
    "bpjs": {
        "membership_number": "BPJS-1",
        "jkk": True,
        "jkm": True,
        "period_from": on(-27),
        "valid_until": on(1130),
    },
    "passport": {"number": "C1234567", "issued_on": on(-320), "valid_until": on(3330)},
    "employment_contract": {
        "employer": "Sakura Seimitsu K.K.",
        "position": "Operator mesin",
        "wage": "210000",
        "currency": "JPY",
        "hours_per_week": "40",
        "contract_months": "36",
        "signed_on": on(-16),
    },
    "coe": {"number": "COE-1", "issued_on": on(-13)},
    "visa": {"number": "V-1", "issued_on": on(-8), "valid_until": on(93)},
    "opp": {"held_on": on(-3), "place": "BP3MI Banten"},
    "e_pmi": {"id_pmi": "IDPMI-1", "e_pmi": "EPMI-1"},
    "skck": {"number": "SKCK-1", "valid_until": on(154)},
    "family_permission": {"signed_by": "Ibu Sari", "relation": "ibu"},
}
