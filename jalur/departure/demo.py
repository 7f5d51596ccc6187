"""Demo pre-departure and departure (seed_demo): the accepted caregiver offer of the placement demo
with its checklist started, and five more people taken from a short course through an order, offers,
checklists and the gate: one still preparing, one ready to fly next week, three who flew today as a
group. Everything goes through the real services of each app. Idempotent: an existing group or case is
left alone.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jalur.pathways.models import JobType
from jalur.placement import services as placement
from jalur.placement.demo import (
    EMPLOYER_PAYS,
    ONE_PAGE_PDF,
    _offer,
    _order,
    _ready_for_ssw,
    _train_verified,
)
from jalur.placement.models import Agency, Application
from jalur.placement.states import ApplicationStatus, OrderStatus

from . import services
from .models import DepartureCase, DepartureGroup

GROUP_FLIGHT = "GA 874"


def _doc():
    return SimpleUploadedFile("dokumen-demo.pdf", ONE_PAGE_PDF, content_type="application/pdf")


def _item_data(code: str, order, today: datetime.date, n: int) -> dict:
    d = datetime.timedelta
    return {
        "medical": {
            "clinic": "Klinik Utama Sehat Serang",
            "examined_on": today - d(days=20),
            "fit": "fit",
            "valid_until": today + d(days=160),
        },
        "psychological": {
            "clinic": "Biro Psikologi Cendekia",
            "examined_on": today - d(days=20),
            "fit": "fit",
        },
        "placement_agreement": {"signed_on": today - d(days=15)},
        "bpjs": {
            "membership_number": f"2610{n:08d}",
            "jkk": True,
            "jkm": True,
            "period_from": today - d(days=10),
            "valid_until": today + d(days=365 * 3 + 60),
        },
        "passport": {
            "number": f"E{4521000 + n}",
            "issued_on": today - d(days=60),
            "valid_until": today + d(days=3650),
        },
        "employment_contract": {
            "employer": order.employer_name,
            "position": order.position_title,
            "wage": order.wage_amount,
            "currency": order.wage_currency,
            "hours_per_week": order.hours_per_week,
            "contract_months": order.contract_months,
            "signed_on": today - d(days=14),
        },
        "coe": {"number": f"COE-NGY-{n:05d}", "issued_on": today - d(days=12)},
        "ccvi": {"number": f"CCVI-{n:05d}", "issued_on": today - d(days=12)},
        "visa": {
            "number": f"V{88000 + n}",
            "issued_on": today - d(days=6),
            "valid_until": today + d(days=85),
        },
        "opp": {"held_on": today - d(days=3), "place": "BP3MI Banten, Serang"},
        "e_pmi": {"id_pmi": f"PMI-3673-{n:06d}", "e_pmi": f"E-PMI/2026/{n:06d}"},
        "skck": {
            "number": f"SKCK/{n:04d}/XI/2026/Polresta Serang Kota",
            "valid_until": today + d(days=170),
        },
        "family_permission": {"signed_by": "Orang tua", "relation": "ibu"},
    }[code]


def _complete(case, *, agent, manager, today, n: int, skip=()) -> None:
    order = case.application.order
    for item in case.items.order_by("id"):
        if item.code in skip or item.status != "missing":
            continue
        document = _doc() if item.type.needs_document else None
        item = services.item_submit(
            item=item, data=_item_data(item.code, order, today, n), document=document, actor=agent
        )
        services.item_verify(item=item, accept=True, note="", actor=manager)
    services.no_fee_record(
        case=case, occasion="contract", signed_on=today - datetime.timedelta(days=14), actor=agent
    )


def seed(ctx: dict) -> None:
    today = timezone.localdate()
    users = ctx["users"]
    manager, duta = users["manajer"], users["p3mi-duta"]

    # The caregiver who accepted an offer in the placement demo: checklist started, medical done.
    accepted = Application.objects.filter(
        status=ApplicationStatus.ACCEPTED, departure_case__isnull=True
    ).first()
    if accepted is not None:
        agent = (
            users["p3mi-sakura"]
            if accepted.order.agency.organisation.code == "pt-sakura-karya"
            else duta
        )
        case = services.case_open(application=accepted, actor=agent)
        _complete(
            case,
            agent=agent,
            manager=manager,
            today=today,
            n=accepted.pk,
            skip=[
                c
                for c in case.items.values_list("code", flat=True)
                if c not in ("medical", "psychological", "skck", "family_permission")
            ],
        )
        services.passport_handover(
            case=case,
            holder_kind="agency",
            holder_name="PT Sakura Karya Indonesia",
            purpose="Pengurusan CoE",
            handed_over_on=today - datetime.timedelta(days=3),
            actor=agent,
        )

    if DepartureGroup.objects.filter(flight=GROUP_FLIGHT).exists():
        return
    # Everyone available takes the course and gets official results; five go on to the order, the
    # others stay "trained" (ready for the next order).
    trained = _train_verified(ctx, today, manager, name="Angkatan Kilat 2/2026", count=8, days=7)
    if len(trained) < 5:
        return
    staff = users["blk-serang"]
    industrial = JobType.objects.get(code="industrial")
    scores = [
        (226, 88),
        (214, 80),
        (209, 77),
        (218, 84),
        (204, 75),
        (201, 72),
        (211, 79),
        (207, 76),
    ]
    for person, (jft, skill) in zip(trained, scores, strict=False):
        _ready_for_ssw(
            person,
            job_type=industrial,
            jft=jft,
            skill=skill,
            manager=manager,
            staff=staff,
            today=today,
        )
    people = trained[:5]
    agency = Agency.objects.get(organisation__code="pt-duta-samudera")
    order, new = _order(
        agency,
        actor=duta,
        title="Operator lini produksi suku cadang",
        employer="Chita Buhin K.K.",
        employer_city="Chita, Aichi",
        employer_sector="Suku cadang otomotif",
        pathway="jp-ssw-p2p",
        job_type="industrial",
        positions=5,
        wage_amount=Decimal(208000),
        benefits="Asrama, asuransi kesehatan nasional, tiket pulang akhir kontrak",
        deadline=today + datetime.timedelta(days=10),
        sip2mi_number="KEP.1987/SIP2MI/PPTKLN/2026",
        sip2mi_quota=30,
        costs=EMPLOYER_PAYS,
    )
    if new:
        placement.job_order_submit(actor=duta, order=order)
        placement.job_order_approve(
            actor=manager, order=order, reason="Sesuai PKS, SIP2MI dan verifikasi atase"
        )
    cases = []
    for person in people:
        application = Application.objects.filter(order=order, candidate=person).first()
        if application is None:
            application = placement.application_apply(
                candidate=person, order=order, actor=person.user or manager
            )
        if application.status not in (ApplicationStatus.OFFERED, ApplicationStatus.ACCEPTED):
            application = _offer(application, duta, days_to_answer=5)
        if application.status == ApplicationStatus.OFFERED:
            application = placement.offer_accept(
                actor=person.user or manager, application=application
            )
        cases.append(services.case_open(application=application, actor=duta))
    order.refresh_from_db()
    assert order.status in (OrderStatus.FILLED, OrderStatus.APPROVED)

    flying, ready, preparing = cases[:3], cases[3], cases[4]
    for n, case in enumerate(cases, start=1):
        skip = ("visa", "opp", "e_pmi") if case is preparing else ()
        _complete(case, agent=duta, manager=manager, today=today, n=order.pk * 10 + n, skip=skip)
    # A fee the worker paid that the rules forbid, caught and followed up.
    fee = services.fee_record(
        case=preparing,
        data={
            "item": "agency_fee",
            "description": "Biaya 'administrasi' diminta staf lapangan",
            "amount": Decimal(2_500_000),
            "currency": "IDR",
            "paid_by": "worker",
            "state": "paid",
            "paid_on": today - datetime.timedelta(days=9),
        },
        actor=manager,
    )
    services.fee_violation_follow_up(
        fee=fee,
        note="P3MI mengembalikan Rp 2.500.000 kepada pekerja pada hari yang sama; staf lapangan diberi sanksi internal.",
        actor=manager,
    )
    services.fee_record(
        case=preparing,
        data={
            "item": "passport",
            "description": "Paspor 48 halaman",
            "amount": Decimal(350_000),
            "currency": "IDR",
            "paid_by": "worker",
            "state": "paid",
            "paid_on": today - datetime.timedelta(days=40),
        },
        actor=duta,
    )
    # A worker-paid item the rules do not name: it waits for the labour office's decision.
    services.fee_record(
        case=preparing,
        data={
            "item": "other",
            "description": "Seragam kerja dan sepatu keselamatan",
            "amount": Decimal(275_000),
            "currency": "IDR",
            "paid_by": "worker",
            "state": "paid",
            "paid_on": today - datetime.timedelta(days=5),
        },
        actor=duta,
    )
    services.case_mark_ready(
        case=ready, planned_departure_on=today + datetime.timedelta(days=7), actor=duta
    )
    for case in flying:
        services.case_mark_ready(case=case, planned_departure_on=today, actor=duta)
        services.no_fee_record(case=case, occasion="departure", signed_on=today, actor=duta)
    group = services.group_create(
        agency=agency,
        country="JP",
        departs_on=today,
        flight=GROUP_FLIGHT,
        airport="Soekarno-Hatta (CGK)",
        actor=duta,
    )
    services.group_set_members(
        group=group,
        cases=list(DepartureCase.objects.filter(pk__in=[c.pk for c in flying])),
        actor=duta,
    )
    services.group_depart(group=group, actor=duta)
    ctx["departed"] = [c.candidate for c in flying]
