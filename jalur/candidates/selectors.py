"""Reads for candidates: the registration checklist, what blocks verification, the journey shown to
the candidate, staff lists and queues (a fixed number of queries per page), and the columns each
user may see."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import F, Func, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalur.accounts.roles import can
from jalur.core.phone import format_phone, normalize_phone
from jalur.rules.identity import age_on, nik_birth_mismatch

from .access import candidates_for
from .models import (
    Candidate,
    CandidateDocument,
    ConsentText,
    DocumentStatus,
    DocumentType,
    DuplicateFlag,
    StageHistory,
    VerificationDecision,
)
from .rules import REQUIRED
from .stages import JOURNEY, NEXT_STEP, Stage

SECTION_LABELS = {
    "identity": gettext_lazy("Data diri"),
    "address": gettext_lazy("Alamat dan kontak"),
    "education": gettext_lazy("Pendidikan dan pekerjaan"),
    "preferences": gettext_lazy("Negara dan pekerjaan tujuan"),
    "documents": gettext_lazy("Dokumen"),
    "consent": gettext_lazy("Persetujuan penggunaan data"),
}

# What happens in each stage of the journey, in plain words for the candidate.
JOURNEY_HELP = {
    Stage.REGISTERING: gettext_lazy(
        "Isi data diri, alamat, pendidikan dan minat, unggah dokumen, lalu setujui penggunaan data."
    ),
    Stage.REGISTERED: gettext_lazy(
        "Petugas Disnakertrans memeriksa data dan dokumen Anda satu per satu."
    ),
    Stage.VERIFIED: gettext_lazy("Data Anda sah dan Anda bisa mengikuti pelatihan."),
    Stage.TRAINING: gettext_lazy(
        "Pelatihan bahasa Korea/Jepang dan keterampilan, dibiayai pemerintah kota."
    ),
    Stage.TRAINED: gettext_lazy("Anda lulus ujian bahasa dan keterampilan."),
    Stage.SELECTION: gettext_lazy(
        "Wawancara dan seleksi oleh perusahaan penempatan resmi dan pemberi kerja."
    ),
    Stage.PRE_DEPARTURE: gettext_lazy(
        "Cek kesehatan, paspor, kontrak kerja, visa dan orientasi sebelum berangkat."
    ),
    Stage.READY: gettext_lazy("Semua dokumen lengkap; tinggal menunggu jadwal berangkat."),
    Stage.DEPARTED: gettext_lazy(
        "Bekerja di negara tujuan. Lapor kabar rutin; laporkan jika ada masalah."
    ),
    Stage.RETURNED: gettext_lazy("Kembali ke tanah air; petugas membantu program reintegrasi."),
}


@dataclass(frozen=True)
class ChecklistItem:
    section: str
    label: str
    done: bool
    detail: str = ""


def consent_current() -> ConsentText | None:
    return ConsentText.objects.filter(is_current=True).first()


def _empty(candidate: Candidate, name: str, job_type_ids: list[int]) -> bool:
    if name == "village":
        return candidate.village_id is None
    if name == "preferred_job_types":
        return not job_type_ids
    value = getattr(candidate, name)
    return value in (None, "", [])


def _field_label(name: str) -> str:
    if name == "village":
        return str(gettext_lazy("kelurahan"))
    return str(Candidate._meta.get_field(name).verbose_name)


def document_types_for(candidate: Candidate) -> list[DocumentType]:
    """Active document types the candidate's stage has reached (registration types from the start)."""
    reached = _journey_position(candidate)
    return [
        t
        for t in DocumentType.objects.filter(is_active=True)
        if t.stage not in JOURNEY or JOURNEY.index(t.stage) <= reached
    ]


def current_documents(candidate: Candidate) -> dict[int, CandidateDocument]:
    """{document type id: the current (not superseded) document}."""
    return {
        d.document_type_id: d
        for d in CandidateDocument.objects.filter(
            candidate=candidate, superseded_at__isnull=True
        ).select_related("document_type", "reviewed_by")
    }


def document_rows(candidate: Candidate, *, today: datetime.date) -> list[dict]:
    """One row per document type the candidate needs now, with the current upload if any."""
    documents = current_documents(candidate)
    rows = []
    for doc_type in document_types_for(candidate):
        document = documents.get(doc_type.pk)
        expired = bool(document and document.is_expired_on(today))
        rows.append(
            {
                "type": doc_type,
                "document": document,
                "expired": expired,
                "status": DocumentStatus.EXPIRED
                if expired
                else (document.status if document else ""),
            }
        )
    return rows


def registration_checklist(candidate: Candidate, *, today: datetime.date) -> list[ChecklistItem]:
    """Everything a registration needs before it can be sent, each marked done or not."""
    job_type_ids = list(candidate.preferred_job_types.values_list("pk", flat=True))
    items = []
    for section, required in REQUIRED.items():
        missing = [_field_label(n) for n in required if _empty(candidate, n, job_type_ids)]
        items.append(
            ChecklistItem(section, str(SECTION_LABELS[section]), not missing, ", ".join(missing))
        )
    for row in document_rows(candidate, today=today):
        if not (row["type"].required and row["type"].stage == Stage.REGISTERING):
            continue
        status, document = row["status"], row["document"]
        detail = ""
        if status == DocumentStatus.REJECTED:
            detail = _("ditolak: %(reason)s") % {"reason": document.rejection_reason}
        elif status == DocumentStatus.EXPIRED:
            detail = _("sudah tidak berlaku")
        elif not document:
            detail = _("belum diunggah")
        items.append(
            ChecklistItem(
                "documents",
                row["type"].name,
                status in (DocumentStatus.UPLOADED, DocumentStatus.ACCEPTED),
                detail,
            )
        )
    items.append(
        ChecklistItem("consent", str(SECTION_LABELS["consent"]), candidate.consent_at is not None)
    )
    return items


def registration_missing(candidate: Candidate, *, today: datetime.date) -> list[ChecklistItem]:
    return [item for item in registration_checklist(candidate, today=today) if not item.done]


def birth_date_warning(candidate: Candidate, *, today: datetime.date) -> str:
    """The NIK/birth-date warning while no officer has confirmed the date, else ''."""
    if candidate.birth_date_confirmed_at:
        return ""
    return nik_birth_mismatch(candidate.nik, candidate.birth_date, today=today)


def verification_blockers(candidate: Candidate, *, today: datetime.date) -> list[str]:
    """Why the candidate cannot be marked verified yet (empty: they can)."""
    blockers = [
        _("%(item)s belum lengkap (%(detail)s).") % {"item": item.label, "detail": item.detail}
        for item in registration_missing(candidate, today=today)
        if item.section not in ("documents", "consent")
    ]
    if candidate.consent_at is None:
        blockers.append(_("Belum ada persetujuan penggunaan data pribadi."))
    for row in document_rows(candidate, today=today):
        doc_type, status = row["type"], row["status"]
        if status == DocumentStatus.UPLOADED:
            blockers.append(_("%(doc)s belum diperiksa.") % {"doc": doc_type.name})
        elif (
            doc_type.required
            and doc_type.stage == Stage.REGISTERING
            and status != DocumentStatus.ACCEPTED
        ):
            blockers.append(_("%(doc)s wajib dan belum diterima.") % {"doc": doc_type.name})
    if birth_date_warning(candidate, today=today):
        blockers.append(
            _("Tanggal lahir berbeda dengan NIK dan belum dicocokkan dengan KTP oleh petugas.")
        )
    flags = DuplicateFlag.objects.filter(Q(first=candidate) | Q(second=candidate))
    if flags.filter(status=DuplicateFlag.Status.OPEN).exists():
        blockers.append(_("Ada kemungkinan duplikat yang belum diperiksa."))
    for flag in flags.filter(status=DuplicateFlag.Status.CONFIRMED).select_related(
        "first", "second"
    ):
        other = flag.second if flag.first_id == candidate.pk else flag.first
        if other.stage not in (Stage.REJECTED, Stage.WITHDRAWN):
            blockers.append(
                _(
                    "Dikonfirmasi sebagai orang yang sama dengan pencari kerja #%(pk)s yang masih aktif: tolak salah satu pendaftaran."
                )
                % {"pk": other.pk}
            )
    return blockers


def correction_items(candidate: Candidate, *, today: datetime.date) -> list[str]:
    """The verifier's "what to fix" list to start from: every rejected document with its reason,
    then whatever else the candidate must still do (what only an officer can do is left out)."""
    items = []
    for row in document_rows(candidate, today=today):
        doc_type, status, document = row["type"], row["status"], row["document"]
        needed = doc_type.required and doc_type.stage == Stage.REGISTERING
        if status == DocumentStatus.REJECTED:
            items.append(f"{doc_type.name}: {document.rejection_reason}".rstrip(": "))
        elif status == DocumentStatus.EXPIRED and needed:
            items.append(
                _("%(doc)s: sudah tidak berlaku; unggah yang baru.") % {"doc": doc_type.name}
            )
        elif document is None and needed:
            items.append(_("%(doc)s: belum diunggah.") % {"doc": doc_type.name})
    items += [
        _("%(item)s belum lengkap (%(detail)s).") % {"item": item.label, "detail": item.detail}
        for item in registration_missing(candidate, today=today)
        if item.section not in ("documents", "consent")
    ]
    if candidate.consent_at is None:
        items.append(_("Belum ada persetujuan penggunaan data pribadi."))
    return items


def _journey_position(candidate: Candidate) -> int:
    """Index in JOURNEY of where the candidate stands (off-path stages: the last stage reached)."""
    if candidate.stage in JOURNEY:
        return JOURNEY.index(candidate.stage)
    if candidate.stage == Stage.CORRECTION:
        return JOURNEY.index(Stage.REGISTERED)
    last = (
        StageHistory.objects.filter(candidate=candidate, to_stage__in=JOURNEY)
        .order_by("-created_at", "-id")
        .values_list("to_stage", flat=True)
        .first()
    )
    return JOURNEY.index(last) if last else 0


def candidate_journey(candidate: Candidate) -> list[dict]:
    """Every stage of the whole path, marked done / current / todo (or stopped, when rejected or
    withdrawn), with what happens there."""
    position = _journey_position(candidate)
    stopped = candidate.stage in (Stage.REJECTED, Stage.WITHDRAWN)
    steps = []
    for index, stage in enumerate(JOURNEY):
        if index < position or (index == position and stage == Stage.RETURNED):
            state = "done"
        elif index == position:
            state = "stopped" if stopped else "current"
        else:
            state = "todo"
        label = Stage(stage).label
        if index == position and candidate.stage not in JOURNEY:
            label = f"{label}: {Stage(candidate.stage).label}"
        steps.append({"stage": stage, "label": label, "help": JOURNEY_HELP[stage], "state": state})
    return steps


def next_step(candidate: Candidate | None) -> str:
    if candidate is None:
        return str(NEXT_STEP[Stage.REGISTERING])
    return str(NEXT_STEP[candidate.stage])


def latest_decision(candidate: Candidate) -> VerificationDecision | None:
    return candidate.decisions.select_related("actor").first()


def candidate_sections(candidate: Candidate, user) -> list[dict]:
    """Sections other apps add to the candidate pages (AppConfig.candidate_sections)."""
    sections = []
    for config in apps.get_app_configs():
        provider = getattr(config, "candidate_sections", None)
        if callable(provider):
            sections.extend(provider(candidate, user) or [])
    return sections


# --- staff lists -----------------------------------------------------------------------------------


_SEARCH_SEPARATORS = re.compile(r"[\s\-.()/+]")


def candidate_search(queryset: QuerySet, q: str, *, user) -> QuerySet:
    """A name or a record number; for users who may see identities, also a phone in any form the
    forms accept (0812…, +62 812-…, 62812…; a worker's number abroad, +82 10-…, +81 90-…), a
    whole NIK, its start, or the last four digits the list shows. Others cannot search by NIK or
    phone: a hit would tell them whose number it is, and trying one digit after another would
    spell out a NIK."""
    q = (q or "").strip()
    if not q:
        return queryset
    number = _SEARCH_SEPARATORS.sub("", q)
    if not number.isdigit():
        return queryset.filter(full_name__icontains=q)
    match = Q(pk__in=[])
    if len(number) < 8:
        match |= Q(pk=int(number))
    if can(user, "candidates.view_identity"):
        phone = normalize_phone(q)
        if phone:
            match |= Q(phone=phone)
        abroad = normalize_phone(q, any_country=True)  # a worker's number abroad (+82…, +81…)
        if abroad:
            match |= Q(phone_abroad=abroad)
        if len(number) == 16:
            match |= Q(nik=number)
        elif len(number) == 4:
            match |= Q(nik__endswith=number)
        elif len(number) >= 8:
            match |= Q(nik__startswith=number)
    return queryset.filter(match)


CANDIDATE_ORDER = ("-created_at", "-pk")
QUEUE_ORDER = ("stage_changed_at", "pk")


def candidate_list(
    user,
    *,
    stage: str = "",
    district: str = "",
    village: str = "",
    q: str = "",
) -> QuerySet[Candidate]:
    """The candidates `user` may see, filtered; rows carry what the list and export show."""
    queryset = (
        candidates_for(user)
        .select_related("district", "village")
        .prefetch_related(Prefetch("preferred_job_types"))
    )
    if stage:
        queryset = queryset.filter(stage=stage)
    if district:
        queryset = queryset.filter(district_id=district)
    if village:
        queryset = queryset.filter(village_id=village)
    queryset = candidate_search(queryset, q, user=user)
    return queryset.order_by(*CANDIDATE_ORDER)


def _count(queryset: QuerySet):
    """A correlated COUNT(*) subquery (no GROUP BY), 0 when nothing matches."""
    return Coalesce(
        Subquery(queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]),
        0,
    )


def _document_count(status: str):
    return _count(
        CandidateDocument.objects.filter(
            candidate=OuterRef("pk"), superseded_at__isnull=True, status=status
        )
    )


def _open_flags():
    return _count(
        DuplicateFlag.objects.filter(status=DuplicateFlag.Status.OPEN).filter(
            Q(first=OuterRef("pk")) | Q(second=OuterRef("pk"))
        )
    )


QUEUE_STAGES = (Stage.REGISTERED, Stage.CORRECTION)


def verification_queue(
    *,
    stage: str = Stage.REGISTERED,
    district: str = "",
    village: str = "",
    duplicates_only: bool = False,
) -> QuerySet[Candidate]:
    """Registrations waiting for a verifier, oldest first, with document and duplicate counts."""
    stages = [stage] if stage in QUEUE_STAGES else list(QUEUE_STAGES)
    queryset = (
        Candidate.objects.filter(stage__in=stages)
        .select_related("district", "village")
        .annotate(
            docs_new=_document_count(DocumentStatus.UPLOADED),
            docs_accepted=_document_count(DocumentStatus.ACCEPTED),
            docs_rejected=_document_count(DocumentStatus.REJECTED),
            open_flags=_open_flags(),
        )
    )
    if district:
        queryset = queryset.filter(district_id=district)
    if village:
        queryset = queryset.filter(village_id=village)
    if duplicates_only:
        queryset = queryset.filter(open_flags__gt=0)
    return queryset.order_by(*QUEUE_ORDER)


DUPLICATE_ORDER = ("created_at", "pk")


def duplicate_queue(*, status: str = DuplicateFlag.Status.OPEN) -> QuerySet[DuplicateFlag]:
    queryset = DuplicateFlag.objects.select_related(
        "first__district", "first__village", "second__district", "second__village", "decided_by"
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by(*DUPLICATE_ORDER)


def duplicate_flags_for(candidate: Candidate) -> QuerySet[DuplicateFlag]:
    return (
        DuplicateFlag.objects.filter(Q(first=candidate) | Q(second=candidate))
        .select_related("first", "second", "decided_by")
        .order_by("-created_at")
    )


# --- columns -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[Candidate], object]
    capability: str | None = None  # None: everyone who sees the list
    # Adds what `value` reads to the export's queryset (another app's data, in one query).
    annotate: Callable[[QuerySet], QuerySet] | None = None


def _age(candidate: Candidate) -> int:
    return age_on(candidate.birth_date, timezone.localdate())


COLUMNS = [
    Column("id", gettext_lazy("No."), lambda c: c.pk),
    Column("nik", gettext_lazy("NIK"), lambda c: c.nik, "candidates.view_identity"),
    Column(
        "kk_number", gettext_lazy("Nomor KK"), lambda c: c.kk_number, "candidates.view_identity"
    ),
    Column("full_name", gettext_lazy("Nama lengkap"), lambda c: c.full_name),
    Column("sex", gettext_lazy("L/P"), lambda c: c.sex),
    Column(
        "birth_place",
        gettext_lazy("Tempat lahir"),
        lambda c: c.birth_place,
        "candidates.view_identity",
    ),
    Column(
        "birth_date",
        gettext_lazy("Tanggal lahir"),
        lambda c: c.birth_date,
        "candidates.view_identity",
    ),
    Column("age", gettext_lazy("Usia"), _age),
    Column(
        "marital_status",
        gettext_lazy("Status perkawinan"),
        lambda c: c.get_marital_status_display(),
        "candidates.view_identity",
    ),
    Column("district", gettext_lazy("Kecamatan"), lambda c: c.district.name if c.district else ""),
    Column("village", gettext_lazy("Kelurahan"), lambda c: c.village.name if c.village else ""),
    Column(
        "street",
        gettext_lazy("Alamat"),
        lambda c: " ".join(
            p for p in (c.street, f"RT {c.rt}" if c.rt else "", f"RW {c.rw}" if c.rw else "") if p
        ),
        "candidates.view_identity",
    ),
    Column(
        "phone",
        gettext_lazy("Nomor HP"),
        lambda c: format_phone(c.phone),
        "candidates.view_identity",
    ),
    Column("email", gettext_lazy("E-mail"), lambda c: c.email, "candidates.view_identity"),
    Column("education_level", gettext_lazy("Pendidikan"), lambda c: c.education_level),
    Column("education_major", gettext_lazy("Jurusan"), lambda c: c.education_major),
    Column("height_cm", gettext_lazy("Tinggi (cm)"), lambda c: c.height_cm),
    Column("weight_kg", gettext_lazy("Berat (kg)"), lambda c: c.weight_kg),
    Column(
        "countries",
        gettext_lazy("Negara tujuan"),
        lambda c: ", ".join(str(x) for x in c.country_labels),
    ),
    Column(
        "job_types",
        gettext_lazy("Pekerjaan diminati"),
        lambda c: ", ".join(j.name for j in c.preferred_job_types.all()),
    ),
    Column("stage", gettext_lazy("Tahap"), lambda c: c.get_stage_display()),
    Column("channel", gettext_lazy("Cara mendaftar"), lambda c: c.get_channel_display()),
    Column("created_at", gettext_lazy("Terdaftar"), lambda c: c.created_at.date()),
]


def visible_columns(user) -> list[Column]:
    return [c for c in COLUMNS if c.capability is None or can(user, c.capability)]


def export_columns(user) -> list[Column]:
    """The Excel export: the list's columns, then those later stages add about the person's
    placement (AppConfig.candidate_export_columns: P3MI, employer, departure date…)."""
    columns = visible_columns(user)
    for config in apps.get_app_configs():
        provider = getattr(config, "candidate_export_columns", None)
        if callable(provider):
            columns += [c for c in provider() if c.capability is None or can(user, c.capability)]
    return columns


def export_rows(user, columns: list[Column], **filters) -> QuerySet[Candidate]:
    rows = candidate_list(user, **filters)
    for column in columns:
        if column.annotate is not None:
            rows = column.annotate(rows)
    return rows


def login_phone_differs(candidate: Candidate) -> bool:
    """True when the person's log-in number is not the phone on their record (another log-in
    already used the new number)."""
    user = candidate.user
    return bool(user and candidate.phone and user.phone != candidate.phone)


def phone_sharers(user, candidate: Candidate) -> list[Candidate]:
    """Other records `user` may see with the candidate's phone number (oldest first)."""
    if not candidate.phone:
        return []
    return list(
        candidates_for(user)
        .filter(phone=candidate.phone)
        .exclude(pk=candidate.pk)
        .order_by("pk")
        .only("pk", "full_name", "stage")[:5]  # what the warning names (after every desk save)
    )


def phone_shared_warning(user, candidate: Candidate):
    """For the officer who just registered or edited the person: which records already have this phone
    (number, name, link) and, when the number logs another account in, how the person logs in
    instead. '' when the number is the person's own."""
    from django.urls import reverse
    from django.utils.html import format_html, format_html_join

    sharers = phone_sharers(user, candidate)
    login_elsewhere = login_phone_differs(candidate)
    if not sharers and not login_elsewhere:
        return ""
    parts = []
    if sharers:
        parts.append(
            format_html(
                _(
                    "Nomor HP {phone} sudah tercatat pada data lain: {records}. Buka data itu dan periksa apakah orang yang sama terdaftar dua kali; verifikator juga meninjaunya di daftar duplikat."
                ),
                phone=format_phone(candidate.phone),
                records=format_html_join(
                    ", ",
                    '<a href="{}">#{} {}</a> ({})',
                    (
                        (
                            reverse("candidates:detail", args=[other.pk]),
                            other.pk,
                            other.full_name,
                            other.get_stage_display(),
                        )
                        for other in sharers
                    ),
                ),
            )
        )
    if login_elsewhere and candidate.user.phone:
        parts.append(
            format_html(
                _(
                    "Nomor {phone} sudah dipakai akun lain untuk masuk, jadi orang ini tetap masuk dengan nomor lamanya ({old}). Cetak slip log-in agar ia tahu cara masuk."
                ),
                phone=format_phone(candidate.phone),
                old=format_phone(candidate.user.phone),
            )
        )
    elif login_elsewhere:
        parts.append(
            format_html(
                _(
                    "Nomor {phone} sudah dipakai akun lain untuk masuk, jadi orang ini masuk dengan nama pengguna yang tertulis di slip log-in."
                ),
                phone=format_phone(candidate.phone),
            )
        )
    return format_html_join(" ", "{}", ((part,) for part in parts))


def nik_registered(nik: str, *, exclude_pk=None) -> bool:
    """Whether a record (other than `exclude_pk`) already has this NIK."""
    from .rules import digits_only

    return Candidate.objects.filter(nik=digits_only(nik)).exclude(pk=exclude_pk).exists()


def nik_holder_error(user, nik: str):
    """For the office: which record already has this NIK, with a link to it, so the officer opens
    it instead of registering the person twice (the public message never says whose it is)."""
    from django.urls import reverse
    from django.utils.html import format_html

    from .access import candidates_for
    from .rules import digits_only
    from .services import NIK_TAKEN_MESSAGE

    holder = candidates_for(user).filter(nik=digits_only(nik)).first()
    if holder is None:
        return NIK_TAKEN_MESSAGE
    return format_html(
        _(
            "NIK ini sudah terdaftar: {record} (tahap: {stage}). Buka data itu; jangan daftarkan orang yang sama dua kali."
        ),
        record=format_html(
            '<a href="{}">#{} {}</a>',
            reverse("candidates:detail", args=[holder.pk]),
            holder.pk,
            holder.full_name,
        ),
        stage=holder.get_stage_display(),
    )
