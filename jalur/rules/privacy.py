"""A person's rights over their data (UU PDP 27/2022) as plain rules: what withdrawing does at each
stage, what is kept after an erasure request and until when, how long records stay, and the clock of
a breach notice.

The rights themselves: information (Pasal 5), correction (Pasal 6), access and a copy (Pasal 7),
ending processing and erasure (Pasal 8), withdrawing consent (Pasal 9). Erasure gives way to a duty
of another law to keep a record; Jalur keeps only the records the table below names, for the stated
period, and erases the rest. Periods here are the programme's rule, each with the law it serves;
`docs/law.md` says what is still to be verified with the city's legal section.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from .registry import rule
from .sources import Source

UU_PDP = ("UU 27/2022", "Undang-Undang No. 27 Tahun 2022 tentang Pelindungan Data Pribadi")
UU_18 = (
    "UU 18/2017",
    "Undang-Undang No. 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia",
)
UU_43 = ("UU 43/2009", "Undang-Undang No. 43 Tahun 2009 tentang Kearsipan")

RIGHT_TO_CORRECT = Source(*UU_PDP, article="Pasal 6")
RIGHT_TO_ACCESS = Source(*UU_PDP, article="Pasal 7")
RIGHT_TO_ERASE = Source(*UU_PDP, article="Pasal 8")
RIGHT_TO_WITHDRAW = Source(*UU_PDP, article="Pasal 9")
ERASE_WHEN_NOT_NEEDED = Source(*UU_PDP, article="Pasal 43 ayat (1)")
BREACH_NOTICE = Source(*UU_PDP, article="Pasal 46 ayat (1)")
PROTECTION_ABROAD = Source(*UU_18, article="Pasal 21 dan Pasal 24")
NO_PLACEMENT_COST = Source(*UU_18, article="Pasal 30 ayat (1)")
ARCHIVES = Source(*UU_43, article="Pasal 40 dan Pasal 48")

# Stages (the values of candidates.stages.Stage) before departure: withdrawing ends the programme.
BEFORE_DEPARTURE = frozenset(
    {
        "registering",
        "registered",
        "correction",
        "verified",
        "training",
        "trained",
        "selection",
        "pre_departure",
        "ready",
    }
)
ABROAD = "departed"
ENDED = frozenset({"returned", "rejected", "withdrawn"})


@dataclass(frozen=True)
class Withdrawal:
    allowed: bool  # the stage moves to "withdrawn"
    protection_continues: bool  # check-ins and grievances stay open
    effects: tuple[str, ...]  # what happens, in the person's words


@rule(
    title=gettext_lazy("Menarik persetujuan: apa yang terjadi di setiap tahap"),
    sources=[RIGHT_TO_WITHDRAW, PROTECTION_ABROAD],
)
def withdrawal_at(stage: str) -> Withdrawal:
    """Before departure, withdrawing consent ends the person's part in the programme: they leave
    cohorts, lists and rankings, open applications end and the P3MI is told. A worker abroad cannot
    be left without protection: the state's duty to protect continues until they are home, so the
    stage stays and check-ins and grievances stay open. After the programme has ended there is
    nothing to leave; the person can ask for erasure instead."""
    if stage in BEFORE_DEPARTURE:
        effects = [
            gettext_lazy("Anda keluar dari program; tahap Anda menjadi “Mengundurkan diri”."),
            gettext_lazy(
                "Nama Anda dihapus dari daftar pelatihan, daftar tunggu, peringkat seleksi dan "
                "daftar lain yang dilihat lembaga pelatihan dan P3MI."
            ),
            gettext_lazy("Jalur berhenti mengirim pesan WhatsApp, SMS dan e-mail kepada Anda."),
            gettext_lazy("Anda tetap bisa masuk untuk melihat dan mengunduh data Anda."),
        ]
        if stage in {"training"}:
            effects.insert(1, gettext_lazy("Keikutsertaan pelatihan Anda diakhiri."))
        if stage in {"selection", "pre_departure", "ready"}:
            effects.insert(
                1,
                gettext_lazy(
                    "Lamaran kerja yang masih berjalan diakhiri dan P3MI diberi tahu; persiapan "
                    "keberangkatan dihentikan."
                ),
            )
        return Withdrawal(True, False, tuple(effects))
    if stage == ABROAD:
        return Withdrawal(
            False,
            True,
            (
                gettext_lazy(
                    "Anda sedang bekerja di luar negeri: pelindungan negara tetap berjalan sampai "
                    "Anda pulang. Laporan kabar dan pengaduan tetap terbuka."
                ),
                gettext_lazy(
                    "Jika tidak ingin lagi dihubungi, datang atau hubungi Disnakertrans; setelah "
                    "pulang Anda bisa meminta penghapusan data."
                ),
            ),
        )
    return Withdrawal(
        False,
        False,
        (gettext_lazy("Anda tidak lagi mengikuti program. Anda bisa meminta penghapusan data."),),
    )


@dataclass(frozen=True)
class Keep:
    kind: str
    years: int
    reason: str
    source: Source


# Years a record the law needs is kept, counted from the day the person left the programme
# (withdrawal, rejection or return home). Ten years: the programme's rule, long enough for a
# dispute or prosecution over placement costs or abuse and for the city's archive schedule.
KEEP_YEARS = 10
MUST_KEEP: dict[str, Keep] = {
    "fees": Keep(
        "fees",
        KEEP_YEARS,
        gettext_lazy(
            "Bukti biaya penempatan dan pernyataan bebas biaya: bukti larangan membebankan biaya "
            "penempatan kepada pekerja, dibutuhkan bila ada sengketa atau penuntutan."
        ),
        NO_PLACEMENT_COST,
    ),
    "departure": Keep(
        "departure",
        KEEP_YEARS,
        gettext_lazy(
            "Berkas keberangkatan (kontrak, nomor paspor dan E-PMI): arsip penempatan resmi yang "
            "wajib disimpan pemerintah daerah."
        ),
        ARCHIVES,
    ),
    "grievance": Keep(
        "grievance",
        KEEP_YEARS,
        gettext_lazy(
            "Pengaduan dan kasus darurat: bukti pelindungan yang diberikan, dibutuhkan bila "
            "kasusnya dibuka kembali atau dituntut."
        ),
        PROTECTION_ABROAD,
    ),
}
# Which tables (app label.Model) hold each kind of record that must be kept.
MUST_KEEP_TABLES: dict[str, str] = {
    "departure.FeeEntry": "fees",
    "departure.NoFeeStatement": "fees",
    "departure.DepartureCase": "departure",
    "departure.ChecklistItem": "departure",
    "departure.ContractReview": "departure",
    "departure.PassportCustody": "departure",
    "departure.IdentityNumber": "departure",
    "protection.Grievance": "grievance",
    "protection.GrievanceEvent": "grievance",
    "protection.GrievanceEvidence": "grievance",
    "crisis.UrgentCase": "grievance",
    "crisis.UrgentStep": "grievance",
}


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February: the period ends on 1 March, never before it is full
        return day.replace(year=day.year + years, month=3, day=1)


def _keep_table() -> list[tuple[str, ...]]:
    header = (
        str(gettext_lazy("Catatan")),
        str(gettext_lazy("Disimpan")),
        str(gettext_lazy("Alasan")),
        str(gettext_lazy("Dasar")),
    )
    return [header] + [
        (k.kind, str(gettext_lazy("%(n)d tahun") % {"n": k.years}), str(k.reason), k.source.cite())
        for k in MUST_KEEP.values()
    ]


@rule(
    title=gettext_lazy(
        "Penghapusan atas permintaan: yang wajib disimpan, alasannya dan sampai kapan"
    ),
    sources=[RIGHT_TO_ERASE, ERASE_WHEN_NOT_NEEDED, NO_PLACEMENT_COST, ARCHIVES],
    table=_keep_table,
)
def kept_until(table: str, *, left_on: datetime.date) -> tuple[Keep, datetime.date] | None:
    """What must be kept of a table after an erasure request, and the day it goes: None when the
    table's rows may be erased now. Only the records another law needs are kept (fees and no-fee
    statements, the departure file, grievances and urgent cases), ten years from the day the person
    left the programme; everything else is erased or anonymised at once."""
    kind = MUST_KEEP_TABLES.get(table)
    if kind is None:
        return None
    keep = MUST_KEEP[kind]
    return keep, _years_after(left_on, keep.years)


@rule(
    title=gettext_lazy("Masa simpan data pencari kerja yang sudah keluar atau pulang"),
    sources=[ERASE_WHEN_NOT_NEEDED, ARCHIVES],
)
def retention_years(stage: str, *, holds_kept_records: bool, base_years: int) -> int | None:
    """Years after the last stage change before a person's data is anonymised: `base_years` (the
    setting JALUR_RETENTION_YEARS) for someone who withdrew or was rejected, but never less than the
    ten years of the records that must be kept when they hold any; a returnee always holds their
    departure file, so ten years from the return. None: the person is still in the programme (a
    returnee who registers again is in it again)."""
    if stage == "returned":
        return max(base_years, KEEP_YEARS)
    if stage in {"withdrawn", "rejected"}:
        return max(base_years, KEEP_YEARS) if holds_kept_records else base_years
    return None


# A checklist document replaced by a newer upload stays this long (the office may compare the two
# while the item is reviewed or disputed), then its file is deleted; the audit row keeps its name.
REPLACED_FILE_DAYS = 90


@rule(
    title=gettext_lazy("Dokumen yang sudah diganti dihapus setelah 90 hari"),
    sources=[ERASE_WHEN_NOT_NEEDED],
)
def replaced_file_expired(replaced_at: datetime.datetime, *, now: datetime.datetime) -> bool:
    """A document replaced by a newer upload is no longer needed once the newer one has been
    reviewed; it is deleted 90 days after the replacement."""
    return now - replaced_at >= datetime.timedelta(days=REPLACED_FILE_DAYS)


BREACH_HOURS = 72
BREACH_WARN_HOURS = 24


@dataclass(frozen=True)
class BreachClock:
    deadline: datetime.datetime
    overdue: bool
    warn: bool  # 24 hours or less left, not yet notified
    hours_left: float


@rule(
    title=gettext_lazy("Kegagalan pelindungan data: pemberitahuan paling lambat 3 x 24 jam"),
    sources=[BREACH_NOTICE],
)
def breach_clock(
    discovered_at: datetime.datetime,
    *,
    notified_at: datetime.datetime | None,
    now: datetime.datetime,
) -> BreachClock:
    """A failure to protect personal data is told in writing to the people concerned and to the
    authority within 3 x 24 hours of its discovery. The clock runs from the discovery, not from the
    breach itself; it stops once both were told. With 24 hours or less left the DPO is warned."""
    deadline = discovered_at + datetime.timedelta(hours=BREACH_HOURS)
    left = (deadline - now).total_seconds() / 3600
    if notified_at is not None:
        return BreachClock(deadline, notified_at > deadline, False, left)
    return BreachClock(deadline, left < 0, 0 <= left <= BREACH_WARN_HOURS, left)
