"""The grievance workflow: its states, the moves between them, the deadline of each state, when a
case may be closed and with what reason, and whose lateness an overdue case shows.

- Perban 23/2025 (handling complaints): the labour office asks the P3MI for a first and a second
  clarification; the P3MI fulfils its commitment within 7 days; then mediation, a recommendation for
  sanctions, or referral to BP3MI/KP2MI.
- Perban BP2MI 6/2024 (closing complaints): a case may be closed when the documents asked of the
  reporter are still incomplete 30 days after they were asked for, or when there has been no contact
  with the reporter for 60 days.
- The programme: the office's own service levels (assign an officer within 2 days, ...). A city may
  change those with the setting `JALUR_GRIEVANCE_DAYS` ({"clarification_1": 5}); a deadline the
  regulation sets may be shortened there, never lengthened.

Times are aware datetimes; day counts run in the office's calendar (settings.TIME_ZONE).
"""

import datetime
import enum
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import sources
from .registry import rule
from .sources import Source


class State(enum.StrEnum):
    """The states of a case; the same codes as protection's `GrievanceStatus`, which holds the labels."""

    RECEIVED = "received"
    ASSIGNED = "assigned"
    CLARIFICATION_1 = "clarification_1"
    CLARIFICATION_2 = "clarification_2"
    COMMITMENT = "commitment"
    MEDIATION = "mediation"
    REFERRED = "referred"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Reason(enum.StrEnum):
    """Why a case was closed; the same codes as protection's `ClosingReason`."""

    RESOLVED = "resolved"
    REFERRED = "referred"
    INCOMPLETE = "incomplete"
    NO_CONTACT = "no_contact"
    WITHDRAWN = "withdrawn"
    DUPLICATE = "duplicate"


class Party(enum.StrEnum):
    AGENCY = "agency"  # the P3MI the complaint is about
    OFFICE = "office"  # the labour office (Disnakertrans) handling the case


S = State

TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.ASSIGNED, S.CLOSED}),
    S.ASSIGNED: frozenset({S.CLARIFICATION_1, S.MEDIATION, S.REFERRED, S.RESOLVED, S.CLOSED}),
    S.CLARIFICATION_1: frozenset(
        {S.CLARIFICATION_2, S.COMMITMENT, S.MEDIATION, S.RESOLVED, S.CLOSED}
    ),
    S.CLARIFICATION_2: frozenset({S.COMMITMENT, S.MEDIATION, S.REFERRED, S.RESOLVED, S.CLOSED}),
    S.COMMITMENT: frozenset({S.RESOLVED, S.MEDIATION, S.REFERRED}),
    S.MEDIATION: frozenset({S.RESOLVED, S.REFERRED, S.CLOSED}),
    S.REFERRED: frozenset({S.CLOSED}),
    S.RESOLVED: frozenset({S.CLOSED, S.ASSIGNED}),
    S.CLOSED: frozenset(),
}

# The states in which the next move is the P3MI's: it answers (a clarification, or the fulfilment of
# its commitment) before the state's deadline.
AGENCY_TURN: frozenset[str] = frozenset({S.CLARIFICATION_1, S.CLARIFICATION_2, S.COMMITMENT})

# The office's time to act on the P3MI's answer, counted from the answer: a key of the deadline
# table beside the states.
AFTER_AGENCY_ANSWER = "agency_answered"


@dataclass(frozen=True)
class Deadline:
    key: str  # a state, or AFTER_AGENCY_ANSWER
    days: int | None  # None: no deadline
    what: str  # what must happen before it, in plain Indonesian ("" when there is no deadline)
    regulation: bool  # set by the regulation: a setting may shorten it, never lengthen it
    sources: tuple[Source, ...]


_OFFICE = (sources.PROGRAMME,)
_WORKFLOW = (sources.GRIEVANCE_WORKFLOW, sources.PROGRAMME)

# The data of the deadline rule: the days allowed in each state before the case is overdue.
DEADLINES: dict[str, Deadline] = {
    d.key: d
    for d in (
        Deadline(S.RECEIVED, 2, gettext_lazy("Disnakertrans menunjuk petugas"), False, _OFFICE),
        Deadline(
            S.ASSIGNED,
            3,
            gettext_lazy("Petugas meminta klarifikasi P3MI atau mengambil langkah lain"),
            False,
            _OFFICE,
        ),
        Deadline(
            S.CLARIFICATION_1, 7, gettext_lazy("P3MI memberi klarifikasi pertama"), False, _WORKFLOW
        ),
        Deadline(
            S.CLARIFICATION_2, 7, gettext_lazy("P3MI memberi klarifikasi kedua"), False, _WORKFLOW
        ),
        Deadline(
            S.COMMITMENT,
            7,
            gettext_lazy("P3MI memenuhi komitmennya"),
            True,
            (sources.GRIEVANCE_WORKFLOW,),
        ),
        Deadline(
            AFTER_AGENCY_ANSWER,
            3,
            gettext_lazy("Petugas menindaklanjuti jawaban P3MI (dihitung dari jawaban)"),
            False,
            _OFFICE,
        ),
        Deadline(S.MEDIATION, 14, gettext_lazy("Mediasi selesai"), False, _OFFICE),
        Deadline(S.REFERRED, 30, gettext_lazy("BP3MI/KP2MI menyelesaikan rujukan"), False, _OFFICE),
        Deadline(
            S.RESOLVED,
            7,
            gettext_lazy("Petugas mengonfirmasi hasil kepada pelapor lalu menutup"),
            False,
            _OFFICE,
        ),
        Deadline(S.CLOSED, None, "", False, _OFFICE),
    )
}

# Perban BP2MI 6/2024: the days after which a case may be closed for want of documents or of contact.
INCOMPLETE_CLOSE_DAYS = 30
NO_CONTACT_CLOSE_DAYS = 60


def _overrides() -> dict:
    return dict(getattr(settings, "JALUR_GRIEVANCE_DAYS", {}) or {})


def settings_problems() -> list[str]:
    """What is wrong with `JALUR_GRIEVANCE_DAYS`, for the operator (protection's system check)."""
    problems = []
    for key, days in _overrides().items():
        deadline = DEADLINES.get(key)
        if deadline is None or deadline.days is None:
            keys = ", ".join(k for k, d in DEADLINES.items() if d.days is not None)
            problems.append(
                f"JALUR_GRIEVANCE_DAYS[{key!r}]: not a grievance state with a deadline ({keys})."
            )
        elif not _valid_days(days):
            problems.append(
                f"JALUR_GRIEVANCE_DAYS[{key!r}] = {days!r}: give a whole number of days, 1 or more;"
                f" {deadline.days} days apply."
            )
        elif deadline.regulation and days > deadline.days:
            cite = "; ".join(s.cite() for s in deadline.sources)
            problems.append(
                f"JALUR_GRIEVANCE_DAYS[{key!r}] = {days}: {cite} sets {deadline.days} days, which a"
                f" setting may shorten but not lengthen; {deadline.days} days apply."
            )
    return problems


def _valid_days(days) -> bool:
    return isinstance(days, int) and not isinstance(days, bool) and days >= 1


def _deadline_table() -> list[tuple[str, ...]]:
    rows = [("tahap", "hari", "yang harus terjadi", "giliran", "sumber")]
    for d in DEADLINES.values():
        if d.days is None:
            continue
        turn = "P3MI" if d.key in AGENCY_TURN else "Disnakertrans"
        days = (
            f"{d.days} (hukum: hanya boleh diperpendek)"
            if d.regulation
            else f"{d.days} (bisa diatur)"
        )
        cite = "; ".join(s.cite() for s in d.sources)
        rows.append((f"`{d.key}`", days, str(d.what), turn, cite))
    return rows


@rule(
    title=gettext_lazy("Batas waktu tiap tahap pengaduan"),
    sources=(sources.GRIEVANCE_WORKFLOW, sources.PROGRAMME),
    table=_deadline_table,
)
def days_for(key: str) -> int | None:
    """The days allowed in a state (or for the office to act on the P3MI's answer) before it is overdue.

    The office's own service levels follow `JALUR_GRIEVANCE_DAYS` when it names them. A deadline the
    regulation sets (the P3MI fulfils its commitment within 7 days, Perban 23/2025) may be shortened
    there, never lengthened: a longer or invalid value is ignored (and `manage.py check` says so).
    """
    deadline = DEADLINES[key]
    if deadline.days is None:
        return None
    days = _overrides().get(key, deadline.days)
    if not _valid_days(days):
        return deadline.days
    if deadline.regulation:
        return min(days, deadline.days)
    return days


def deadline_for(key: str, start: datetime.datetime) -> datetime.datetime | None:
    """The moment the deadline of `key` passes, counted from `start`."""
    days = days_for(key)
    return start + datetime.timedelta(days=days) if days is not None else None


def _transition_table() -> list[tuple[str, ...]]:
    rows = [("dari", "ke", "giliran")]
    for state, targets in TRANSITIONS.items():
        if targets:
            order = list(State)
            moves = ", ".join(f"`{t}`" for t in sorted(targets, key=order.index))
            turn = "P3MI" if state in AGENCY_TURN else "Disnakertrans"
            rows.append((f"`{state}`", moves, turn))
    return rows


@rule(
    title=gettext_lazy("Langkah pengaduan yang boleh"),
    sources=(sources.GRIEVANCE_WORKFLOW,),
    table=_transition_table,
)
def can_move(from_state: str, to_state: str) -> bool:
    """Whether a case may go from one state to another: clarifications from the P3MI, then its
    commitment, mediation or referral; a closed case stays closed."""
    return to_state in TRANSITIONS.get(from_state, frozenset())


# --- whose turn, and who is late ------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where a case stands against its deadlines, now."""

    turn: str  # Party, or "" when the case is closed
    due_at: datetime.datetime | None  # the deadline of the party whose turn it is
    late: bool  # that party's deadline has passed
    agency_due_at: datetime.datetime | None  # the P3MI's deadline in this state, if it has one
    agency_answered_at: datetime.datetime | None  # its answer in this state, if it has answered
    agency_answered_late: bool  # it answered, but after its deadline

    @property
    def code(self) -> str:
        """ "agency_late", "agency_waiting", "office_late", "office_waiting", or "" (closed)."""
        if not self.turn:
            return ""
        return f"{self.turn}_{'late' if self.late else 'waiting'}"

    @property
    def agency_late(self) -> bool:
        """The P3MI has not answered and its deadline has passed."""
        return self.turn == Party.AGENCY and self.late

    @property
    def office_late(self) -> bool:
        return self.turn == Party.OFFICE and self.late


@rule(
    title=gettext_lazy("Pengaduan lewat batas waktu: P3MI terlambat atau menunggu Disnakertrans"),
    sources=(sources.GRIEVANCE_WORKFLOW, sources.PROGRAMME),
)
def standing(
    *,
    state: str,
    now: datetime.datetime,
    due_at: datetime.datetime | None,
    agency_due_at: datetime.datetime | None = None,
    agency_answered_at: datetime.datetime | None = None,
) -> Standing:
    """Whose turn it is and whether they are late: the P3MI that did not answer by its deadline is
    late; once it has answered (on time or not) the case waits for the office, which is late only
    when its own deadline to act on the answer has passed.

    `due_at` is the deadline of the party whose turn it is, as the case records it (in a state where
    the P3MI must answer: the P3MI's until it answers, then the office's, `due_after_answer`);
    `agency_due_at` the P3MI's deadline in this state; `agency_answered_at` its first answer in it.
    """
    if state == S.CLOSED:
        return Standing("", None, False, None, None, False)
    if state in AGENCY_TURN and agency_answered_at is None:
        due = agency_due_at or due_at
        return Standing(Party.AGENCY, due, due is not None and now > due, due, None, False)
    answered_late = (
        state in AGENCY_TURN
        and agency_due_at is not None
        and agency_answered_at is not None
        and agency_answered_at > agency_due_at
    )
    return Standing(
        Party.OFFICE,
        due_at,
        due_at is not None and now > due_at,
        agency_due_at if state in AGENCY_TURN else None,
        agency_answered_at if state in AGENCY_TURN else None,
        answered_late,
    )


def due_after_answer(answered_at: datetime.datetime) -> datetime.datetime | None:
    """The office's deadline to act on the P3MI's answer (see `standing`)."""
    return deadline_for(AFTER_AGENCY_ANSWER, answered_at)


# --- closing ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClosingFacts:
    """What the case records that closing depends on."""

    state: str
    opened_at: datetime.datetime
    last_contact_at: datetime.datetime | None  # the last contact with the reporter the case records
    documents_requested_at: datetime.datetime | None  # when the office last asked for documents
    documents_received_at: datetime.datetime | None  # when documents last came in


@dataclass(frozen=True)
class ClosingCheck:
    reason: str
    allowed: bool
    message: str  # why not and what to do, in plain Indonesian; "" when allowed
    available_on: datetime.date | None = None  # the first day a reason that waits may be used


def _local_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()


def _day(date: datetime.date) -> str:
    return date.strftime("%d-%m-%Y")


def documents_missing(facts: ClosingFacts) -> bool:
    """Documents were asked for and nothing has come in since."""
    requested, received = facts.documents_requested_at, facts.documents_received_at
    return requested is not None and (received is None or received < requested)


def _closing_table() -> list[tuple[str, ...]]:
    return [
        ("alasan", "boleh dipakai bila", "sumber"),
        ("`resolved`", "pengaduan berstatus `resolved` (hasilnya sudah dicatat)", "Perban 23/2025"),
        ("`referred`", "pengaduan berstatus `referred` (sudah dirujuk)", "Perban 23/2025"),
        (
            "`incomplete`",
            f"dokumen sudah diminta kepada pelapor dan belum ada yang masuk {INCOMPLETE_CLOSE_DAYS} "
            "hari setelah permintaan",
            sources.GRIEVANCE_CLOSING.cite(),
        ),
        (
            "`no_contact`",
            f"{NO_CONTACT_CLOSE_DAYS} hari tanpa kontak dengan pelapor sejak kontak terakhir yang "
            "tercatat (pengaduan dibuka, pesan atau bukti dari pelapor, kontak yang dicatat petugas)",
            sources.GRIEVANCE_CLOSING.cite(),
        ),
        ("`withdrawn`, `duplicate`", "kapan saja selama pengaduan bisa ditutup", "Aturan program"),
    ]


@rule(
    title=gettext_lazy("Kapan pengaduan boleh ditutup, dan dengan alasan apa"),
    sources=(sources.GRIEVANCE_CLOSING, sources.GRIEVANCE_WORKFLOW, sources.PROGRAMME),
    table=_closing_table,
)
def closing_check(reason: str, *, facts: ClosingFacts, now: datetime.datetime) -> ClosingCheck:
    """Whether a case may be closed now with `reason`, and if not, why and from which day.

    Incomplete documents (Perban BP2MI 6/2024): only when the office asked the reporter for
    documents and nothing has come in 30 days after the request. No contact (the same): only after 60
    days without contact with the reporter, counted from the last contact the case records (or its
    opening). "Resolved" and "referred" follow the state that records the result or the referral.
    Days are counted in the office's calendar.
    """
    if reason not in {r.value for r in Reason}:
        return ClosingCheck(reason, False, _("Pilih alasan penutupan pengaduan."))
    if not can_move(facts.state, S.CLOSED):
        return ClosingCheck(
            reason, False, _("Pengaduan pada tahap ini tidak bisa ditutup. Pilih langkah lain.")
        )
    today = _local_date(now)
    if reason == Reason.RESOLVED and facts.state != S.RESOLVED:
        return ClosingCheck(
            reason,
            False,
            _(
                'Alasan "masalah terselesaikan" dipakai setelah hasilnya dicatat: ubah status ke '
                '"Selesai, menunggu penutupan" dengan hasilnya, konfirmasi ke pelapor, lalu tutup.'
            ),
        )
    if reason == Reason.REFERRED and facts.state != S.REFERRED:
        return ClosingCheck(
            reason,
            False,
            _(
                'Alasan "ditangani BP3MI/KP2MI" dipakai setelah pengaduan dirujuk: ubah status ke '
                '"Dirujuk ke BP3MI/KP2MI" dulu, dengan tujuan rujukannya.'
            ),
        )
    if reason == Reason.INCOMPLETE:
        if facts.documents_requested_at is None:
            return ClosingCheck(
                reason,
                False,
                _(
                    "Alasan ini hanya bisa dipakai bila petugas sudah meminta dokumen kepada "
                    "pelapor dan dokumen itu belum masuk %(days)d hari setelah diminta. Catat dulu "
                    'permintaan dokumen dengan "Minta dokumen kepada pelapor".'
                )
                % {"days": INCOMPLETE_CLOSE_DAYS},
            )
        if not documents_missing(facts):
            return ClosingCheck(
                reason,
                False,
                _(
                    "Dokumen yang diminta sudah masuk pada %(date)s. Periksa dokumennya; bila masih "
                    "kurang, minta lagi yang kurang (%(days)d hari dihitung dari permintaan baru)."
                )
                % {
                    "date": _day(_local_date(facts.documents_received_at)),
                    "days": INCOMPLETE_CLOSE_DAYS,
                },
            )
        available = _local_date(facts.documents_requested_at) + datetime.timedelta(
            days=INCOMPLETE_CLOSE_DAYS
        )
        if today < available:
            return ClosingCheck(
                reason,
                False,
                _(
                    "Dokumen diminta pada %(asked)s. Alasan ini baru bisa dipakai mulai %(date)s "
                    "(%(days)d hari setelah permintaan) bila dokumen belum juga masuk."
                )
                % {
                    "asked": _day(_local_date(facts.documents_requested_at)),
                    "date": _day(available),
                    "days": INCOMPLETE_CLOSE_DAYS,
                },
                available,
            )
    if reason == Reason.NO_CONTACT:
        last = facts.last_contact_at or facts.opened_at
        available = _local_date(last) + datetime.timedelta(days=NO_CONTACT_CLOSE_DAYS)
        if today < available:
            return ClosingCheck(
                reason,
                False,
                _(
                    "Kontak terakhir dengan pelapor tercatat pada %(last)s. Alasan ini baru bisa "
                    "dipakai mulai %(date)s (%(days)d hari tanpa kontak)."
                )
                % {
                    "last": _day(_local_date(last)),
                    "date": _day(available),
                    "days": NO_CONTACT_CLOSE_DAYS,
                },
                available,
            )
    return ClosingCheck(reason, True, "")


def closing_options(*, facts: ClosingFacts, now: datetime.datetime) -> list[ClosingCheck]:
    """Every closing reason with whether it may be used now (in the order of `Reason`)."""
    return [closing_check(reason, facts=facts, now=now) for reason in Reason]
