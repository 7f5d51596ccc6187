"""The official scales of the language tests and how a result passes (docs/law.md §8).

Pure functions, no database. Ranges and the JLPT pass rules are fixed by the test owners; pass marks
that the sources do not fix (EPS-TOPIK has only a floor) come from `ScaleSetting` rows, not from here.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalur.rules import eligibility as codes


class Test(models.TextChoices):
    EPS_TOPIK = codes.EPS_TOPIK, "EPS-TOPIK"
    JFT_BASIC = codes.JFT_BASIC, "JFT-Basic"
    JLPT = codes.JLPT, "JLPT"
    SKILL = codes.SKILL, gettext_lazy("Uji keterampilan")
    COMPETENCY = codes.COMPETENCY, gettext_lazy("Sertifikat kompetensi BNSP/LSP")
    LICENCE = codes.LICENCE, gettext_lazy("Lisensi (SIM, STR)")
    # 介護日本語評価試験 (Prometric): pass/fail; Japan SSW nursing care needs it beside the skill test
    CARE_JAPANESE = (
        codes.CARE_JAPANESE,
        gettext_lazy("Ujian Bahasa Jepang Perawatan (Kaigo Nihongo)"),
    )


LANGUAGE_TESTS = frozenset({Test.EPS_TOPIK, Test.JFT_BASIC, Test.JLPT})

EPS_SECTION_MAX = 100
EPS_TOTAL_MAX = 200
JFT_MIN, JFT_MAX = 10, 250
JLPT_MAX = 180
SKILL_SCORE_MAX = 100


def jft_band(score: int) -> str:
    """The band printed on a JFT-Basic result (A2 is called A2.2 from August 2026)."""
    if score >= 200:
        return "A2"
    if score >= 175:
        return "A2.1"
    if score >= 145:
        return "A1"
    return "*"


@dataclass(frozen=True)
class JlptSection:
    code: str
    label: str
    maximum: int
    minimum: int


@dataclass(frozen=True)
class JlptRule:
    overall: int
    sections: tuple[JlptSection, ...]


_JLPT_THREE = (
    JlptSection("language", gettext_lazy("Pengetahuan bahasa (kosakata/tata bahasa)"), 60, 19),
    JlptSection("reading", gettext_lazy("Membaca"), 60, 19),
    JlptSection("listening", gettext_lazy("Mendengar"), 60, 19),
)
_JLPT_TWO = (
    JlptSection("language_reading", gettext_lazy("Pengetahuan bahasa dan membaca"), 120, 38),
    JlptSection("listening", gettext_lazy("Mendengar"), 60, 19),
)
# Pass = the overall mark AND every sectional minimum (standards in force since July 2010).
JLPT_RULES: dict[str, JlptRule] = {
    "N1": JlptRule(100, _JLPT_THREE),
    "N2": JlptRule(90, _JLPT_THREE),
    "N3": JlptRule(95, _JLPT_THREE),
    "N4": JlptRule(90, _JLPT_TWO),
    "N5": JlptRule(80, _JLPT_TWO),
}


def _in_range(value, low: int, high: int, label: str, field: str, errors: dict) -> None:
    if value is None:
        errors[field] = _("Isi %(label)s (%(low)s–%(high)s).") % {
            "label": label,
            "low": low,
            "high": high,
        }
    elif not low <= value <= high:
        errors[field] = _("%(label)s harus antara %(low)s dan %(high)s; yang diisi %(value)s.") % {
            "label": label,
            "low": low,
            "high": high,
            "value": value,
        }


@dataclass(frozen=True)
class Outcome:
    score: int | None
    passed: bool
    band: str = ""
    detail: str = ""


def eps_topik_evaluate(*, reading, listening, pass_mark: int | None) -> Outcome:
    errors: dict = {}
    _in_range(reading, 0, EPS_SECTION_MAX, _("Nilai membaca EPS-TOPIK"), "reading", errors)
    _in_range(listening, 0, EPS_SECTION_MAX, _("Nilai mendengar EPS-TOPIK"), "listening", errors)
    if errors:
        raise ValidationError(errors)
    total = reading + listening
    passed = pass_mark is not None and total >= pass_mark
    return Outcome(score=total, passed=passed, detail=f"{reading} + {listening} = {total}/200")


def jft_basic_evaluate(*, score, pass_mark: int | None) -> Outcome:
    errors: dict = {}
    _in_range(score, JFT_MIN, JFT_MAX, _("Skor JFT-Basic"), "score", errors)
    if errors:
        raise ValidationError(errors)
    band = jft_band(score)
    passed = score >= (pass_mark if pass_mark is not None else 200)
    return Outcome(score=score, passed=passed, band=band, detail=f"{score}/250 ({band})")


def jlpt_evaluate(*, level: str, sections: dict[str, int | None]) -> Outcome:
    """Total and pass by the official rule of `level`; `sections` maps section code to score."""
    rule = JLPT_RULES.get(level)
    if rule is None:
        raise ValidationError({"jlpt_level": _("Pilih level JLPT: N5, N4, N3, N2 atau N1.")})
    errors: dict = {}
    for section in rule.sections:
        _in_range(
            sections.get(section.code),
            0,
            section.maximum,
            _("Nilai JLPT bagian %(name)s") % {"name": section.label},
            f"jlpt_{section.code}",
            errors,
        )
    if errors:
        raise ValidationError(errors)
    total = sum(sections[s.code] for s in rule.sections)
    short = [s for s in rule.sections if sections[s.code] < s.minimum]
    passed = total >= rule.overall and not short
    if total < rule.overall:
        detail = _("%(total)s/180, kurang dari batas lulus %(level)s %(need)s") % {
            "total": total,
            "level": level,
            "need": rule.overall,
        }
    elif short:
        detail = _("%(total)s/180, tetapi bagian %(names)s di bawah nilai minimal") % {
            "total": total,
            "names": ", ".join(str(s.label) for s in short),
        }
    else:
        detail = f"{total}/180"
    return Outcome(score=total, passed=passed, detail=detail)


def skill_score_check(score) -> None:
    if score is not None and not 0 <= score <= SKILL_SCORE_MAX:
        raise ValidationError(
            {
                "score": _("Skor uji keterampilan harus antara 0 dan 100; yang diisi %(value)s.")
                % {"value": score}
            }
        )
