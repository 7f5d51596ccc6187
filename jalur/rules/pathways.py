"""Whether a pathway (skema penempatan) can be used today, and by whom.

A pathway is data with a state (open, suspended, closed), the reason for it, its legal basis and,
for a pathway being phased out, the day it closes. Every stage that uses a pathway (putting a
candidate on it, a programme or cohort for it, enrolment, a job order, an application) asks
`pathway_open_problem`, so a refusal always says the same thing: which pathway, why it is not open
(the stored reason), on what legal basis, and what to do.

Who may place workers on a pathway is also data: Korea EPS (E-9) is government to government, so
only BP2MI/KP2MI places on it and a P3MI (private placement company) may not; `placing_problem`
says so.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import sources
from .registry import rule

# The states of a pathway.
OPEN = "open"
SUSPENDED = "suspended"
CLOSED = "closed"
STATE_NAMES = {
    OPEN: gettext_lazy("Dibuka"),
    SUSPENDED: gettext_lazy("Ditangguhkan"),
    CLOSED: gettext_lazy("Ditutup"),
}

# Who places workers on a pathway (UU 18/2017 Pasal 49: BP2MI, a P3MI, or a company placing its own
# staff; plus the channels the destination runs itself).
P3MI = "p3mi"
GOVERNMENT = "government"
LOCAL_GOVERNMENT = "local_government"
SENDING_ORGANISATION = "sending_org"
MANNING_AGENCY = "manning_agency"
NO_INTERMEDIARY = "none"
PARTY_NAMES = {
    P3MI: gettext_lazy("P3MI (perusahaan penempatan swasta, P to P)"),
    GOVERNMENT: gettext_lazy("Pemerintah pusat (BP2MI/KP2MI, G to G)"),
    LOCAL_GOVERNMENT: gettext_lazy("Pemerintah daerah (MoU antardaerah)"),
    SENDING_ORGANISATION: gettext_lazy("Lembaga pengirim magang (LPK/SO)"),
    MANNING_AGENCY: gettext_lazy("Agen awak kapal (terdaftar di Kemenhub)"),
    NO_INTERMEDIARY: gettext_lazy("Tanpa perantara (mandiri)"),
}


def _date(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


def pathway_is_open(
    *, state: str, closes_on: datetime.date | None = None, on: datetime.date
) -> bool:
    """Open on `on`: its state is open and, when it is being phased out, the closing day is later."""
    return state == OPEN and (closes_on is None or on < closes_on)


def _why(reason: str, basis: str) -> str:
    """ ": <reason> (<basis>)", either part left out when it was not recorded."""
    # The sentence ends after the brackets: a stored text's own full stop would make "…).".
    reason, basis = (reason or "").strip().rstrip(". "), (basis or "").strip().rstrip(". ")
    if basis in ("-", "—"):
        basis = ""
    if reason and basis:
        return f": {reason} ({basis})"
    if reason:
        return f": {reason}"
    if basis:
        return f" ({basis})"
    return ""


@rule(
    title=gettext_lazy("Hanya skema yang dibuka yang dapat dipakai"),
    sources=(sources.PLACEMENT_SCHEMES, sources.PROGRAMME),
)
def pathway_open_problem(
    *,
    state: str,
    name: str,
    reason: str,
    basis: str,
    closes_on: datetime.date | None = None,
    on: datetime.date,
    advice: bool = True,
) -> str:
    """Empty when the pathway is open on `on`; otherwise why not, in plain Indonesian.

    The message names the pathway, its state, the stored reason and legal basis, and what to do
    (choose another, open pathway). A pathway that is open but being phased out is closed from its
    `closes_on` day on. No stage may put anyone or anything new on a pathway that is not open.
    `advice=False` leaves out what to do, for a page where there is no pathway to choose.
    """
    if pathway_is_open(state=state, closes_on=closes_on, on=on):
        return ""
    why = _why(reason, basis)
    if state == SUSPENDED:
        message = _('Skema "%(name)s" ditangguhkan%(why)s.') % {"name": name, "why": why}
    elif state == OPEN and closes_on is not None:
        message = _('Skema "%(name)s" ditutup sejak %(date)s%(why)s.') % {
            "name": name,
            "date": _date(closes_on),
            "why": why,
        }
    else:
        message = _('Skema "%(name)s" ditutup%(why)s.') % {"name": name, "why": why}
    if not advice:
        return message
    return f"{message} " + _(
        "Pilih skema lain yang dibuka; skema ini baru dapat dipakai lagi setelah pengelola program "
        "membukanya kembali."
    )


def pathway_state(
    *, state: str, reason: str, closes_on: datetime.date | None = None, on: datetime.date
) -> tuple[bool, str]:
    """(open?, short message) for the state row of a candidate's eligibility ("skema ditangguhkan:
    <alasan>"), by the same reading of state and closing day as `pathway_open_problem`."""
    why = _why(reason, "")
    if state == OPEN:
        if closes_on and on >= closes_on:
            return False, _("skema ditutup sejak %(date)s%(reason)s") % {
                "date": _date(closes_on),
                "reason": why,
            }
        if closes_on:
            return True, _("dibuka sampai %(date)s") % {"date": _date(closes_on)}
        return True, _("dibuka")
    if state == SUSPENDED:
        return False, _("skema ditangguhkan%(reason)s") % {"reason": why}
    return False, _("skema ditutup%(reason)s") % {"reason": why}


def party_may_place(placing_party: str, party: str) -> bool:
    """Whether `party` may place workers on a pathway whose placing party is `placing_party`."""
    return placing_party == party


def p3mi_may_place(placing_party: str) -> bool:
    """Whether a P3MI may place workers (and so submit job orders) on the pathway."""
    return party_may_place(placing_party, P3MI)


@rule(
    title=gettext_lazy("Siapa boleh menempatkan pada sebuah skema"),
    sources=(sources.PLACEMENT_SCHEMES, sources.EPS_KOREA),
)
def placing_problem(*, placing_party: str, name: str, party: str = P3MI) -> str:
    """Empty when `party` (a P3MI unless said otherwise) may place on the pathway; otherwise why not.

    Each pathway names the one party that places on it: Korea EPS (E-9) only BP2MI/KP2MI (G to G),
    E-10 fishing crew a manning agency, E-8 seasonal work a local government. A P3MI may submit job
    orders only on a P to P pathway.
    """
    if party_may_place(placing_party, party):
        return ""
    allowed = str(PARTY_NAMES.get(placing_party, placing_party))
    if party == P3MI:
        return _(
            'Pada skema "%(name)s" yang boleh menempatkan hanya %(party)s; P3MI tidak boleh '
            "mengajukan lowongan pada skema ini. Pilih skema P to P yang dibuka untuk P3MI."
        ) % {"name": name, "party": allowed}
    return _('Pada skema "%(name)s" yang boleh menempatkan hanya %(party)s.') % {
        "name": name,
        "party": allowed,
    }


# --- suggesting a pathway to someone who finished training ------------------------------------------
@dataclass(frozen=True)
class PathwayOption:
    """One pathway as the suggestion rule sees it for one person."""

    ref: object  # the caller's own record, handed back in the ruling
    name: str
    open: bool  # `pathway_is_open` today
    can_start: bool  # every entry rule passes (age, education, sex, experience...)
    eligible: bool  # every rule passes, the language and skill results training achieves too
    country_chosen: bool  # the destination country the person chose at registration
    job_type_chosen: bool  # covers a job type the person chose at registration
    to_achieve: tuple[str, ...] = ()  # what is still missing, in plain words
    order: int = 0  # the pathways' own order, to break ties


@dataclass(frozen=True)
class PathwaySuggestion:
    option: PathwayOption | None
    reason: str
    # the only legal option: the rules assign it without asking the manager
    automatic: bool
    legal: tuple[PathwayOption, ...] = ()


def _suggestion_reason(option: PathwayOption, *, only: bool) -> str:
    parts = []
    if option.country_chosen:
        parts.append(_("negara tujuan pilihannya"))
    if option.job_type_chosen:
        parts.append(_("jenis pekerjaan pilihannya"))
    said = [_("sesuai %(what)s") % {"what": _(" dan ").join(parts)}] if parts else []
    if option.eligible:
        said.append(_("semua syarat skema terpenuhi, nilai ujian termasuk"))
    else:
        said.append(
            _("syarat masuk terpenuhi; masih perlu: %(missing)s")
            % {"missing": "; ".join(option.to_achieve)}
        )
    if only:
        said.append(_("satu-satunya skema terbuka yang sah untuknya"))
    return "; ".join(said)


@rule(
    title=gettext_lazy("Skema yang disarankan setelah pelatihan, dan kapan aturan menetapkannya"),
    sources=(sources.PROGRAMME, sources.PLACEMENT_SCHEMES),
)
def pathway_suggestion(options: Sequence[PathwayOption]) -> PathwaySuggestion:
    """The pathway to suggest for someone who has finished training, with its reason.

    Legal options are the open pathways whose entry rules the person meets and that lead to what
    they chose at registration (a job type they chose, or, when they chose none that an open pathway
    covers, the country they chose; with no choice at all, any). Among them the one whose every rule
    is met (test results included) comes first, then the one matching both choices, then the
    pathways' own order. When exactly one legal option exists and the person meets all its rules,
    nothing is left to decide: the rules assign it. Otherwise the programme manager confirms the
    suggestion or picks another; with no legal option there is no suggestion, and the reason says
    why.
    """
    usable = [o for o in options if o.open and o.can_start]
    if not usable:
        return PathwaySuggestion(
            None,
            _("Tidak ada skema terbuka yang syarat masuknya terpenuhi; pilih skema secara manual."),
            False,
        )
    legal = [o for o in usable if o.job_type_chosen]
    if not legal:
        legal = [o for o in usable if o.country_chosen]
    if not legal:
        legal = usable
    ranked = sorted(
        legal,
        key=lambda o: (not o.eligible, not (o.country_chosen and o.job_type_chosen), o.order),
    )
    best = ranked[0]
    automatic = len(ranked) == 1 and best.eligible
    return PathwaySuggestion(
        best, _suggestion_reason(best, only=len(ranked) == 1), automatic, tuple(ranked)
    )
