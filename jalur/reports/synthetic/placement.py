"""Placement, departure and protection: agencies, job orders, one application for everyone who
reached selection, departure cases with their checklist for accepted offers, and grievances from
a few of those who left."""

import datetime
import zlib

import numpy as np

from jalur.accounts.roles import OrganisationKind

from .. import bulk
from . import columns
from .columns import NO_DAY, NO_MOMENT, Choice, Day, Int, Moment, Serial, micros
from .journey import CODE, DAY_S, S

# Checklist items of a synthetic departure case, and how many days a fresh one stays valid.
CHECKLIST = [
    ("medical", 180),
    ("passport", 1800),
    ("bpjs", 900),
    ("skck", 180),
    ("placement_agreement", None),
    ("employment_contract", None),
    ("family_permission", None),
]
EPOCH = datetime.date(1970, 1, 1)


def prepare(g, n: int) -> None:
    from jalur.placement.models import Agency, Agreement, AgreementKind

    g.agencies = g.members(
        Agency,
        OrganisationKind.PLACEMENT_AGENCY,
        max(2, n // 50_000),
        ("sintetis-p3mi", "PT Sintetis"),
        lambda i: {
            "licence_number": f"SIP3MI-SINTETIS-{i + 1:04d}",
            "licence_valid_from": g.today - datetime.timedelta(days=1500),
            "licence_valid_until": g.today + datetime.timedelta(days=30 + 90 * i),
            "address": "Jakarta",
            "phone": "021000000",
            "contact_name": "Kontak Sintetis",
            "contact_phone": "+6281200000001",
        },
    )
    began = g.today - datetime.timedelta(days=30 * g.months)
    Agreement.objects.get_or_create(
        number="MOU-SINTETIS",
        defaults={
            "kind": AgreementKind.MOU,
            "title": "MoU Pemkot–APJATI (sintetis)",
            "parties": "Pemerintah Kota Serang\nAPJATI",
            "signed_on": began,
            "starts_on": began,
            "ends_on": g.today + datetime.timedelta(days=365),
            "countries": ["JP", "KR"],
            "quota": max(1000, n // 5),
        },
    )


def tables() -> list:
    from jalur.departure.models import ChecklistItem, DepartureCase
    from jalur.placement.models import Application
    from jalur.protection.models import Grievance

    return [Application, DepartureCase, ChecklistItem, Grievance]


def _orders(g, wanted: list[tuple]) -> list[tuple]:
    """The approved job order of one agency for each (country, pathway, job, month), as
    (order id, agency id): made once, the missing ones in one bulk insert."""
    from jalur.placement.models import JobOrder
    from jalur.placement.states import OrderStatus

    keys, missing = [], {}
    for country, pathway, job_code, month in wanted:
        spread = zlib.crc32(f"{pathway}{job_code}{month}".encode())
        agency = g.agencies[spread % len(g.agencies)]
        key = (agency.pk, pathway, job_code, month)
        keys.append(key)
        if key not in g.orders and key not in missing:
            reference = (
                f"SIN-{agency.pk}-{g.pathways[pathway]}-{g.job_types[job_code]}-{month:%y%m}"
            )
            missing[key] = (reference, country)
    if missing:
        found = dict(
            JobOrder.objects.filter(
                reference__in=[reference for reference, _country in missing.values()]
            ).values_list("reference", "pk")
        )
        new = [
            JobOrder(
                reference=reference,
                agency_id=key[0],
                status=OrderStatus.APPROVED,
                employer_name=f"Pemberi kerja sintetis {key[3]:%y%m}",
                employer_country=country,
                employer_city="Tokyo" if country == "JP" else "Seoul",
                employer_sector="Manufaktur",
                pathway_id=g.pathways[key[1]],
                job_type_id=g.job_types[key[2]],
                position_title=key[2],
                positions=500,
                wage_amount=210000 if country == "JP" else 2100000,
                wage_currency="JPY" if country == "JP" else "KRW",
                hours_per_week=40,
                contract_months=36,
                deadline=key[3] + datetime.timedelta(days=60),
            )
            for key, (reference, country) in missing.items()
            if reference not in found
        ]
        JobOrder.objects.bulk_create(new)
        found |= {order.reference: order.pk for order in new}
        for key, (reference, _country) in missing.items():
            g.orders[key] = (found[reference], key[0])
    return [g.orders[key] for key in keys]


def month_start(days: np.ndarray) -> np.ndarray:
    """The first day of each day's month (days since 1970)."""
    months = days.astype("datetime64[D]").astype("datetime64[M]")
    return months.astype("datetime64[D]").astype(np.int64)


def write(g, p: dict) -> dict[str, int]:
    from jalur.departure.models import CaseStatus, ChecklistItem, DepartureCase, ItemStatus
    from jalur.placement.models import Application, ApplicationOrigin
    from jalur.placement.states import ApplicationStatus
    from jalur.protection.models import Grievance, GrievanceCategory, GrievanceStatus

    rng, w, stage = g.rng, p["walk"], p["stage"]
    selected_all = w.reached(S.SELECTION)
    who = np.flatnonzero(~np.isnan(selected_all) & (p["job"] >= 0))
    m = len(who)
    selected = selected_all[who]
    accepted = w.reached(S.PRE_DEPARTURE)[who]
    here = stage[who]
    # one order per (pathway, job, month the person was put forward), as people are
    month = month_start(g.local_day(selected))
    keys = np.stack([p["pathway"][who], p["job"][who], month], axis=1)
    unique, where = np.unique(keys, axis=0, return_inverse=True)
    codes = [p["pathway_codes"][pathway] for pathway, _job, _first in unique]
    made = _orders(
        g,
        [
            (
                g.pathway_country[code],
                code,
                g.job_codes[job],
                EPOCH + datetime.timedelta(days=int(first)),
            )
            for code, (_pathway, job, first) in zip(codes, unique, strict=True)
        ],
    )
    order_ids = np.array([o[0] for o in made] or [0])[where.reshape(-1)]
    agency_ids = np.array([o[1] for o in made] or [0])[where.reshape(-1)]
    statuses = [
        ApplicationStatus.INTERVIEW_SCHEDULED,
        ApplicationStatus.NOT_SELECTED,
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.ACCEPTED,
    ]
    took = ~np.isnan(accepted)
    status = np.select(
        [~took & (here == CODE[S.SELECTION]), ~took, here == CODE[S.WITHDRAWN]], [0, 1, 2], 3
    )
    application_ids = bulk.reserve_block(Application, m) + np.arange(m)
    counts = {
        "applications": columns.write(
            Application,
            {"origin": ApplicationOrigin.RECOMMENDED},
            id=Int(application_ids),
            order_id=Int(order_ids),
            candidate_id=Int(p["ids"][who]),
            status=Choice(status, statuses),
            interview_at=Moment(micros(np.where(status == 0, selected + 7 * DAY_S, np.nan))),
            status_changed_at=Moment(micros(np.where(took, accepted, selected))),
            created_at=Moment(micros(selected)),
        )
    }
    # departure cases of accepted offers
    placed = np.flatnonzero(took)
    c = len(placed)
    person = who[placed]
    departed = w.reached(S.DEPARTED)[person]
    now_stage = stage[person]
    case_status = np.select(
        [~np.isnan(departed), now_stage == CODE[S.WITHDRAWN], now_stage == CODE[S.READY]],
        [0, 1, 2],
        3,
    )
    preparing = case_status >= 2
    case_ids = bulk.reserve_block(DepartureCase, c) + np.arange(c)
    planned = g.today_d + rng.integers(10, 91, c)
    counts["departure_cases"] = columns.write(
        DepartureCase,
        id=Int(case_ids),
        application_id=Int(application_ids[placed]),
        candidate_id=Int(p["ids"][person]),
        agency_id=Int(agency_ids[placed]),
        status=Choice(
            case_status, [CaseStatus.DEPARTED, CaseStatus.ENDED, CaseStatus.READY, CaseStatus.OPEN]
        ),
        planned_departure_on=Day(np.where(preparing, planned, NO_DAY)),
        departed_on=Day(np.where(np.isnan(departed), NO_DAY, g.local_day(np.nan_to_num(departed)))),
        ended_reason=Choice((case_status == 1).astype(np.int64), ["", "mengundurkan diri"]),
        created_at=Moment(micros(accepted[placed])),
        updated_at=Moment(micros(p["last_at"][person])),
    )
    # the checklist: seven items a case, some missing while the case is open
    k = len(CHECKLIST)
    item_case = np.repeat(np.arange(c), k)
    item = np.tile(np.arange(k), c)
    valid_days = np.array([v or 0 for _code, v in CHECKLIST])[item]
    missing = (case_status[item_case] == 3) & (rng.random(c * k) < 0.3)
    soon = preparing[item_case] & (rng.random(c * k) < 0.15)
    lasts = np.where(
        soon, rng.integers(5, 60, c * k), rng.integers(60, np.maximum(valid_days, 60) + 1)
    )
    checked = ~missing
    counts["checklist_items"] = columns.write(
        ChecklistItem,
        case_id=Int(case_ids[item_case]),
        code=Choice(item, [code for code, _v in CHECKLIST]),
        status=Choice(checked.astype(np.int64), [ItemStatus.MISSING, ItemStatus.VERIFIED]),
        valid_until=Day(np.where((valid_days > 0) & checked, g.today_d + lasts, NO_DAY)),
        checked_at=Moment(np.where(checked, int(g.now_s * 1e6), NO_MOMENT)),
        checked_by_id=Int(np.where(checked, g._checker(), -1)),
    )
    # grievances from about 3 % of those who left
    raised = np.flatnonzero((case_status == 0) & (rng.random(c) < 0.03))
    r = len(raised)
    opened = g.now_s - rng.uniform(1, 200, r) * DAY_S
    closed = rng.random(r) < 0.7
    open_status = rng.integers(1, 3, r)
    counts["grievances"] = columns.write(
        Grievance,
        {
            "reporter_kind": "family",
            "reporter_name": "Keluarga sintetis",
            "worker_name": "Sintetis",
            "description": "Pengaduan sintetis.",
        },
        number=Serial(p["ids"][person[raised]], "SIN-", 9),
        candidate_id=Int(p["ids"][person[raised]]),
        worker_country=Choice(p["country"][person[raised]], ["", "JP", "KR"]),
        category=Choice(
            rng.integers(0, len(GrievanceCategory.values), r), list(GrievanceCategory.values)
        ),
        status=Choice(
            np.where(closed, 0, open_status),
            [GrievanceStatus.CLOSED, GrievanceStatus.ASSIGNED, GrievanceStatus.CLARIFICATION_1],
        ),
        due_at=Moment(micros(np.where(closed, np.nan, opened + 7 * DAY_S))),
        opened_at=Moment(micros(opened)),
        closed_at=Moment(micros(np.where(closed, opened + 20 * DAY_S, np.nan))),
        closing_reason=Choice(closed.astype(np.int64), ["", "resolved"]),
    )
    return counts


def checker(g) -> int:
    """The (inactive) office account that 'verified' synthetic checklist items."""
    from jalur.accounts.models import User
    from jalur.accounts.roles import Role

    office = g.organisation(
        OrganisationKind.LABOUR_OFFICE, "sintetis-disnaker", "Disnakertrans (sintetis)"
    )
    user, _created = User.objects.get_or_create(
        username="sintetis-pemeriksa",
        defaults={"role": Role.VERIFIER, "organisation": office, "is_active": False},
    )
    return user.pk
