"""Placement fixtures: an agency record for each agency organisation, the MoU and a PKS each, job
orders in any state, and trained candidates ready for selection on Japan SSW (industrial work)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jalur.accounts.roles import Role
from jalur.accounts.tests.factories import UserFactory
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.pathways.models import JobType, Pathway, PathwayAssignment
from jalur.placement import services
from jalur.placement.demo import ONE_PAGE_PDF
from jalur.placement.models import Agency, Agreement, AgreementKind
from jalur.training.models import Assessment, ResultKind
from jalur.training.scales import Test

PDF = ONE_PAGE_PDF  # the upload check opens PDFs with qpdf: a real one has a page


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def after_the_interview(application) -> datetime.datetime:
    """An hour after the application's scheduled interview: when its result may be recorded."""
    application.refresh_from_db(fields=["interview_at"])
    return application.interview_at + datetime.timedelta(hours=1)


def pdf_upload(name: str = "surat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_agency(organisation, **overrides) -> Agency:
    fields = {
        "licence_number": f"SIP3MI/{organisation.code.upper()}/2025",
        "licence_valid_from": days(-365),
        "licence_valid_until": days(365),
        "apjati_number": f"APJATI-{organisation.code}",
        "address": "Jl. Raya Serang No. 1",
        "phone": "0254-200100",
        "contact_name": "Penanggung Jawab",
        "contact_phone": "+6281299990000",
    }
    return Agency.objects.create(organisation=organisation, **{**fields, **overrides})


@pytest.fixture
def ssw(db) -> Pathway:
    return Pathway.objects.get(code="jp-ssw-p2p")


@pytest.fixture
def industrial(db) -> JobType:
    return JobType.objects.get(code="industrial")


@pytest.fixture
def caregiver(db) -> JobType:
    return JobType.objects.get(code="caregiver")


@pytest.fixture
def p3mi(agency) -> Agency:
    return make_agency(agency)


@pytest.fixture
def p3mi_b(agency_b) -> Agency:
    return make_agency(agency_b)


@pytest.fixture
def mou(db) -> Agreement:
    return make_mou()


def make_mou() -> Agreement:
    """The city–APJATI MoU every PKS hangs from."""
    return Agreement.objects.create(
        kind=AgreementKind.MOU,
        number="MOU/01/PEMKOT-APJATI/XII/2025",
        title="Nota Kesepakatan penempatan PMI",
        parties="Pemerintah Kota Serang\nDPP APJATI",
        signed_on=days(-300),
        starts_on=days(-300),
        ends_on=days(800),
        quota=1000,
    )


def make_pks(agency, mou, *, job_types, pathways=(), countries=("JP",), **overrides):
    pks = Agreement.objects.create(
        kind=AgreementKind.PKS,
        number=overrides.pop("number", f"PKS/{agency.pk}/{len(job_types)}/2026"),
        title="PKS penempatan",
        parties=f"Pemerintah Kota Serang\n{agency.name}",
        agency=agency,
        mou=mou,
        signed_on=overrides.pop("signed_on", days(-200)),
        starts_on=overrides.pop("starts_on", days(-200)),
        ends_on=overrides.pop("ends_on", days(500)),
        countries=list(countries),
        **overrides,
    )
    pks.job_types.set(job_types)
    pks.pathways.set(pathways)
    return pks


@pytest.fixture
def pks(p3mi, mou, ssw, industrial, caregiver) -> Agreement:
    return make_pks(p3mi, mou, job_types=[industrial, caregiver], pathways=[ssw], quota=100)


@pytest.fixture
def pks_b(p3mi_b, mou, ssw, industrial, caregiver) -> Agreement:
    return make_pks(p3mi_b, mou, job_types=[industrial, caregiver], pathways=[ssw])


def order_data(default_pathway, default_job_type, **overrides) -> dict:
    data = {
        "employer_name": "Tokai Seiki K.K.",
        "employer_country": "JP",
        "employer_city": "Nagoya",
        "employer_sector": "Manufaktur komponen otomotif",
        "pathway": default_pathway,
        "job_type": default_job_type,
        "position_title": "Operator mesin CNC",
        "positions": 2,
        "wage_amount": Decimal("210000"),
        "wage_currency": "JPY",
        "wage_period": "month",
        "hours_per_week": 40,
        "contract_months": 36,
        "benefits": "Asrama, asuransi kesehatan",
        "deadline": days(30),
        "attache_status": "verified",
        "attache_reference": "B-123/ATNAKER/TKY/2026",
        "attache_verified_on": days(-5),
        "sip2mi_number": "SIP2MI/0001/2026",
        "sip2mi_quota": 10,
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_order(p3mi, pks, agent, ssw, industrial):
    """A draft order by agency A (or `agency`, acting as `actor`), with a verified attaché letter."""

    def make(*, agency=None, actor=None, costs=(), attache=True, **overrides):
        return services.job_order_create(
            actor=actor or agent,
            agency=agency or p3mi,
            data=order_data(ssw, industrial, **overrides),
            costs=list(costs),
            attache_file=pdf_upload() if attache else None,
        )

    return make


@pytest.fixture
def approved_order(make_order, agent, manager):
    """An approved order of agency A for 2 positions (no candidates yet, so no recommendations)."""

    def make(**overrides):
        order = make_order(**overrides)
        services.job_order_submit(actor=agent, order=order)
        return services.job_order_approve(actor=manager, order=order)

    return make


def add_result(candidate, test, *, score=None, passed=True, kind=ResultKind.OFFICIAL, **extra):
    fields = {"reading": None, "listening": None}
    if test == Test.EPS_TOPIK and score is not None:
        fields = {"reading": score // 2, "listening": score - score // 2}
    return Assessment.objects.create(
        candidate=candidate,
        test=test,
        kind=kind,
        taken_on=extra.pop("taken_on", days(-20)),
        score=score,
        passed=passed,
        **{**fields, **extra},
    )


@pytest.fixture
def make_trained(ssw, industrial):
    """A candidate who finished training for Japan SSW industrial work: JFT-Basic and skill test."""

    def make(*, jft=220, skill=80, job_type=None, pathway=None, user=False, **kwargs):
        kwargs.setdefault("stage", Stage.TRAINED)
        if user:
            kwargs["user"] = UserFactory(role=Role.CANDIDATE, organisation=None)
        candidate = CandidateFactory(**kwargs)
        PathwayAssignment.objects.create(
            candidate=candidate,
            pathway=pathway or ssw,
            job_type=job_type if job_type is not None else industrial,
        )
        if jft is not None:
            add_result(candidate, Test.JFT_BASIC, score=jft, passed=jft >= 200)
        if skill is not None:
            add_result(
                candidate,
                Test.SKILL,
                score=skill,
                passed=True,
                job_type=job_type if job_type is not None else industrial,
            )
        return candidate

    return make
