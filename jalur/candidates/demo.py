"""Demo candidates in every stage that exists so far (seed_demo). Idempotent by NIK.

Besides the stage path, each candidate gets what that path implies: consent, document files (drawn
here, marked as demo), the verifier's document reviews and decisions, and one pair of possible
duplicates for the review queue.
"""

import datetime
import functools
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from jalur.accounts.models import User
from jalur.accounts.roles import Role
from jalur.accounts.services import user_create
from jalur.regions.selectors import home_villages
from jalur.rules.identity import nik_build

from .models import (
    Candidate,
    Decision,
    DocumentType,
    Education,
    MaritalStatus,
    RegistrationChannel,
    Sex,
    VerificationDecision,
)
from .routes import job_type_countries
from .selectors import consent_current
from .services import (
    candidate_consent_give,
    candidate_history_start,
    candidate_register,
    candidate_stage_change,
    document_review,
    document_upload,
)
from .stages import Stage

FIRST_M = [
    "Agus",
    "Budi",
    "Dimas",
    "Eko",
    "Fajar",
    "Gilang",
    "Hadi",
    "Irfan",
    "Joko",
    "Rizki",
    "Samsul",
    "Teguh",
]
FIRST_F = [
    "Ani",
    "Dewi",
    "Euis",
    "Fitri",
    "Indah",
    "Lina",
    "Nur",
    "Putri",
    "Ratna",
    "Sri",
    "Wulan",
    "Yuli",
]
LAST = [
    "Hidayat",
    "Saputra",
    "Permana",
    "Kurniasih",
    "Rohmah",
    "Maulana",
    "Setiawan",
    "Lestari",
    "Nurhayati",
    "Firmansyah",
]

# (stage path to walk through, how many)
PATHS = [
    ([], 3),
    ([Stage.REGISTERED], 5),
    ([Stage.REGISTERED, Stage.CORRECTION], 2),
    ([Stage.REGISTERED, Stage.VERIFIED], 8),
    ([Stage.REGISTERED, Stage.REJECTED], 1),
    ([Stage.WITHDRAWN], 1),
    # verified later: the people the departure demo takes from training to departure
    ([Stage.REGISTERED, Stage.VERIFIED], 8),
]


def seed(ctx: dict) -> None:
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    villages = list(home_villages())
    verifier = ctx["users"]["verifikator"]
    officer = ctx["users"]["pendaftaran"]
    serial = 1
    today = timezone.localdate()
    for path, count in PATHS:
        for _ in range(count):
            female = rng.random() < 0.55
            birth = datetime.date(rng.randint(1988, 2005), rng.randint(1, 12), rng.randint(1, 28))
            village = rng.choice(villages)
            nik = nik_build(
                district_code=village.district_id, birth_date=birth, female=female, serial=serial
            )
            serial += 1
            name = f"{rng.choice(FIRST_F if female else FIRST_M)} {rng.choice(LAST)}"
            phone = f"+62812{rng.randint(10000000, 99999999)}"
            username = f"pencaker{serial - 1:03d}"
            fields = {
                "nik": nik,
                "kk_number": f"{village.district_id.replace('.', '')}{rng.randint(1000000000, 9999999999)}",
                "full_name": name,
                "birth_place": "Serang",
                "birth_date": birth,
                "sex": Sex.FEMALE if female else Sex.MALE,
                "marital_status": rng.choice(MaritalStatus.values),
                "district_id": village.district_id,
                "village": village,
                "rt": f"{rng.randint(1, 12):03d}",
                "rw": f"{rng.randint(1, 8):03d}",
                "street": f"Jl. Kampung {rng.choice(['Baru', 'Sawah', 'Pasar', 'Masjid'])} No. {rng.randint(1, 99)}",
                "phone": phone,
                "emergency_name": f"{rng.choice(FIRST_M)} {rng.choice(LAST)}",
                "emergency_relation": rng.choice(["Orang tua", "Suami/istri", "Saudara"]),
                "emergency_phone": f"+62813{rng.randint(10000000, 99999999)}",
                "education_level": rng.choice(
                    [Education.SMP, Education.SMA, Education.SMK, Education.SMK, Education.D3]
                ),
                "height_cm": rng.randint(150, 180),
                "weight_kg": rng.randint(45, 80),
                "preferred_countries": [rng.choice(["KR", "JP"])],
                "channel": rng.choice(RegistrationChannel.values),
                "registered_by": officer,
                "consent_version": "2026-01",
                "consent_at": timezone.now(),
            }
            start_days = rng.randint(20, 60)
            steps = [rng.randint(1, 6) for _ in path]
            if Candidate.objects.filter(nik=nik).exists():
                continue
            user = User.objects.filter(username=username).first() or user_create(
                actor=officer,
                username=username,
                role=Role.CANDIDATE,
                full_name=name,
                phone=phone,
            )  # the demo password is set once for all by seed_demo
            candidate = Candidate.objects.create(user=user, **fields)
            start = timezone.now() - datetime.timedelta(days=start_days)
            candidate_history_start(candidate=candidate, actor=officer, at=start)
            moment = start
            for stage, step in zip(path, steps, strict=True):
                moment = min(moment + datetime.timedelta(days=step), timezone.now())
                actor = (
                    verifier
                    if stage in {Stage.VERIFIED, Stage.CORRECTION, Stage.REJECTED}
                    else user
                )
                reason = {
                    Stage.CORRECTION: "Foto KK buram; unggah ulang yang jelas.",
                    Stage.REJECTED: "Usia di bawah syarat program saat pendaftaran ulang.",
                    Stage.WITHDRAWN: "Mendapat pekerjaan di dalam negeri.",
                }.get(stage, "")
                candidate_stage_change(
                    candidate=candidate,
                    to_stage=stage,
                    actor=actor,
                    reason=reason,
                    at=moment,
                    notify_candidate=False,
                )
    _duplicate_pair(officer)
    _job_preferences()
    for candidate in Candidate.objects.select_related("user").order_by("pk"):
        _paperwork(candidate, officer=officer, verifier=verifier)
    ctx["candidates"] = list(Candidate.objects.order_by("pk"))
    ctx.setdefault("logins", []).append((Role.CANDIDATE.label, "pencaker004 (atau nomor HP-nya)"))
    ctx["today"] = today


def _job_preferences() -> None:
    """Every seeded person who chose a country wants a job an open legal pathway takes there, as a
    real registration must before it is sent; without it the whole verification queue is blocked.
    The job is picked by record number, so seeding again picks the same one (and adds nothing)."""
    jobs_for: dict[str, list[int]] = {}
    for job_type_id, countries in sorted(job_type_countries().items()):
        for country in countries:
            jobs_for.setdefault(country, []).append(job_type_id)
    through = Candidate.preferred_job_types.through
    rows = []
    for candidate in Candidate.objects.filter(preferred_job_types__isnull=True).order_by("pk"):
        options = [
            job for country in candidate.preferred_countries for job in jobs_for.get(country, [])
        ]
        if options:
            rows.append(
                through(candidate_id=candidate.pk, jobtype_id=options[candidate.pk % len(options)])
            )
    through.objects.bulk_create(rows)


def _demo_file(title: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("contoh.jpg", _demo_image(title), content_type="image/jpeg")


@functools.cache
def _demo_image(title: str) -> bytes:
    """A photographed document, as a phone sends it (JPEG): drawn once per document type, because
    encoding one per upload, and as PNG, took a fifth of the whole seed."""
    image = Image.new("RGB", (800, 500), (236, 242, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 790, 490), outline=(11, 83, 148), width=4)
    draw.text((40, 60), f"CONTOH: {title}", fill=(11, 83, 148))
    draw.text((40, 110), "Data demo Jalur - bukan dokumen asli", fill=(82, 96, 109))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _paperwork(candidate: Candidate, *, officer, verifier) -> None:
    """Consent, documents, reviews and decisions that fit the candidate's stage path."""
    actor = candidate.user if candidate.channel == RegistrationChannel.SELF else officer
    stages = set(candidate.stage_history.values_list("to_stage", flat=True))
    consent = consent_current()
    if Stage.REGISTERED in stages and consent and not candidate.consents.exists():
        candidate_consent_give(
            candidate=candidate, consent=consent, actor=actor, channel=candidate.channel
        )
    if candidate.documents.exists() or candidate.stage == Stage.WITHDRAWN:
        return
    types = DocumentType.objects.filter(required=True, stage=Stage.REGISTERING)
    if candidate.stage == Stage.REGISTERING:
        types = types.filter(code__in=["ktp", "pas-foto"])  # still filling in
    documents = [
        document_upload(
            candidate=candidate, document_type=t, upload=_demo_file(t.name), actor=actor
        )
        for t in types
    ]
    if candidate.stage in (Stage.VERIFIED, Stage.REJECTED):
        for document in documents:
            document_review(document=document, actor=verifier, accept=True)
    if candidate.stage == Stage.CORRECTION:
        for document in documents:
            ok = document.document_type.code != "kk"
            document_review(
                document=document, actor=verifier, accept=ok, reason="" if ok else "Foto KK buram."
            )
    decision = {
        Stage.VERIFIED: (Decision.VERIFIED, [], ""),
        Stage.CORRECTION: (Decision.CORRECTION, ["Kartu Keluarga: foto buram, unggah ulang."], ""),
        Stage.REJECTED: (
            Decision.REJECTED,
            [],
            "Usia di bawah syarat program saat pendaftaran ulang.",
        ),
    }.get(candidate.stage)
    if decision and not candidate.decisions.exists():
        VerificationDecision.objects.create(
            candidate=candidate,
            decision=decision[0],
            items=decision[1],
            reason=decision[2],
            actor=verifier,
            created_at=candidate.stage_changed_at,
        )


def _duplicate_pair(officer) -> None:
    """A second registration with the phone of a waiting candidate: it lands in the duplicate review."""
    waiting = Candidate.objects.filter(stage=Stage.REGISTERED).order_by("pk").first()
    birth = datetime.date(1996, 3, 9)
    nik = nik_build(district_code="36.73.04", birth_date=birth, female=False, serial=901)
    if waiting is None or Candidate.objects.filter(nik=nik).exists():
        return
    candidate_register(
        data={
            "nik": nik,
            "full_name": "Dimas Permana",
            "birth_place": "Serang",
            "birth_date": birth,
            "sex": Sex.MALE,
            "village": waiting.village_id,
            "phone": waiting.phone,
        },
        actor=officer,
        channel=RegistrationChannel.WALK_IN,
    )
