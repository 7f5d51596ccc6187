"""Demo placement (seed_demo): the three demo P3MI (one with an expired licence), the city–APJATI MoU
and a PKS with each (one ending within 60 days), job orders in every state, and applications in
several states, including an accepted offer.

People come from the earlier demos: trained candidates from the training demo, topped up by taking
verified ones through a short manufacturing course with training's own services. They are put on
the SSW pathway with the pathways service and their official results recorded with training's
service, so every stage move and rule check is the real one. Idempotent: what exists is left alone.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jalur.candidates.models import StageHistory
from jalur.candidates.stages import Stage
from jalur.pathways.models import JobType, Pathway, PathwayAssignment
from jalur.pathways.services import pathway_assign

from . import services
from .models import Agency, Agreement, AgreementKind, JobOrder
from .states import OrderStatus

MOU_NUMBER = "100.3.7/01/NK/Pemkot-APJATI/XII/2025"
# A one-page PDF standing in for a scanned, signed document (the upload check opens it with qpdf,
# so it has the page a real scan has).
ONE_PAGE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ONE_PAGE_PDF, content_type="application/pdf")


def _agencies(ctx: dict, today: datetime.date, manager) -> dict[str, Agency]:
    orgs = ctx["organisations"]
    specs = {
        "pt-duta-samudera": {
            "licence_number": "B.612/PPTKLN/SIP3MI/2024",
            "licence_valid_from": datetime.date(2024, 3, 1),
            "licence_valid_until": today + datetime.timedelta(days=820),
            "apjati_number": "APJATI-0317",
            "address": "Jl. Raya Cilegon Km 4, Kalodran, Walantaka, Serang",
            "phone": "0254-8491221",
            "email": "kantor@dutasamudera.local",
            "contact_name": "Andi Wijaya",
            "contact_phone": "+6281288017731",
        },
        "pt-sakura-karya": {
            "licence_number": "B.208/PPTKLN/SIP3MI/2023",
            "licence_valid_from": datetime.date(2023, 6, 15),
            "licence_valid_until": today + datetime.timedelta(days=410),
            "apjati_number": "APJATI-0542",
            "address": "Jl. TB Suwandi No. 21, Cipocok Jaya, Serang",
            "phone": "0254-7932210",
            "email": "info@sakurakarya.local",
            "contact_name": "Yuki Pratama",
            "contact_phone": "+6281398810402",
        },
        "pt-banten-global": {
            # The licence ran out three weeks ago: its draft order cannot be submitted.
            "licence_number": "B.077/PPTKLN/SIP3MI/2021",
            "licence_valid_from": datetime.date(2021, 9, 1),
            "licence_valid_until": today - datetime.timedelta(days=21),
            "apjati_number": "",
            "address": "Jl. Kitapa No. 8, Serang",
            "phone": "0254-218344",
            "contact_name": "Hendra Gunawan",
            "contact_phone": "+6281977230015",
        },
    }
    agencies = {}
    for code, data in specs.items():
        organisation = orgs[code]
        agencies[code] = Agency.objects.filter(
            organisation=organisation
        ).first() or services.agency_create(actor=manager, organisation=organisation, data=data)
    return agencies


def _agreement(manager, number: str, **fields) -> Agreement:
    existing = Agreement.objects.filter(number=number).first()
    if existing:
        return existing
    pathways = Pathway.objects.filter(code__in=fields.pop("pathways", []))
    job_types = JobType.objects.filter(code__in=fields.pop("job_types", []))
    return services.agreement_create(
        actor=manager,
        data={"number": number, **fields},
        pathways=pathways,
        job_types=job_types,
        document=_pdf(f"{number}.pdf"),
    )


def _agreements(agencies, today, manager) -> dict[str, Agreement]:
    mou = _agreement(
        manager,
        MOU_NUMBER,
        kind=AgreementKind.MOU,
        title="Nota Kesepakatan tentang penempatan dan pelindungan pekerja migran Indonesia asal Kota Serang",
        parties="Pemerintah Kota Serang, diwakili Wali Kota Serang\nDPP Asosiasi Pengusaha Jasa Penempatan Tenaga Kerja Indonesia (APJATI)",
        signed_on=datetime.date(2025, 12, 8),
        starts_on=datetime.date(2025, 12, 8),
        ends_on=datetime.date(2028, 12, 7),
        quota=1000,
        obligations=(
            "Pemkot: pendaftaran, verifikasi, pelatihan bahasa dan keterampilan dasar (APBD), "
            "pengawasan.\nAPJATI: menghimpun lowongan resmi ber-SIP2MI dari anggotanya di Korea "
            "Selatan dan Jepang; seleksi bersama Disnakertrans; tanpa biaya penempatan bagi pekerja."
        ),
    )
    common = {"kind": AgreementKind.PKS, "mou": mou}
    return {
        "mou": mou,
        "pt-duta-samudera": _agreement(
            manager,
            "PKS/560/014/Disnakertrans/2026",
            title="PKS penempatan PMI ke Jepang dan Korea Selatan",
            parties="Pemerintah Kota Serang\nPT Duta Samudera Mandiri",
            agency=agencies["pt-duta-samudera"],
            signed_on=today - datetime.timedelta(days=150),
            starts_on=today - datetime.timedelta(days=150),
            ends_on=today + datetime.timedelta(days=580),
            countries=["JP", "KR"],
            pathways=["jp-ssw-p2p", "kr-e7"],
            job_types=["industrial", "food-manufacturing", "welder", "painter", "electrician"],
            quota=120,
            obligations="Menanggung biaya penempatan; melapor bulanan ke Disnakertrans.",
            **common,
        ),
        "pt-sakura-karya": _agreement(
            manager,
            "PKS/560/021/Disnakertrans/2026",
            title="PKS penempatan PMI ke Jepang (SSW)",
            parties="Pemerintah Kota Serang\nPT Sakura Karya Indonesia",
            agency=agencies["pt-sakura-karya"],
            # Ends within 60 days: the expiry warning shows on the home page and in the inbox.
            signed_on=today - datetime.timedelta(days=320),
            starts_on=today - datetime.timedelta(days=320),
            ends_on=today + datetime.timedelta(days=45),
            countries=["JP"],
            pathways=["jp-ssw-p2p"],
            job_types=["caregiver", "plantation", "industrial"],
            quota=60,
            obligations="Jabatan pengasuh lansia dan perkebunan bebas biaya penempatan bagi pekerja.",
            **common,
        ),
        "pt-banten-global": _agreement(
            manager,
            "PKS/560/009/Disnakertrans/2026",
            title="PKS penempatan PMI ke Jepang",
            parties="Pemerintah Kota Serang\nPT Banten Global Tenaga",
            agency=agencies["pt-banten-global"],
            signed_on=today - datetime.timedelta(days=200),
            starts_on=today - datetime.timedelta(days=200),
            ends_on=today + datetime.timedelta(days=300),
            countries=["JP"],
            pathways=["jp-ssw-p2p"],
            job_types=["industrial"],
            quota=40,
            **common,
        ),
    }


# --- people ----------------------------------------------------------------------------------------
def _aware(day: datetime.date, hour: int = 8) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _train_verified(
    ctx, today, manager, *, name: str = "Angkatan Kilat 1/2026", count: int = 2, days: int = 12
) -> list:
    """Take verified demo candidates through a short manufacturing course (training's services).

    Returns the people trained (empty when the cohort already exists or nobody is available)."""
    from jalur.training.models import Cohort, Provider
    from jalur.training.services import (
        assessment_record,
        attendance_register_save,
        cohort_close,
        cohort_create,
        enrolment_create,
        sessions_schedule,
    )

    programme = ctx.get("training_programmes", {}).get("keterampilan-manufaktur")
    provider = Provider.objects.filter(organisation=ctx["organisations"]["blk-serang"]).first()
    if programme is None or provider is None or Cohort.objects.filter(name=name).exists():
        return []
    start, end = today - datetime.timedelta(days=days), today - datetime.timedelta(days=1)
    people = []
    for candidate in ctx.get("candidates", []):
        candidate.refresh_from_db(fields=["stage"])
        verified = (
            StageHistory.objects.filter(candidate=candidate, to_stage=Stage.VERIFIED)
            .order_by("-created_at")
            .first()
        )
        if (
            candidate.stage == Stage.VERIFIED
            and verified
            and verified.created_at < _aware(start, 6)
        ):
            people.append(candidate)
    if not people:
        return []
    staff = ctx["users"]["blk-serang"]
    cohort = cohort_create(
        actor=manager,
        programme=programme,
        provider=provider,
        data={
            "name": name,
            "start_date": start,
            "end_date": end,
            "venue": "Bengkel Manufaktur, UPTD BLK Kota Serang",
            "instructor": "Ir. Bambang Setiadi",
            "capacity": 10,
        },
    )
    sessions_schedule(
        actor=staff,
        cohort=cohort,
        first_date=start,
        last_date=end,
        weekdays=[0, 1, 2, 3, 4],
        start_time=datetime.time(8, 0),
        end_time=datetime.time(15, 0),
        topic="K3 dan operator mesin produksi",
    )
    enrolments = [
        enrolment_create(cohort=cohort, candidate=c, actor=manager, at=_aware(start, 7))
        for c in people[:count]
    ]
    for session in cohort.sessions.order_by("date"):
        attendance_register_save(
            session=session, statuses={}, actor=staff, at=_aware(session.date, 15)
        )
    industrial = JobType.objects.get(code="industrial")
    for enrolment, score in zip(enrolments, [84, 77, 81, 79, 86, 75], strict=False):
        assessment_record(
            candidate=enrolment.candidate,
            enrolment=enrolment,
            actor=staff,
            data={
                "test": "skill",
                "kind": "mock",
                "taken_on": end,
                "score": score,
                "passed": True,
                "title": "Uji praktik operator mesin",
                "issuer": "UPTD BLK Kota Serang",
                "job_type": industrial,
            },
        )
    cohort_close(cohort=cohort, actor=staff, at=timezone.now())
    return [e.candidate for e in enrolments]


def _ready_for_ssw(candidate, *, job_type, jft: int, skill: int, manager, staff, today) -> None:
    """Put a trained person on Japan SSW and record the official results an order asks for."""
    from jalur.training.models import Assessment, ResultKind
    from jalur.training.services import assessment_record

    ssw = Pathway.objects.get(code="jp-ssw-p2p")
    if "JP" not in (candidate.preferred_countries or []):
        # the demo's story: counselling added Japan, so the record agrees with the order chosen
        from jalur.candidates.services import candidate_update

        candidate = candidate_update(
            candidate=candidate,
            data={"preferred_countries": [*(candidate.preferred_countries or []), "JP"]},
            actor=manager,
            reason="Konseling: berminat juga ke Jepang",
        )
    if not PathwayAssignment.objects.filter(candidate=candidate, is_active=True).exists():
        pathway_assign(
            candidate=candidate,
            pathway=ssw,
            job_type=job_type,
            actor=manager,
            reason="Lulus pelatihan; diarahkan ke SSW Jepang sesuai minat",
        )
    official = Assessment.objects.filter(candidate=candidate, kind=ResultKind.OFFICIAL)
    if not official.filter(test="jft_basic").exists():
        assessment_record(
            candidate=candidate,
            actor=staff,
            data={
                "test": "jft_basic",
                "kind": "official",
                "taken_on": today - datetime.timedelta(days=3),
                "score": jft,
                "notes": "Hasil CBT Japan Foundation",
            },
        )
    if not official.filter(test="skill", job_type=job_type).exists():
        assessment_record(
            candidate=candidate,
            actor=staff,
            data={
                "test": "skill",
                "kind": "official",
                "taken_on": today - datetime.timedelta(days=2),
                "title": f"SSW skill test: {job_type.ssw_field}",
                "issuer": "Prometric Indonesia",
                "score": skill,
                "passed": True,
                "job_type": job_type,
            },
        )


def _people(ctx, today, manager) -> tuple[list, list]:
    """(caregivers, industrial workers): trained people ready to be matched, best prepared first."""
    from jalur.candidates.models import Candidate

    _train_verified(ctx, today, manager)
    staff = ctx["users"]["blk-serang"]
    caregiver = JobType.objects.get(code="caregiver")
    industrial = JobType.objects.get(code="industrial")
    trained = list(
        Candidate.objects.filter(
            pk__in=[c.pk for c in ctx.get("candidates", [])], stage=Stage.TRAINED
        ).order_by("pk")
    )
    caregivers, workers = [], []
    for candidate in trained:
        has_care_skill = candidate.assessments.filter(test="skill", job_type=caregiver).exists()
        if has_care_skill and not caregivers:
            _ready_for_ssw(
                candidate,
                job_type=caregiver,
                jft=212,
                skill=78,
                manager=manager,
                staff=staff,
                today=today,
            )
            caregivers.append(candidate)
        else:
            n = len(workers)
            _ready_for_ssw(
                candidate,
                job_type=industrial,
                jft=[221, 206, 214, 203][n % 4],
                skill=[88, 74, 81, 70][n % 4],
                manager=manager,
                staff=staff,
                today=today,
            )
            workers.append(candidate)
    return caregivers, workers


# --- orders and applications -----------------------------------------------------------------------
def _order(agency, *, actor, title, employer, pathway, job_type, costs=(), **fields) -> tuple:
    """(order, created?) for the order with this title and employer, created as a draft if new."""
    existing = JobOrder.objects.filter(
        agency=agency, position_title=title, employer_name=employer
    ).first()
    if existing:
        return existing, False
    data = {
        "position_title": title,
        "employer_name": employer,
        "employer_country": "JP",
        "pathway": Pathway.objects.get(code=pathway),
        "job_type": JobType.objects.get(code=job_type),
        "wage_currency": "JPY",
        "wage_period": "month",
        "hours_per_week": 40,
        "contract_months": 36,
        "attache_status": "verified",
        "attache_reference": f"B-{agency.pk * 10 + len(title):03d}/ATNAKER/TYO/XI/2026",
        "attache_verified_on": timezone.localdate() - datetime.timedelta(days=6),
        **fields,
    }
    attache = _pdf("atase.pdf") if data["attache_status"] == "verified" else None
    order = services.job_order_create(
        actor=actor, agency=agency, data=data, costs=list(costs), attache_file=attache
    )
    return order, True


EMPLOYER_PAYS = [
    {
        "item": "ticket",
        "description": "Jakarta–Nagoya PP",
        "amount": Decimal(9_500_000),
        "paid_by": "employer",
    },
    {
        "item": "visa",
        "description": "CoE dan visa SSW",
        "amount": Decimal(1_200_000),
        "paid_by": "employer",
    },
    {"item": "agency_fee", "description": "", "amount": Decimal(0), "paid_by": "agency"},
    {
        "item": "training",
        "description": "Pelatihan bahasa dan keterampilan",
        "amount": Decimal(6_500_000),
        "paid_by": "city_budget",
    },
]


def _offer(application, agent, *, days_to_answer: int):
    services.application_shortlist(actor=agent, application=application)
    # the demo's history: scheduled yesterday for three hours ago, so the result follows it
    held = timezone.now() - datetime.timedelta(hours=3)
    scheduled = services.interview_schedule(
        actor=agent,
        application=application,
        at=held,
        mode="online",
        place="Zoom, tautan dikirim P3MI lewat Jalur",
        now=held - datetime.timedelta(days=1),
    )
    services.interview_record(
        actor=agent,
        application=application,
        result="passed",
        notes="Komunikasi baik",
        # the demo's history: the interview has taken place
        now=scheduled.interview_at + datetime.timedelta(hours=1),
    )
    services.application_select(actor=agent, application=application)
    order = application.order
    # The key terms are the approved order's: the offer may not be worse than what was verified.
    return services.offer_make(
        actor=agent,
        application=application,
        position_title=order.position_title,
        wage_amount=order.wage_amount,
        contract_months=order.contract_months,
        terms=f"Di {order.employer_name}; asrama disediakan; perkiraan berangkat 3 bulan lagi.",
        respond_by=timezone.localdate() + datetime.timedelta(days=days_to_answer),
    )


def seed(ctx: dict) -> None:
    today = timezone.localdate()
    users = ctx["users"]
    manager = users["manajer"]
    duta, sakura, banten = users["p3mi-duta"], users["p3mi-sakura"], users["p3mi-banten"]
    agencies = _agencies(ctx, today, manager)
    _agreements(agencies, today, manager)
    caregivers, workers = _people(ctx, today, manager)

    # Filled: a caregiver order (zero-cost job type) whose one place was accepted.
    order, new = _order(
        agencies["pt-sakura-karya"],
        actor=sakura,
        title="Caregiver (kaigo) panti werdha",
        employer="Shakai Fukushi Hojin Midori-kai",
        employer_city="Osaka",
        employer_sector="Panti werdha (kaigo)",
        pathway="jp-ssw-p2p",
        job_type="caregiver",
        positions=1,
        wage_amount=Decimal(205000),
        benefits="Asrama, asuransi kesehatan nasional, bonus tahunan",
        deadline=today + datetime.timedelta(days=25),
        sip2mi_number="KEP.2210/SIP2MI/PPTKLN/2026",
        sip2mi_quota=20,
        costs=EMPLOYER_PAYS,
    )
    if new:
        services.job_order_submit(actor=sakura, order=order)
        services.job_order_approve(actor=manager, order=order, reason="Lengkap")
        for person in caregivers[:1]:
            application = services.application_apply(
                candidate=person, order=order, actor=person.user or manager
            )
            offer = _offer(application, sakura, days_to_answer=7)
            services.offer_accept(actor=person.user or manager, application=offer)

    # Closed: an assembly order that was approved, then postponed by the employer; one person
    # declined its offer before that.
    order, new = _order(
        agencies["pt-duta-samudera"],
        actor=duta,
        title="Operator perakitan elektronik",
        employer="Hamamatsu Denshi K.K.",
        employer_city="Hamamatsu",
        employer_sector="Perakitan elektronik",
        pathway="jp-ssw-p2p",
        job_type="industrial",
        positions=1,
        wage_amount=Decimal(198000),
        deadline=today + datetime.timedelta(days=20),
        sip2mi_number="KEP.1987/SIP2MI/PPTKLN/2026",
        sip2mi_quota=30,
        costs=EMPLOYER_PAYS,
    )
    if new:
        services.job_order_submit(actor=duta, order=order)
        services.job_order_approve(actor=manager, order=order)
        for application in order.applications.order_by("rank")[:1]:
            offer = _offer(application, duta, days_to_answer=5)
            services.offer_decline(
                actor=application.candidate.user or manager,
                application=offer,
                reason="Memilih lowongan yang jadwal berangkatnya lebih awal",
            )
        services.job_order_close(
            actor=duta, order=order, reason="Pemberi kerja menunda permintaan sampai tahun depan"
        )

    # Approved and recruiting: recommendations at every step of selection.
    order, new = _order(
        agencies["pt-duta-samudera"],
        actor=duta,
        title="Operator mesin CNC",
        employer="Tokai Seiki K.K.",
        employer_city="Nagoya, Aichi",
        employer_sector="Komponen otomotif",
        pathway="jp-ssw-p2p",
        job_type="industrial",
        positions=2,
        min_height_cm=155,
        wage_amount=Decimal(215000),
        hours_per_week=40,
        benefits="Asrama (potongan JPY 20.000), asuransi, lembur dibayar 125%",
        deadline=today + datetime.timedelta(days=30),
        sip2mi_number="KEP.1987/SIP2MI/PPTKLN/2026",
        sip2mi_quota=30,
        costs=EMPLOYER_PAYS,
    )
    if new:
        services.job_order_submit(actor=duta, order=order)
        services.job_order_approve(actor=manager, order=order, reason="Sesuai PKS dan SIP2MI")
        steps = list(order.applications.order_by("rank"))
        if steps:
            _offer(steps[0], duta, days_to_answer=7)
        if len(steps) > 1:
            services.application_shortlist(actor=duta, application=steps[1])
            services.interview_schedule(
                actor=duta,
                application=steps[1],
                at=timezone.now() + datetime.timedelta(days=3),
                mode="in_person",
                place="Kantor PT Duta Samudera, Jl. Raya Cilegon Km 4, Serang",
            )
        if len(steps) > 2:
            services.application_shortlist(actor=duta, application=steps[2])
        if len(steps) > 3:
            person = steps[3].candidate
            services.application_apply(candidate=person, order=order, actor=person.user or manager)

    # Submitted, waiting for the city's review.
    order, new = _order(
        agencies["pt-duta-samudera"],
        actor=duta,
        title="Operator pengolahan makanan",
        employer="Chubu Shokuhin K.K.",
        employer_city="Gifu",
        employer_sector="Pengolahan makanan beku",
        pathway="jp-ssw-p2p",
        job_type="food-manufacturing",
        positions=4,
        wage_amount=Decimal(192000),
        deadline=today + datetime.timedelta(days=40),
        attache_status="pending",
        attache_reference="",
        attache_verified_on=None,
        sip2mi_number="KEP.2044/SIP2MI/PPTKLN/2026",
        sip2mi_quota=10,
        costs=EMPLOYER_PAYS,
    )
    if new:
        services.job_order_submit(actor=duta, order=order)

    # Returned for correction, with the reasons.
    order, new = _order(
        agencies["pt-sakura-karya"],
        actor=sakura,
        title="Pekerja perkebunan sayur",
        employer="Tokachi Nojo Kumiai",
        employer_city="Obihiro, Hokkaido",
        employer_sector="Pertanian sayur",
        pathway="jp-ssw-p2p",
        job_type="plantation",
        positions=5,
        wage_amount=Decimal(185000),
        hours_per_week=44,
        deadline=today + datetime.timedelta(days=35),
        sip2mi_number="KEP.2210/SIP2MI/PPTKLN/2026",
        sip2mi_quota=20,
        costs=EMPLOYER_PAYS,
    )
    if new:
        services.job_order_submit(actor=sakura, order=order)
        services.job_order_return(
            actor=manager,
            order=order,
            reason=(
                "Lampirkan kontrak kerja dalam bahasa Indonesia.\n"
                "Jelaskan jam kerja musim panen (44 jam/minggu melebihi kontrak standar)."
            ),
        )

    # Rejected.
    order, new = _order(
        agencies["pt-duta-samudera"],
        actor=duta,
        title="Pengecat blok kapal",
        employer="Setouchi Zosen K.K.",
        employer_city="Imabari",
        employer_sector="Galangan kapal",
        pathway="jp-ssw-p2p",
        job_type="painter",
        positions=3,
        wage_amount=Decimal(150000),
        deadline=today + datetime.timedelta(days=30),
        sip2mi_number="KEP.2044/SIP2MI/PPTKLN/2026",
        sip2mi_quota=10,
        costs=EMPLOYER_PAYS,
    )
    if new:
        services.job_order_submit(actor=duta, order=order)
        services.job_order_reject(
            actor=manager,
            order=order,
            reason="Upah JPY 150.000 di bawah upah minimum prefektur Ehime untuk 40 jam/minggu.",
        )

    # Drafts: one still being written, one blocked by the agency's expired licence.
    _order(
        agencies["pt-duta-samudera"],
        actor=duta,
        title="Juru las galangan kapal",
        employer="Hanjin Marine Co., Ltd.",
        employer_country="KR",
        employer_city="Busan",
        employer_sector="Galangan kapal",
        pathway="kr-e7",
        job_type="welder",
        positions=6,
        wage_amount=Decimal(2_600_000),
        wage_currency="KRW",
        deadline=today + datetime.timedelta(days=45),
        attache_status="pending",
        attache_reference="",
        attache_verified_on=None,
        sip2mi_number="",
    )
    _order(
        agencies["pt-banten-global"],
        actor=banten,
        title="Operator pabrik plastik",
        employer="Kansai Plastics K.K.",
        employer_city="Osaka",
        employer_sector="Plastik",
        pathway="jp-ssw-p2p",
        job_type="industrial",
        positions=3,
        wage_amount=Decimal(200000),
        deadline=today + datetime.timedelta(days=30),
        sip2mi_number="KEP.1503/SIP2MI/PPTKLN/2026",
        sip2mi_quota=5,
        costs=EMPLOYER_PAYS,
    )
    services.expiry_warnings_send(on=today)
    ctx["placement_orders"] = {
        status: JobOrder.objects.filter(status=status).count() for status in OrderStatus.values
    }
