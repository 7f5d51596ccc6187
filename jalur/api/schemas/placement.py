"""Job orders and applications. A job order is sent as the web form sends it: the same fields, by
the same names, judged by the same form and service, so every refusal is the web's, beside the
field it names (a cost line's field as `costs-<row from 0>-<field>`)."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from .common import Coded, Named, Out


class CostLineIn(Schema):
    item: str | None = Field(None, description="jalur.placement.models.CostItem code")
    description: str = ""
    amount: Decimal | None = Field(None, description="rupiah, whole")
    paid_by: str | None = Field(None, description="CostPayer code: worker, employer, agency…")


class JobOrderIn(Schema):
    """Every field of the web form. Required there and here: employer_name, employer_country,
    employer_city, employer_sector, pathway, job_type, position_title, positions, wage_amount,
    wage_currency, wage_period, hours_per_week, contract_months, attache_status, deadline; a
    missing one is refused naming it. `submit` (default true) sends the new order through the legal
    gate at once: if the gate refuses it, nothing is kept and each problem is returned with its
    rule's words; with `submit` false it is kept as a draft to submit later."""

    employer_name: str | None = None
    employer_country: str | None = Field(None, description="JP or KR")
    employer_city: str | None = None
    employer_sector: str | None = None
    pathway: str | None = Field(None, description="pathway code, e.g. jp-ssw-p2p")
    job_type: str | None = Field(None, description="job type code, e.g. industrial")
    position_title: str | None = None
    positions: int | None = None
    description: str = ""
    deadline: datetime.date | None = None
    min_age: int | None = None
    max_age: int | None = None
    sex: str = ""
    sex_reason: str = ""
    min_education: str = ""
    min_height_cm: int | None = None
    min_experience_years: int | None = None
    eps_topik_min_score: int | None = None
    jft_min_score: int | None = None
    jlpt_min_level: str = ""
    licence_required: bool = False
    licence_name: str = ""
    other_requirements: str = ""
    wage_amount: Decimal | None = None
    wage_currency: str | None = Field(None, description="JPY or KRW")
    wage_period: str | None = Field(None, description="month, hour…")
    hours_per_week: int | None = None
    contract_months: int | None = None
    benefits: str = ""
    sip2mi_number: str = ""
    sip2mi_quota: int | None = None
    sip2mi_issued_on: datetime.date | None = None
    sip2mi_valid_until: datetime.date | None = None
    attache_status: str | None = Field(None, description="not_sent, sent, verified, refused")
    attache_reference: str = ""
    attache_verified_on: datetime.date | None = None
    costs: list[CostLineIn] = Field(default_factory=list)
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
    next_cursor: str | None = None


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
    next_cursor: str | None = None
