"""Candidates as the office's integrations read them. Fields that identify a person (NIK, KK,
birth date and place, address, phone, e-mail, SISKOP2MI ID) are null unless the token's role has
`candidates.view_identity`, as on the web pages."""

import datetime

from ninja import Field

from .common import Coded, Named, Out


class Region(Out):
    code: str
    name: str


class CandidateOut(Out):
    id: int
    full_name: str
    sex: Coded
    age: int
    stage: Coded
    stage_changed_at: datetime.datetime
    cycle: int
    regency_code: str | None = Field(None, description="kab/kota (Kemendagri code)")
    district: Region | None = Field(None, description="kecamatan")
    village: Region | None = Field(None, description="kelurahan")
    pathway: Named | None = Field(None, description="the active pathway assignment, by code")
    preferred_countries: list[str]
    preferred_job_types: list[Named]
    education_level: str
    channel: Coded
    created_at: datetime.datetime
    updated_at: datetime.datetime
    nik: str | None = Field(None, description="only with candidates.view_identity")
    birth_date: datetime.date | None = Field(None, description="only with candidates.view_identity")
    phone: str | None = Field(None, description="E.164; only with candidates.view_identity")


class CandidateDetail(CandidateOut):
    education_major: str
    experience_years: int
    height_cm: int | None
    weight_kg: int | None
    kk_number: str | None = None
    birth_place: str | None = None
    marital_status: str | None = None
    street: str | None = None
    rt: str | None = None
    rw: str | None = None
    email: str | None = None
    phone_abroad: str | None = None
    siskop2mi_id_pmi: str | None = None


class CandidatePage(Out):
    items: list[CandidateOut]
    next_cursor: int | None = Field(None, description="pass as `cursor` for the next page")


class StageChangeOut(Out):
    from_stage: Coded | None
    to_stage: Coded
    created_at: datetime.datetime
    actor: str = Field(description='who moved it, "" for the system')
    reason: str


class StageHistoryOut(Out):
    items: list[StageChangeOut]
