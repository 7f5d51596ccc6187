"""Urgent cases of a worker abroad: an SOS, a crisis (war, disaster, an abusive employer,
detention) or a repatriation (illness, death, a contract ending in trouble), and the steps each
asks of the labour office and of the P3MI that placed the worker, with their deadlines.

What the law says, and where the hours come from:
- UU 18/2017 Pasal 21 ayat (1): protection while working abroad is registration by the labour
  attaché, monitoring of employer and working conditions, help to obtain the worker's rights and
  to settle labour cases, consular services, accompaniment, mediation, advocacy and legal aid by
  the central government and/or the Indonesian mission (Perwakilan RI), and repatriation. The
  office's part is to bring the case to the mission quickly, with the worker's details.
- UU 18/2017 Pasal 24 ayat (1): protection after work is the journey home to the worker's region,
  settling rights still unpaid, care of a worker who is ill or has died, rehabilitation and
  reintegration.
- PP 59/2021 Pasal 21 ayat (3)-(4): when a worker placed by a P3MI dies, bringing the body home
  is the P3MI's duty, in coordination with the mission, the central government, BP2MI and the
  regional government.
- PP 59/2021 Pasal 35 huruf e-f: the central government coordinates the handling of complaints and
  cases and arranges the return of workers in war, natural disaster, epidemics, deportation and
  trouble; the city reports its workers and follows them home.
None of these gives an hour count. Every deadline below is therefore the programme's
(`sources.URGENT_RESPONSE_TIMES`): a person in danger is called back within 2 hours, the mission
and the P3MI are reached within a day, a return is organised within two weeks.
"""

import datetime
import enum
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from . import sources
from .registry import rule
from .sources import Source


class Group(enum.StrEnum):
    SOS = "sos"
    CRISIS = "crisis"
    REPATRIATION = "repatriation"


class Kind(enum.StrEnum):
    """What the case is about; crisis's `UrgentCase.Kind` holds the same codes with their labels."""

    SOS = "sos"  # a call for help, not yet understood
    WAR = "war"
    DISASTER = "disaster"
    ABUSE = "abuse"  # an abusive employer: violence, unpaid wages, confinement
    DETENTION = "detention"
    ILLNESS = "illness"
    DEATH = "death"
    CONTRACT_END = "contract_end"  # the contract ends (or is ended) with the worker in trouble


GROUP_OF: dict[Kind, Group] = {
    Kind.SOS: Group.SOS,
    Kind.WAR: Group.CRISIS,
    Kind.DISASTER: Group.CRISIS,
    Kind.ABUSE: Group.CRISIS,
    Kind.DETENTION: Group.CRISIS,
    Kind.ILLNESS: Group.REPATRIATION,
    Kind.DEATH: Group.REPATRIATION,
    Kind.CONTRACT_END: Group.REPATRIATION,
}


class Party(enum.StrEnum):
    OFFICE = "office"  # the labour office (Disnakertrans)
    AGENCY = "agency"  # the P3MI that placed the worker


@dataclass(frozen=True)
class Step:
    code: str
    title: str
    party: Party
    hours: int  # from the case's opening (or from the moment its kind became known)
    sources: tuple[Source, ...]


_H = sources.URGENT_RESPONSE_TIMES
CALL_WORKER = Step(
    "call_worker",
    gettext_lazy("Hubungi pekerja (atau keluarganya) dan catat apa yang dibutuhkan"),
    Party.OFFICE,
    2,
    (_H,),
)
AGENCY_CONTACT = Step(
    "agency_contact",
    gettext_lazy("P3MI menghubungi pekerja dan pemberi kerja, lalu melapor ke Disnakertrans"),
    Party.AGENCY,
    24,
    (sources.PROTECTION_DURING_WORK, _H),
)
MISSION_REPORT = Step(
    "mission_report",
    gettext_lazy("Laporkan kasus ke KBRI/KJRI dan KP2MI; catat nomor laporannya"),
    Party.OFFICE,
    24,
    (sources.PROTECTION_DURING_WORK, sources.CRISIS_RETURN, _H),
)
WHEREABOUTS = Step(
    "whereabouts",
    gettext_lazy("Pastikan lokasi dan keadaan pekerja; daftarkan untuk evakuasi bila perlu"),
    Party.OFFICE,
    12,
    (sources.CRISIS_RETURN, _H),
)
SAFE_PLACE = Step(
    "safe_place",
    gettext_lazy("Pekerja dipindahkan ke tempat aman (shelter perwakilan RI) dan didampingi"),
    Party.AGENCY,
    48,
    (sources.PROTECTION_DURING_WORK, _H),
)
CONSULAR_VISIT = Step(
    "consular_visit",
    gettext_lazy("Minta kunjungan konsuler dan bantuan hukum dari perwakilan RI"),
    Party.OFFICE,
    48,
    (sources.PROTECTION_DURING_WORK, _H),
)
TREATMENT = Step(
    "treatment",
    gettext_lazy("Pastikan pekerja dirawat dan biaya ditanggung asuransi/pemberi kerja"),
    Party.AGENCY,
    48,
    (sources.PROTECTION_AFTER_WORK, _H),
)
FAMILY_TOLD = Step(
    "family_told",
    gettext_lazy("Kabari keluarga secara langsung dan dampingi mereka"),
    Party.OFFICE,
    24,
    (sources.PROTECTION_AFTER_WORK, _H),
)
REMAINS_HOME = Step(
    "remains_home",
    gettext_lazy("Pemulangan jenazah sampai ke keluarga (kewajiban P3MI)"),
    Party.AGENCY,
    14 * 24,
    (sources.REMAINS_REPATRIATION, _H),
)
RIGHTS_SETTLED = Step(
    "rights_settled",
    gettext_lazy("Selesaikan hak yang belum dibayar: gaji, asuransi, santunan"),
    Party.AGENCY,
    30 * 24,
    (sources.PROTECTION_AFTER_WORK, sources.SOCIAL_SECURITY, _H),
)
RETURN_HOME = Step(
    "return_home",
    gettext_lazy("Atur kepulangan pekerja sampai ke daerah asal"),
    Party.AGENCY,
    14 * 24,
    (sources.PROTECTION_AFTER_WORK, sources.CRISIS_RETURN, _H),
)
EVACUATION = Step(
    "evacuation",
    gettext_lazy("Ikuti evakuasi/pemulangan bersama perwakilan RI dan KP2MI sampai tiba di rumah"),
    Party.OFFICE,
    14 * 24,
    (sources.CRISIS_RETURN, sources.PROTECTION_AFTER_WORK, _H),
)

COMMON = (CALL_WORKER, AGENCY_CONTACT, MISSION_REPORT)
STEPS: dict[Kind, tuple[Step, ...]] = {
    Kind.SOS: COMMON,
    Kind.WAR: (*COMMON, WHEREABOUTS, EVACUATION),
    Kind.DISASTER: (*COMMON, WHEREABOUTS, EVACUATION),
    Kind.ABUSE: (*COMMON, SAFE_PLACE, RIGHTS_SETTLED),
    Kind.DETENTION: (*COMMON, CONSULAR_VISIT),
    Kind.ILLNESS: (*COMMON, TREATMENT, RETURN_HOME),
    Kind.DEATH: (FAMILY_TOLD, AGENCY_CONTACT, MISSION_REPORT, REMAINS_HOME, RIGHTS_SETTLED),
    Kind.CONTRACT_END: (*COMMON, RIGHTS_SETTLED, RETURN_HOME),
}
BY_CODE: dict[str, Step] = {step.code: step for steps in STEPS.values() for step in steps}


def _steps_table() -> list[tuple[str, ...]]:
    rows = [("Jenis", "Langkah", "Pihak", "Batas (jam)", "Dasar")]
    for kind, steps in STEPS.items():
        for step in steps:
            cited = ", ".join(s.cite() for s in step.sources)
            rows.append((str(kind), str(step.title), str(step.party), str(step.hours), cited))
    return rows


@rule(
    title=gettext_lazy("Langkah dan batas waktu kasus darurat pekerja di luar negeri"),
    sources=(
        sources.PROTECTION_DURING_WORK,
        sources.PROTECTION_AFTER_WORK,
        sources.REMAINS_REPATRIATION,
        sources.CRISIS_RETURN,
        sources.URGENT_RESPONSE_TIMES,
    ),
    table=_steps_table,
)
def steps_for(kind: str) -> tuple[Step, ...]:
    """The steps an urgent case of this kind asks of the office and the P3MI, in order.

    An SOS asks for the three first steps every case shares (call the worker back, the P3MI reaches
    the worker and employer, the case goes to the Indonesian mission); once the office knows what
    happened, it names the kind and that kind's further steps are added. Unknown kinds raise
    ValueError."""
    return STEPS[Kind(kind)]


def due_at(start: datetime.datetime, step: Step) -> datetime.datetime:
    """When the step is due: its hours after `start` (the case's opening or its classification)."""
    return start + datetime.timedelta(hours=step.hours)


def is_late(*, due: datetime.datetime, done: datetime.datetime | None, now) -> bool:
    """A step is late when it is not done and its time has passed (or was done after it)."""
    return (done or now) > due
