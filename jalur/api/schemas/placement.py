"""Job orders and applications. A job order is sent as the web form sends it: the same fields, by
the same names, judged by the same form and service, so every refusal is the web's, beside the
field it names (a cost line's field as `costs-<row from 0>-<field>`)."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from jalur.candidates.models import Education, Sex
from jalur.pathways.models import Country, JlptLevel
from jalur.placement.models import AttacheStatus, CostItem, CostPayer, Currency, WagePeriod

from ..paging import IsoDate
from .common import Coded, Named, Out

SMALL = 32767  # a PositiveSmallIntegerField's largest value
TEXT = r"\S"  # a required text: something besides spaces


class CostLineIn(Schema):
    item: CostItem
    description: str = Field("", max_length=200)
    amount: int = Field(ge=0, le=10**14 - 1, description="rupiah, whole")
    paid_by: CostPayer


class JobOrderIn(Schema):
    """Every field of the web form, as the form names them, with the form's own limits. `submit`
    (default true) sends the new order through the legal gate at once: if the gate refuses it,
    nothing is kept and each problem is returned with its rule's words; with `submit` false it is
    kept as a draft to submit later. What the form judges beyond the field's own type (a pathway a
    P3MI may not use, a licence without its name) is refused as on the web, naming the field."""

    employer_name: str = Field(max_length=200, pattern=TEXT)
    employer_country: Country
    employer_city: str = Field(max_length=100, pattern=TEXT)
    employer_sector: str = Field(max_length=150, pattern=TEXT)
    pathway: str = Field(max_length=50, description="pathway code, e.g. jp-ssw-p2p")
    job_type: str = Field(max_length=50, description="job type code, e.g. industrial")
    position_title: str = Field(max_length=200, pattern=TEXT)
    positions: int = Field(ge=1, le=2**31 - 1)
    description: str = ""
    deadline: IsoDate
    min_age: int | None = Field(None, ge=0, le=SMALL)
    max_age: int | None = Field(None, ge=0, le=SMALL)
    sex: Sex | None = None
    sex_reason: str = Field("", max_length=300)
    min_education: Education | None = None
    min_height_cm: int | None = Field(None, ge=0, le=SMALL)
    min_experience_years: int | None = Field(None, ge=0, le=SMALL)
    eps_topik_min_score: int | None = Field(None, ge=0, le=SMALL)
    jft_min_score: int | None = Field(None, ge=0, le=SMALL)
    jlpt_min_level: JlptLevel | None = None
    licence_required: bool = False
    licence_name: str = Field("", max_length=200)
    other_requirements: str = ""
    wage_amount: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    wage_currency: Currency
    wage_period: WagePeriod
    hours_per_week: int = Field(ge=0, le=SMALL)
    contract_months: int = Field(ge=0, le=SMALL)
    benefits: str = ""
    sip2mi_number: str = Field("", max_length=100)
    sip2mi_quota: int | None = Field(None, ge=1, le=2**31 - 1)
    sip2mi_issued_on: IsoDate | None = None
    sip2mi_valid_until: IsoDate | None = None
    attache_status: AttacheStatus
    attache_reference: str = Field("", max_length=150)
    attache_verified_on: IsoDate | None = None
    costs: list[CostLineIn] = Field(default_factory=list, max_length=20)
    submit: bool = True


class CostLineOut(Out):
    item: Coded
    description: str
    amount: Decimal
    paid_by: Coded
    office_decision: Coded | None


class PermitOut(Out):
    number: str
    quota: int
    issued_on: datetime.date | None
    valid_until: datetime.date | None


class Problem(Out):
    code: str
    message: str


class JobOrderOut(Out):
    id: int
    reference: str
    status: Coded
    status_changed_at: datetime.datetime
    agency: Named
    employer_name: str
    employer_country: str
    employer_city: str
    employer_sector: str
    pathway: Named
    job_type: Named
    position_title: str
    positions: int
    deadline: datetime.date
    wage_amount: Decimal
    wage_currency: str
    wage_period: str
    hours_per_week: int
    contract_months: int
    attache_status: Coded
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class JobOrderDetail(JobOrderOut):
    description: str
    min_age: int | None
    max_age: int | None
    sex: str
    sex_reason: str
    min_education: str
    min_height_cm: int | None
    min_experience_years: int | None
    eps_topik_min_score: int | None
    jft_min_score: int | None
    jlpt_min_level: str
    licence_required: bool
    licence_name: str
    other_requirements: str
    benefits: str
    attache_reference: str
    attache_verified_on: datetime.date | None
    permit: PermitOut | None
    costs: list[CostLineOut]
    application_counts: dict[str, int]
    problems: list[Problem] = Field(
        description="what the legal gate finds wrong today (draft, returned or submitted orders)"
    )


class JobOrderPage(Out):
    items: list[JobOrderOut]
    next_cursor: int | None = None


class ApplicationOut(Out):
    id: int
    order: Named = Field(description="the job order, by id and reference")
    candidate: Named
    status: Coded
    status_changed_at: datetime.datetime
    origin: Coded
    score: Decimal | None
    rank: int | None
    recommended_at: datetime.datetime | None
    applied_at: datetime.datetime | None
    selected_at: datetime.datetime | None
    interview_at: datetime.datetime | None
    interview_mode: str
    interview_result: str
    offered_at: datetime.datetime | None
    responded_at: datetime.datetime | None
    candidate_phone: str | None = Field(
        None, description="only once shortlisted, as on the web (the agency must reach them)"
    )


class ApplicationDetail(ApplicationOut):
    interview_place: str
    offer_position_title: str
    offer_wage_amount: Decimal | None
    offer_contract_months: int | None
    offer_respond_by: datetime.date | None
    status_reason: str
    score_parts: dict


class ApplicationPage(Out):
    items: list[ApplicationOut]
    next_cursor: int | None = None
