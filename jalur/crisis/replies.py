"""Reading a worker's reply to the city's WhatsApp/SMS number, and the answers Jalur sends back.

The reading is pure (no database): `read_reply(text)` tells an SOS ("TOLONG", "SOS", "BANTU" in any
case, with words around them) from a numbered check-in ("1 ya 2 ya 3 tidak 6 2100000", "1y 2t",
"1.ya,2.tidak", one answer per line) and from text it cannot read, saying what to fix. The question
numbers and what each answer means come from `jalur.rules.checkins`.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from jalur.rules.checkins import BY_NUMBER, QUESTIONS, Kind

SOS = "sos"
ANSWERS = "answers"
UNREADABLE = "unreadable"

_SOS_WORDS = re.compile(r"(?<![a-z])(tolong\w*|sos|bantu\w*)(?![a-z])", re.IGNORECASE)
YES = frozenset({"ya", "y", "iya", "yes", "yaa", "iyaa", "ok", "1"})
NO = frozenset({"tidak", "t", "tdk", "no", "n", "gak", "nggak", "enggak", "0"})
# "<number><separator?><answer>", the answer a word or a figure ("2.100.000", "2,1"). A question
# number has as many digits as the last question's, so "10 20 30" (no, no, no) reads as answers.
_DIGITS = len(str(max(BY_NUMBER)))
_PAIR = re.compile(rf"(\d{{1,{_DIGITS}}})\s*[.:)=\-]?\s*([a-z]+|\d[\d.,]*)")
_GAPS = re.compile(r"[\s,;/]+")


@dataclass
class Reading:
    kind: str  # SOS, ANSWERS or UNREADABLE
    answers: dict = field(default_factory=dict)  # question key -> bool or int
    problems: list[str] = field(default_factory=list)  # what to fix, in the worker's words


def is_sos(text: str) -> bool:
    return bool(_SOS_WORDS.search(text or ""))


def _figure(value: str) -> int | None:
    """A whole amount written with dots or commas between thousands: "2.100.000" -> 2100000."""
    digits = value.replace(".", "").replace(",", "")
    return int(digits) if digits.isdigit() else None


def _value(question, raw: str):
    if question.kind == Kind.YES_NO:
        if raw in YES:
            return True
        if raw in NO:
            return False
        return None
    return _figure(raw)


def read_reply(text: str) -> Reading:
    """What a reply says: an SOS, a set of numbered answers, or something to ask again about."""
    if is_sos(text):
        return Reading(SOS)
    body = _GAPS.sub(" ", (text or "").strip().lower())
    if not body:
        return Reading(UNREADABLE, problems=[_("pesan kosong")])
    answers: dict = {}
    problems: list[str] = []
    position = 0
    for match in _PAIR.finditer(body):
        leftover = body[position : match.start()].strip(" .:-")
        if leftover:
            problems.append(_("'%(text)s' tidak dikenali") % {"text": leftover[:30]})
        position = match.end()
        number, raw = int(match.group(1)), match.group(2)
        question = BY_NUMBER.get(number)
        if question is None:
            problems.append(_("tidak ada pertanyaan nomor %(n)s") % {"n": number})
            continue
        if question.key in answers:
            problems.append(_("nomor %(n)s dijawab dua kali") % {"n": number})
            continue
        value = _value(question, raw)
        if value is None:
            if question.kind == Kind.YES_NO:
                problems.append(
                    _("jawaban nomor %(n)s harus 'ya' atau 'tidak', bukan '%(raw)s'")
                    % {"n": number, "raw": raw[:20]}
                )
            else:
                problems.append(
                    _("jawaban nomor %(n)s harus angka, bukan '%(raw)s'")
                    % {"n": number, "raw": raw[:20]}
                )
            continue
        answers[question.key] = value
    tail = body[position:].strip(" .:-")
    if tail:
        problems.append(_("'%(text)s' tidak dikenali") % {"text": tail[:30]})
    missing = [str(q.number) for q in QUESTIONS if q.required and q.key not in answers]
    if answers and missing and not problems:
        problems.append(_("nomor %(numbers)s belum dijawab") % {"numbers": ", ".join(missing)})
    if problems or not answers:
        return Reading(UNREADABLE, answers=answers, problems=problems or [_("tidak ada jawaban")])
    return Reading(ANSWERS, answers=answers)


# --- what Jalur answers -------------------------------------------------------------------------


def question_lines() -> str:
    return "\n".join(f"{q.number}. {q.text}" for q in QUESTIONS)


def reply_sos(lines: list[str]) -> str:
    numbers = "\n".join(f"- {line}" for line in lines)
    return _(
        "Pesan darurat Anda sudah kami terima. Petugas Disnakertrans Kota Serang akan segera "
        "menghubungi Anda. Bila Anda dalam bahaya sekarang, hubungi:\n%(numbers)s"
    ) % {"numbers": numbers}


def reply_unknown_sos(lines: list[str]) -> str:
    numbers = "\n".join(f"- {line}" for line in lines)
    return _(
        "Pesan Anda sudah kami terima, tetapi nomor ini belum terdaftar di Jalur. Bila Anda dalam "
        "bahaya, hubungi:\n%(numbers)s"
    ) % {"numbers": numbers}


def reply_recorded() -> str:
    return _("Terima kasih, kabar Anda tercatat. Balas TOLONG kapan saja bila butuh bantuan.")


def reply_unreadable(problems: list[str]) -> str:
    return _(
        "Format tidak dikenali: %(problems)s.\nBalas dengan nomor dan jawaban, misalnya: "
        "1 ya 2 ya 3 tidak 4 ya 5 tidak 6 2100000\n%(questions)s\n"
        "Balas TOLONG bila butuh bantuan darurat."
    ) % {"problems": "; ".join(problems), "questions": question_lines()}


def reply_refused(reason: str) -> str:
    return _(
        "Kabar Anda belum dapat dicatat: %(reason)s Hubungi Disnakertrans Kota Serang bila perlu. "
        "Balas TOLONG bila butuh bantuan darurat."
    ) % {"reason": reason}
