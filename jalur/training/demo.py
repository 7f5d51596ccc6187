"""Demo training (seed_demo): two providers, the programme's courses, a completed cohort with
certificates, a cohort in progress with its register, and a planned one. Idempotent: a cohort that
exists is left as it is, so running twice creates nothing new.

Every write goes through the services, back-dated with `at=` so stage histories stay in order:
a candidate joins a cohort no earlier than two hours after they were verified.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from jalur.candidates.models import StageHistory
from jalur.candidates.stages import Stage
from jalur.pathways.models import JobType, Pathway

from .models import Cohort, Enrolment, EnrolmentStatus, Programme, Provider, ProviderKind
from .services import (
    assessment_record,
    attendance_register_save,
    cohort_close,
    cohort_create,
    cost_record,
    enrolment_create,
    programme_create,
    provider_create,
    sessions_schedule,
)

PROVIDERS = {
    "lpk-hana": {
        "kind": ProviderKind.LPK,
        "licence_number": "KEP.563/LATTAS/2024",
        "licence_valid_until": datetime.date(2029, 6, 30),
        "address": "Jl. Ahmad Yani No. 12, Cipare, Serang",
        "contact_name": "Kim Ji-hye",
        "contact_phone": "+6281311200451",
        "contact_email": "staf@lpkhana.local",
    },
    "blk-serang": {
        "kind": ProviderKind.BLK,
        "licence_number": "UPTD-BLK/800/2023",
        "licence_valid_until": datetime.date(2030, 12, 31),
        "address": "Jl. Raya Taktakan No. 3, Taktakan, Serang",
        "contact_name": "Dedi Kurniawan",
        "contact_phone": "+6281911044327",
        "contact_email": "staf@blkserang.local",
    },
}


def _req(test, min_score=None, min_level="", official=False):
    return {"test": test, "min_score": min_score, "min_level": min_level, "official": official}


# code, name, kind, hours, pathways, job types, required results, active, description
PROGRAMMES = [
    (
        "korea-eps-topik",
        "Bahasa Korea persiapan EPS-TOPIK",
        "language",
        300,
        ["kr-eps-g2g", "kr-e7"],
        ["industrial", "welder", "painter", "plantation"],
        [_req("eps_topik", 80)],
        True,
        "Membaca dan mendengar sesuai format EPS-TOPIK (40 soal, 50 menit); simulasi CBT tiap bulan.",
    ),
    (
        "jepang-jft-n4",
        "Bahasa Jepang JFT-Basic A2 / JLPT N4",
        "language",
        200,
        ["jp-ssw-p2p", "jp-ssw-mandiri", "jp-titp"],
        [],
        [_req("jft_basic")],
        True,
        "Target JFT-Basic ≥ 200 (A2) atau JLPT N4, syarat bahasa SSW.",
    ),
    (
        "jepang-n3-pengemudi",
        "Bahasa Jepang N3 untuk pengemudi",
        "language",
        450,
        ["jp-ssw-driver"],
        ["driver"],
        [_req("jlpt", min_level="N3", official=True)],
        True,
        "Bus dan taksi memerlukan JLPT N3; truk N4.",
    ),
    (
        "keterampilan-caregiver",
        "Keterampilan caregiver (kaigo)",
        "skill",
        200,
        ["jp-ssw-p2p", "jp-ssw-mandiri", "jp-ijepa"],
        ["caregiver"],
        [_req("skill")],
        True,
        "Perawatan lansia, komunikasi, persiapan ujian keterampilan kaigo.",
    ),
    (
        "keterampilan-mengemudi",
        "Mengemudi dan persiapan SIM Jepang",
        "skill",
        180,
        ["jp-ssw-driver"],
        ["driver"],
        [_req("skill")],
        True,
        "Aturan lalu lintas Jepang dan persiapan ujian keterampilan angkutan otomotif.",
    ),
    (
        "keterampilan-perkebunan",
        "Pertanian dan perkebunan",
        "skill",
        160,
        ["jp-ssw-p2p", "kr-eps-g2g"],
        ["plantation"],
        [_req("skill")],
        True,
        "Budidaya tanaman dan peternakan, persiapan ujian SSW pertanian.",
    ),
    (
        # a one-week operator course of full days (the express cohorts of later stages' demos)
        "keterampilan-manufaktur",
        "Operator produksi manufaktur",
        "skill",
        40,
        ["kr-eps-g2g", "jp-ssw-p2p"],
        ["industrial", "food-manufacturing"],
        [_req("skill")],
        True,
        "K3, pengoperasian mesin, pengemasan; persiapan uji keterampilan EPS dan SSW.",
    ),
    (
        "keterampilan-pengelasan",
        "Pengelasan SMAW/FCAW",
        "skill",
        240,
        ["kr-e7", "jp-ssw-p2p"],
        ["welder"],
        [_req("competency", official=True)],
        True,
        "Sertifikasi kompetensi juru las oleh LSP berlisensi BNSP.",
    ),
]


def _aware(day: datetime.date, hour: int = 8) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _verified_at(candidate) -> datetime.datetime:
    row = (
        StageHistory.objects.filter(candidate=candidate, to_stage=Stage.VERIFIED)
        .order_by("-created_at")
        .first()
    )
    return row.created_at if row else candidate.stage_changed_at


def _enrol(cohort, candidate, actor, earliest):
    at = max(earliest, _verified_at(candidate) + datetime.timedelta(hours=2))
    if timezone.localtime(at).date() > cohort.end_date or at > timezone.now():
        return None
    try:
        return enrolment_create(cohort=cohort, candidate=candidate, actor=actor, at=at)
    except ValidationError as error:
        if error.code == "cannot_pass":  # verified too late to pass this cohort
            return None
        raise


def _take_registers(cohort, actor, absences: dict[int, set[int]], until: datetime.date):
    """Save the register of each session up to `until`; absences maps enrolment pk -> session numbers."""
    for number, session in enumerate(cohort.sessions.filter(date__lte=until).order_by("date")):
        statuses = {pk: "absent" for pk, days in absences.items() if number in days}
        if number % 7 == 3:
            statuses.setdefault(next(iter(absences), 0), "late")
        attendance_register_save(
            session=session, statuses=statuses, actor=actor, at=_aware(session.date, 12)
        )


def seed(ctx: dict) -> None:
    users, orgs = ctx["users"], ctx["organisations"]
    manager = users["manajer"]
    today = timezone.localdate()
    providers = {}
    for code, data in PROVIDERS.items():
        org = orgs[code]
        providers[code] = Provider.objects.filter(organisation=org).first() or provider_create(
            actor=manager, organisation=org, data=data
        )
    programmes = {}
    for code, name, kind, hours, pathways, jobs, required, active, text in PROGRAMMES:
        programmes[code] = Programme.objects.filter(code=code).first() or programme_create(
            actor=manager,
            data={
                "code": code,
                "name": name,
                "kind": kind,
                "hours": hours,
                "required_assessments": required,
                "is_active": active,
                "description": text,
            },
            # only pathways open today: Japan's TITP closes on 1 April 2027, and a programme is
            # refused for a closed one
            pathways=[p for p in Pathway.objects.filter(code__in=pathways) if p.is_open(today)],
            job_types=JobType.objects.filter(code__in=jobs),
        )
    ctx["training_programmes"] = programmes

    verified = [c for c in ctx.get("candidates", []) if c.stage == Stage.VERIFIED]
    staff_blk, staff_hana = users["blk-serang"], users["lpk-hana"]

    # 1. A Japanese course at the BLK that ended last week: certificates issued.
    name = "Angkatan 1/2026"
    japanese = programmes["jepang-jft-n4"]
    if not Cohort.objects.filter(programme=japanese, name=name).exists():
        start, end = today - datetime.timedelta(days=40), today - datetime.timedelta(days=4)
        cohort = cohort_create(
            actor=manager,
            programme=japanese,
            provider=providers["blk-serang"],
            data={
                "name": name,
                "start_date": start,
                "end_date": end,
                "venue": "Ruang Bahasa, UPTD BLK Kota Serang",
                "instructor": "Sato Yumi",
                "capacity": 20,
            },
        )
        sessions_schedule(
            actor=staff_blk,
            cohort=cohort,
            first_date=start,
            last_date=end,
            weekdays=[0, 1, 2, 3, 4],
            start_time=datetime.time(8, 0),
            end_time=datetime.time(16, 0),
            topic="Bahasa Jepang (JFT-Basic)",
        )
        trainees = [
            e for e in (_enrol(cohort, c, manager, _aware(start, 7)) for c in verified[:4]) if e
        ]
        verified = verified[4:]
        absences = {e.pk: set() for e in trainees}
        if len(trainees) >= 4:
            absences[trainees[3].pk] = set(range(0, 26, 2))  # attends about half
        _take_registers(cohort, staff_blk, absences, end)
        for enrolment, mock in zip(trainees, [214, 206, 221, 188], strict=False):
            assessment_record(
                candidate=enrolment.candidate,
                enrolment=enrolment,
                actor=staff_blk,
                data={
                    "test": "jft_basic",
                    "kind": "mock",
                    "taken_on": end - datetime.timedelta(days=3),
                    "score": mock,
                },
            )
        if trainees:
            assessment_record(
                candidate=trainees[0].candidate,
                enrolment=trainees[0],
                actor=staff_blk,
                data={
                    "test": "jft_basic",
                    "kind": "official",
                    "taken_on": end - datetime.timedelta(days=1),
                    "score": 212,
                    "notes": "Hasil CBT Japan Foundation, Jakarta",
                },
            )
            assessment_record(
                candidate=trainees[0].candidate,
                actor=staff_blk,
                data={
                    "test": "skill",
                    "kind": "official",
                    "taken_on": end - datetime.timedelta(days=1),
                    "title": "Nursing Care Skills Evaluation Test",
                    "issuer": "Prometric Indonesia",
                    "passed": True,
                    "score": 78,
                    "job_type": JobType.objects.get(code="caregiver"),
                },
            )
            assessment_record(
                candidate=trainees[0].candidate,
                actor=staff_blk,
                data={
                    "test": "kaigo_jp",
                    "kind": "official",
                    "taken_on": end - datetime.timedelta(days=1),
                    "issuer": "Prometric Indonesia",
                    "passed": True,
                    "notes": "Nursing Care Japanese Language Evaluation Test",
                },
            )
        for item, amount, desc in [
            ("instructor", 28_800_000, "Honor instruktur 144 sesi × Rp 200.000"),
            ("materials", 3_400_000, "Modul Irodori dan latihan JFT"),
            ("test_fee", 2_100_000, "Biaya JFT-Basic resmi"),
        ]:
            cost_record(
                cohort=cohort,
                actor=manager,
                data={
                    "item": item,
                    "amount": Decimal(amount),
                    "description": desc,
                    "legal_basis": "DPA Disnakertrans Kota Serang 2026",
                },
            )
        cohort_close(
            cohort=cohort, actor=staff_blk, at=_aware(end + datetime.timedelta(days=1), 10)
        )

    # 2. A Korean course at LPK Hana in progress: registers up to yesterday, today's still to take.
    name = "Angkatan 2/2026"
    korean = programmes["korea-eps-topik"]
    if not Cohort.objects.filter(programme=korean, name=name).exists():
        start, end = today - datetime.timedelta(days=18), today + datetime.timedelta(days=60)
        cohort = cohort_create(
            actor=manager,
            programme=korean,
            provider=providers["lpk-hana"],
            data={
                "name": name,
                "start_date": start,
                "end_date": end,
                "venue": "Kelas 2, LPK Hana, Jl. Ahmad Yani 12",
                "instructor": "Park Min-jun",
                "capacity": 3,
            },
        )
        sessions_schedule(
            actor=staff_hana,
            cohort=cohort,
            first_date=start,
            last_date=end,
            weekdays=[0, 1, 2, 3, 4, 5],
            start_time=datetime.time(13, 0),
            end_time=datetime.time(16, 0),
            topic="Bahasa Korea (EPS-TOPIK)",
        )
        trainees = [
            e for e in (_enrol(cohort, c, manager, _aware(start, 7)) for c in verified[:4]) if e
        ]
        verified = verified[4:]
        seated = [e for e in trainees if e.status == EnrolmentStatus.ENROLLED]
        absences = {e.pk: set() for e in seated}
        if seated:
            absences[seated[-1].pk] = {2, 5}
        _take_registers(cohort, staff_hana, absences, today - datetime.timedelta(days=1))
        for enrolment, (reading, listening) in zip(
            seated, [(55, 48), (41, 36), (62, 58)], strict=False
        ):
            assessment_record(
                candidate=enrolment.candidate,
                enrolment=enrolment,
                actor=staff_hana,
                data={
                    "test": "eps_topik",
                    "kind": "mock",
                    "taken_on": today - datetime.timedelta(days=2),
                    "reading": reading,
                    "listening": listening,
                },
            )
        cost_record(
            cohort=cohort,
            actor=manager,
            data={
                "item": "instructor",
                "amount": Decimal(18_000_000),
                "description": "Honor instruktur bahasa Korea",
                "legal_basis": "DPA Disnakertrans Kota Serang 2026",
            },
        )

    # 3. A caregiver course at the BLK that starts next month (enrolment open).
    name = "Angkatan 1/2026"
    caregiver = programmes["keterampilan-caregiver"]
    if not Cohort.objects.filter(programme=caregiver, name=name).exists():
        start = today + datetime.timedelta(days=21)
        cohort = cohort_create(
            actor=manager,
            programme=caregiver,
            provider=providers["blk-serang"],
            data={
                "name": name,
                "start_date": start,
                "end_date": start + datetime.timedelta(days=45),
                "venue": "Lab Perawatan, UPTD BLK Kota Serang",
                "instructor": "Ns. Rahmawati, S.Kep.",
                "capacity": 16,
            },
        )
        sessions_schedule(
            actor=staff_blk,
            cohort=cohort,
            first_date=start,
            last_date=start + datetime.timedelta(days=45),
            weekdays=[0, 2, 4],
            start_time=datetime.time(8, 0),
            end_time=datetime.time(15, 0),
            topic="Perawatan lansia (kaigo)",
        )

    ctx["trained"] = [
        e.candidate
        for e in Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED).select_related(
            "candidate"
        )
    ]
