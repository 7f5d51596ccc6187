"""The monthly check-in of a worker abroad: its questions, in the order a reply by SMS or WhatsApp
numbers them ("1 ya 2 ya 3 tidak 6 2100000").

The questions are the programme's; what an answer means in law (a wage below the contract, a
passport held by someone else) is decided by the rules below them.
"""

import datetime
import enum
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import sources
from .registry import rule


class Kind(enum.StrEnum):
    YES_NO = "yes_no"
    NUMBER = "number"


@dataclass(frozen=True)
class Question:
    number: int  # its number in a reminder message and in a reply
    key: str  # the answer's key: the field of the check-in that keeps it
    kind: Kind
    text: str  # as asked on the page and in the reminder
    required: bool = True


QUESTIONS: tuple[Question, ...] = (
    Question(1, "wage_on_time", Kind.YES_NO, _("Gaji bulan ini dibayar tepat waktu?")),
    Question(2, "passport_held", Kind.YES_NO, _("Paspor Anda pegang sendiri?")),
    Question(3, "housing_ok", Kind.YES_NO, _("Tempat tinggal layak dan aman?")),
    Question(4, "health_ok", Kind.YES_NO, _("Anda sehat?")),
    Question(5, "need_help", Kind.YES_NO, _("Anda perlu bantuan?")),
    Question(
        6, "wage_amount", Kind.NUMBER, _("Berapa gaji yang Anda terima bulan ini?"), required=False
    ),
    Question(
        7, "hours_per_week", Kind.NUMBER, _("Berapa jam Anda bekerja seminggu?"), required=False
    ),
)
BY_NUMBER = {q.number: q for q in QUESTIONS}
BY_KEY = {q.key: q for q in QUESTIONS}


# --- what the answers mean ------------------------------------------------------------------------

HOURS_IN_A_WEEK = 168
WAGE_MAX = Decimal("1000000000000")  # a typing slip (a phone number in the wage box), not a wage


class Case(enum.StrEnum):
    """The case an answer opens by itself: the value of protection's GrievanceCategory."""

    CONTRACT = "contract"  # a wage below, or hours above, the contract: a contract violation
    WAGES = "wages"  # the wage not paid on time
    PASSPORT = "document_withheld"  # the passport held by the employer or the agency


@dataclass(frozen=True)
class Finding:
    """One answer that needs the office: what it is, what it says, why, and the case it opens
    (`case` is empty when the office follows it up without a case: housing, health, a call for help)."""

    kind: str
    message: str
    source: sources.Source
    case: str = ""


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def answers_errors(answers: dict) -> dict[str, str]:
    """What is wrong with a set of answers, as {question key: message}; empty when they can be saved.

    Every yes/no question must be answered yes or no; the wage is a number of at least 0 in the
    contract's currency, the hours a whole number from 0 to 168 (the hours in a week). Unknown keys
    are refused, so a reply that names a question that does not exist is not silently dropped.
    """
    errors = {}
    for key in set(answers) - set(BY_KEY):
        errors[key] = gettext("Pertanyaan ini tidak ada.")
    for question in QUESTIONS:
        value = answers.get(question.key)
        if question.kind == Kind.YES_NO:
            answered = isinstance(value, bool)
            if (value is not None and not answered) or (value is None and question.required):
                errors[question.key] = gettext("Jawab ya atau tidak.")
            continue
        if value is None or value == "":
            continue
        number = _decimal(value)
        if question.key == "wage_amount":
            if number is None or number < 0 or number >= WAGE_MAX:
                errors[question.key] = gettext("Tulis gaji sebagai angka, mis. 2100000.")
        elif question.key == "hours_per_week":
            if number is None or number != number.to_integral_value():
                errors[question.key] = gettext(
                    "Tulis jam kerja seminggu sebagai angka bulat, mis. 40."
                )
            elif not 0 <= number <= HOURS_IN_A_WEEK:
                errors[question.key] = gettext("Jam kerja seminggu antara 0 dan 168.")
    return errors


@rule(
    title=_("Jawaban kabar bulanan yang melanggar kontrak atau hukum"),
    sources=(
        sources.WAGE_AS_AGREED,
        sources.TRAVEL_DOCUMENTS_HELD,
        sources.PASSPORT_WITH_WORKER,
        sources.CONTRACT_CONTENT,
        sources.PROGRAMME,
    ),
)
def checkin_findings(
    answers: dict,
    *,
    contract_wage: Decimal | None = None,
    contract_currency: str = "",
    contract_hours: Decimal | int | None = None,
) -> list[Finding]:
    """What a check-in's answers mean. A wage below the contract's, or more weekly hours than it
    sets, is a contract violation (UU 18/2017 Pasal 6 ayat (1) huruf f: the wage of the contract;
    Pasal 15: the hours are in it); a wage not paid on time, a case on wages; a passport not in the
    worker's own hands, a case of a withheld document (Pasal 6 ayat (1) huruf j: the worker keeps
    their travel documents while working). Unsafe housing, ill health and a call for help are for
    the office to follow up (the programme's rule) without a case of their own.

    The wage is compared in the contract's currency, as Decimal: a wage one unit lower is lower.
    Without a contract wage there is nothing to compare with, and an unanswered number says nothing.
    """
    found = []
    wage = _decimal(answers.get("wage_amount"))
    if wage is not None and contract_wage is not None and wage < Decimal(contract_wage):
        found.append(
            Finding(
                "wage_below_contract",
                gettext("Gaji %(paid)s %(currency)s, di bawah kontrak (%(agreed)s %(currency)s).")
                % {
                    "paid": f"{wage:,.0f}".replace(",", "."),
                    "agreed": f"{Decimal(contract_wage):,.0f}".replace(",", "."),
                    "currency": contract_currency,
                },
                sources.WAGE_AS_AGREED,
                Case.CONTRACT,
            )
        )
    hours = _decimal(answers.get("hours_per_week"))
    if hours is not None and contract_hours is not None and hours > Decimal(contract_hours):
        found.append(
            Finding(
                "hours_above_contract",
                gettext("Bekerja %(hours)s jam seminggu, lebih dari kontrak (%(agreed)s jam).")
                % {"hours": int(hours), "agreed": int(contract_hours)},
                sources.CONTRACT_CONTENT,
                Case.CONTRACT,
            )
        )
    if answers.get("wage_on_time") is False:
        found.append(
            Finding(
                "wage_late",
                gettext("Gaji bulan ini tidak dibayar tepat waktu."),
                sources.WAGE_AS_AGREED,
                Case.WAGES,
            )
        )
    if answers.get("passport_held") is False:
        found.append(
            Finding(
                "passport_held",
                gettext("Paspor tidak dipegang pekerja sendiri (ditahan majikan atau agensi)."),
                sources.TRAVEL_DOCUMENTS_HELD,
                Case.PASSPORT,
            )
        )
    for key, kind, message in (
        ("housing_ok", "housing", gettext("Tempat tinggal tidak layak atau tidak aman.")),
        ("health_ok", "health", gettext("Pekerja sedang tidak sehat.")),
    ):
        if answers.get(key) is False:
            found.append(Finding(kind, message, sources.PROGRAMME))
    if answers.get("need_help") is True:
        found.append(Finding("need_help", gettext("Pekerja meminta bantuan."), sources.PROGRAMME))
    return found


# --- reminders and escalation ---------------------------------------------------------------------

REMIND_DAYS_BEFORE = 3
AGENCY_ANSWER_DAYS = 7  # as a first clarification in a grievance (Perban 23/2025)


class Level(enum.StrEnum):
    """How far a month without a check-in has gone, in order."""

    NONE = ""
    REMINDED = "reminded"  # the worker is reminded before the day
    AGENCY_TOLD = "agency_told"  # missed once: the P3MI must answer
    FAMILY_OFFICE_TOLD = "family_office_told"  # missed twice: the family (if agreed) and the office


LEVELS: tuple[Level, ...] = tuple(Level)


def _schedule_table() -> list[tuple[str, ...]]:
    return [
        ("langkah", "kapan", "siapa diberi tahu"),
        (
            f"`{Level.REMINDED}`",
            f"{REMIND_DAYS_BEFORE} hari sebelum jatuh tempo",
            "pekerja (WhatsApp/SMS, e-mail, aplikasi)",
        ),
        (
            f"`{Level.AGENCY_TOLD}`",
            "lewat jatuh tempo + masa tenggang",
            f"P3MI, wajib menjawab dalam {AGENCY_ANSWER_DAYS} hari",
        ),
        (
            f"`{Level.FAMILY_OFFICE_TOLD}`",
            "lewat satu bulan lagi + masa tenggang",
            "keluarga (bila pekerja setuju) dan Disnakertrans",
        ),
    ]


@rule(
    title=_("Pengingat dan eskalasi kabar bulanan yang terlewat"),
    sources=(sources.CHECKIN_ESCALATION, sources.GRIEVANCE_WORKFLOW),
    table=_schedule_table,
)
def escalation_level(
    *, due: datetime.date, today: datetime.date, interval_days: int, grace_days: int
) -> Level:
    """How far a check-in due on `due` has gone on `today` when none has come since.

    The worker is reminded from 3 days before the day. Once the day and the grace days have passed,
    the check-in is missed: the P3MI that placed the worker is told and must answer within 7 days,
    as it answers a grievance's first clarification. When the next month's day and its grace days
    pass too (a second miss), the family, if the worker agreed, and the office are told.
    """
    grace = datetime.timedelta(days=grace_days)
    if today > due + datetime.timedelta(days=interval_days) + grace:
        return Level.FAMILY_OFFICE_TOLD
    if today > due + grace:
        return Level.AGENCY_TOLD
    if today >= due - datetime.timedelta(days=REMIND_DAYS_BEFORE):
        return Level.REMINDED
    return Level.NONE


def agency_answer_due(told_on: datetime.date) -> datetime.date:
    """The day by which the P3MI answers a missed check-in."""
    return told_on + datetime.timedelta(days=AGENCY_ANSWER_DAYS)
