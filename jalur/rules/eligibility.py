"""Who may be put on a pathway and matched to a job order: every eligibility rule, over plain facts.

`eligibility_evaluate` reads plain facts (no database) and returns one result per rule, each with
pass/fail and a plain Indonesian message ("umur 41, batas 39"). The pathways app gathers the facts
from the database (`pathways.selectors.pathway_eligibility`); the training app supplies the test
results; placement adds a job order's own requirements with `Requirements.tightened`.

Rules come in two phases. ENTRY rules (the pathway is open, age, education, sex, height, experience,
years already worked in the destination) must pass before a candidate is put on a pathway. READINESS
rules (language test, skill test, licence, a test a job type needs such as care-Japanese for
caregivers) are what training works towards; they must pass before a candidate is matched to a job
order (placement refuses an application or a shortlist while one fails, so no offer and no departure
follow).

The limits themselves (EPS Korea 18–39, IJEPA at most 35, JFT-Basic 200, ...) are a pathway's data,
edited by programme managers with the pathway's legal basis; this module says how each is applied.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import sources
from .identity import age_on
from .jobs import country_name, education_rank
from .registry import rule
from .sources import Source

# Test codes shared with the training app's assessments.
EPS_TOPIK = "eps_topik"
JFT_BASIC = "jft_basic"
JLPT = "jlpt"
SKILL = "skill"
COMPETENCY = "competency"
LICENCE = "licence"
CARE_JAPANESE = "kaigo_jp"  # Nursing Care Japanese Language Evaluation Test (介護日本語評価試験)

# Tests a pathway may require for particular job types only (Pathway.job_type_tests), with the name
# the eligibility message uses. Adding a test here makes it selectable on the pathway form.
EXTRA_TESTS = {CARE_JAPANESE: gettext_lazy("Ujian Bahasa Jepang Perawatan")}

ENTRY = "entry"
READINESS = "readiness"

# JLPT levels from the easiest to the hardest: "N4 or higher" passes N4, N3, N2 and N1.
JLPT_RANK = {"N5": 1, "N4": 2, "N3": 3, "N2": 4, "N1": 5}


def jlpt_rank(level: str | None) -> int:
    """N5=1 … N1=5; 0 for none."""
    return JLPT_RANK.get(level or "", 0)


@dataclass(frozen=True)
class LanguageRequirement:
    """Any one of the accepted tests at its minimum satisfies the requirement."""

    eps_topik_min: int | None = None
    jft_min: int | None = None
    jlpt_min_level: str = ""

    def __bool__(self) -> bool:
        return (
            self.eps_topik_min is not None or self.jft_min is not None or bool(self.jlpt_min_level)
        )

    def describe(self) -> str:
        options = []
        if self.eps_topik_min is not None:
            options.append(f"EPS-TOPIK ≥ {self.eps_topik_min}")
        if self.jft_min is not None:
            options.append(f"JFT-Basic ≥ {self.jft_min}")
        if self.jlpt_min_level:
            options.append(_("JLPT %(level)s atau lebih tinggi") % {"level": self.jlpt_min_level})
        return _(" atau ").join(options)


@dataclass(frozen=True)
class ExtraTest:
    """A test the pathway requires of the job types in `job_type_ids` only (e.g. care-Japanese for
    caregivers on Japan SSW)."""

    test: str
    job_type_ids: frozenset[int]


@dataclass(frozen=True)
class Requirements:
    """What a pathway (and optionally a job order) asks of a candidate. None/empty = no rule."""

    country: str = ""
    min_age: int | None = None
    max_age: int | None = None
    min_education: str = ""
    sex: str = ""
    min_height_cm: int | None = None
    min_experience_years: int | None = None
    prior_years_limit: Decimal | None = None
    languages: tuple[LanguageRequirement, ...] = ()
    skill_test: bool = False
    skill_test_name: str = ""
    licence: bool = False
    licence_name: str = ""
    job_type_ids: frozenset[int] = field(default_factory=frozenset)
    # True when `job_type_ids` is the one job in question (a job order's, or the job type the candidate
    # was put on the pathway for); False when it is every job type the pathway covers.
    job_type_chosen: bool = False
    extra_tests: tuple[ExtraTest, ...] = ()

    def tightened(self, extra: "Requirements") -> "Requirements":
        """These requirements plus a job order's: the stricter value of each rule wins."""

        def higher(a, b):
            return b if a is None else a if b is None else max(a, b)

        def lower(a, b):
            return b if a is None else a if b is None else min(a, b)

        education = max((self.min_education, extra.min_education), key=education_rank)
        return replace(
            self,
            min_age=higher(self.min_age, extra.min_age),
            max_age=lower(self.max_age, extra.max_age),
            min_education=education,
            sex=extra.sex or self.sex,
            min_height_cm=higher(self.min_height_cm, extra.min_height_cm),
            min_experience_years=higher(self.min_experience_years, extra.min_experience_years),
            prior_years_limit=lower(self.prior_years_limit, extra.prior_years_limit),
            languages=self.languages + tuple(lang for lang in extra.languages if lang),
            skill_test=self.skill_test or extra.skill_test,
            skill_test_name=self.skill_test_name or extra.skill_test_name,
            licence=self.licence or extra.licence,
            licence_name=self.licence_name or extra.licence_name,
            job_type_ids=extra.job_type_ids or self.job_type_ids,
            job_type_chosen=self.job_type_chosen or extra.job_type_chosen,
            extra_tests=self.extra_tests + extra.extra_tests,
        )

    def extra_tests_for(self, candidate_job_type_ids: frozenset[int]) -> list[str]:
        """The extra tests that apply, in order, once: those required of a job type in question.

        The job type in question is the chosen one when there is one (a job order's; the job type
        the candidate was put on the pathway for). Without one, it is the candidate's own: the job
        types they prefer or were assigned, so a would-be caregiver is told that Japan SSW also needs
        care-Japanese while an industrial worker on the same pathway is not. A candidate who has not
        named any job type could go to any job the pathway covers, so all of them are in question
        and the stricter reading applies: a "layak" must not hide a test the job will need.
        """
        if self.job_type_chosen:
            in_question = self.job_type_ids
        else:
            in_question = candidate_job_type_ids or self.job_type_ids
        tests: list[str] = []
        for extra in self.extra_tests:
            if extra.job_type_ids & in_question and extra.test not in tests:
                tests.append(extra.test)
        return tests


@dataclass(frozen=True)
class CandidateFacts:
    birth_date: datetime.date
    sex: str
    education: str = ""
    education_label: str = ""
    height_cm: int | None = None
    experience_years: int = 0
    prior_country: str = ""
    prior_years: Decimal = Decimal(0)
    # preferred job types and the job type of the active assignment; only needed (and only loaded by
    # pathways.selectors.pathway_eligibility) when a pathway has a test for some job types only
    job_type_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class ExamResult:
    """One test result of the candidate, as the training app recorded it."""

    test: str
    official: bool
    passed: bool
    taken_on: datetime.date
    score: int | None = None
    level: str = ""
    job_type_id: int | None = None
    valid_until: datetime.date | None = None
    label: str = ""

    def valid_on(self, on: datetime.date) -> bool:
        return self.valid_until is None or on <= self.valid_until


@dataclass(frozen=True)
class RuleResult:
    code: str
    label: str
    passed: bool
    message: str
    phase: str = ENTRY


@dataclass(frozen=True)
class Eligibility:
    rules: tuple[RuleResult, ...]

    @property
    def eligible(self) -> bool:
        return all(r.passed for r in self.rules)

    @property
    def can_start(self) -> bool:
        """Every entry rule passes: the candidate may be put on the pathway and trained for it."""
        return all(r.passed for r in self.rules if r.phase == ENTRY)

    @property
    def failures(self) -> list[RuleResult]:
        return [r for r in self.rules if not r.passed]

    @property
    def to_achieve(self) -> list[RuleResult]:
        return [r for r in self.rules if not r.passed and r.phase == READINESS]


def _years(value: Decimal) -> str:
    return f"{Decimal(value):.1f}".replace(".", ",")


def _count_years(n) -> str:
    """A number of years, singular or plural by the language ("1 tahun", "1 year", "2 years")."""
    count = int(n) if n is not None and n == int(n) else 2  # 1.5 years is plural, as is 0
    return ngettext("%(n)s tahun", "%(n)s tahun", count) % {"n": n}


def _sex_label(code: str) -> str:
    return {"L": _("laki-laki"), "P": _("perempuan")}.get(code, code)


# --- each rule, in the order a candidate reads them ------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One row of the rules page: a rule of eligibility, its phase and its sources."""

    code: str
    label: str
    phase: str
    what: str
    sources: tuple[Source, ...]


CHECKS = (
    Check(
        "state",
        gettext_lazy("Status skema"),
        ENTRY,
        gettext_lazy("skema dibuka pada tanggal itu (lihat pathways.pathway_open_problem)"),
        (sources.PROGRAMME,),
    ),
    Check(
        "age",
        gettext_lazy("Umur"),
        ENTRY,
        gettext_lazy(
            "umur pada tanggal itu di antara batas skema dan lowongan; tidak pernah di bawah 18 "
            "(EPS Korea 18–39, IJEPA paling tua 35, SSW minimal 18)"
        ),
        (sources.MINIMUM_AGE, sources.EPS_KOREA, sources.IJEPA, sources.SSW_JAPAN),
    ),
    Check(
        "education",
        gettext_lazy("Pendidikan"),
        ENTRY,
        gettext_lazy("jenjang pendidikan setinggi minimal skema atau lebih (peringkat jobs)"),
        (sources.EPS_KOREA, sources.IJEPA),
    ),
    Check(
        "sex",
        gettext_lazy("Jenis kelamin"),
        ENTRY,
        gettext_lazy("jenis kelamin yang diminta lowongan yang sudah diverifikasi"),
        (sources.JOB_ORDER_VERIFIED,),
    ),
    Check(
        "height",
        gettext_lazy("Tinggi badan"),
        ENTRY,
        gettext_lazy("tinggi badan minimal yang diminta lowongan; belum diisi berarti belum lulus"),
        (sources.JOB_ORDER_VERIFIED,),
    ),
    Check(
        "experience",
        gettext_lazy("Pengalaman kerja"),
        ENTRY,
        gettext_lazy("tahun pengalaman kerja minimal (IJEPA: 2 tahun)"),
        (sources.IJEPA, sources.JOB_ORDER_VERIFIED),
    ),
    Check(
        "prior_years",
        gettext_lazy("Lama bekerja sebelumnya di negara tujuan"),
        ENTRY,
        gettext_lazy(
            "lama bekerja sebelumnya di negara tujuan harus kurang dari batas (EPS: 5 tahun)"
        ),
        (sources.EPS_KOREA,),
    ),
    Check(
        "language",
        gettext_lazy("Bahasa"),
        READINESS,
        gettext_lazy(
            "hasil resmi yang masih berlaku pada salah satu ujian yang diterima: EPS-TOPIK ≥ batas "
            "skema, JFT-Basic ≥ batas (A2 = 200), atau JLPT tingkat itu atau lebih tinggi"
        ),
        (sources.EPS_TOPIK_TEST, sources.JFT_BASIC_TEST, sources.JLPT_TEST, sources.SSW_JAPAN),
    ),
    Check(
        "skill",
        gettext_lazy("Uji keterampilan"),
        READINESS,
        gettext_lazy("lulus uji keterampilan resmi untuk jenis pekerjaan yang dituju"),
        (sources.COMPETENCE, sources.SSW_JAPAN, sources.EPS_KOREA),
    ),
    Check(
        "licence",
        gettext_lazy("Lisensi"),
        READINESS,
        gettext_lazy(
            "lisensi yang masih berlaku (SIM Jepang untuk pengemudi SSW, STR untuk perawat)"
        ),
        (sources.SSW_JAPAN, sources.IJEPA),
    ),
    Check(
        CARE_JAPANESE,
        EXTRA_TESTS[CARE_JAPANESE],
        READINESS,
        gettext_lazy("lulus resmi Ujian Bahasa Jepang Perawatan bila pekerjaannya perawat lansia"),
        (sources.SSW_NURSING_CARE,),
    ),
)


def _checks_table() -> list[tuple[str, ...]]:
    phase = {ENTRY: "syarat masuk", READINESS: "syarat siap dicocokkan"}
    rows = [("syarat", "tahap", "lulus bila", "sumber")]
    for c in CHECKS:
        cite = "; ".join(s.cite() for s in c.sources)
        rows.append((f"{c.label} (`{c.code}`)", phase[c.phase], str(c.what), cite))
    return rows


def age_check(age: int, *, min_age: int | None, max_age: int | None) -> RuleResult | None:
    """The pathway's (and job order's) age limits; None when it sets none."""
    if min_age is None and max_age is None:
        return None
    if max_age is not None and age > max_age:
        message = _("umur %(age)s, batas %(max)s") % {"age": age, "max": max_age}
        return RuleResult("age", _("Umur"), False, message)
    if min_age is not None and age < min_age:
        message = _("umur %(age)s, minimal %(min)s") % {"age": age, "min": min_age}
        return RuleResult("age", _("Umur"), False, message)
    bounds = f"{min_age or 0}–{max_age}" if max_age else f"≥ {min_age}"
    message = _("umur %(age)s (%(bounds)s)") % {"age": age, "bounds": bounds}
    return RuleResult("age", _("Umur"), True, message)


def education_check(education: str, *, min_education: str) -> RuleResult | None:
    """At least the pathway's level of education, by `jobs.education_rank`."""
    if not min_education:
        return None
    have, need = education_rank(education), education_rank(min_education)
    if not education:
        message = _("pendidikan belum diisi, minimal %(need)s") % {"need": min_education}
    elif have < need:
        message = _("pendidikan %(have)s, minimal %(need)s") % {
            "have": education,
            "need": min_education,
        }
    else:
        message = _("pendidikan %(have)s (minimal %(need)s)") % {
            "have": education,
            "need": min_education,
        }
    return RuleResult("education", _("Pendidikan"), have >= need, message)


def _official_passes(
    official: Sequence[ExamResult], test: str, job_type_ids: frozenset[int]
) -> list[ExamResult]:
    """Official passes of `test`; when jobs are in question, only those taken for one of them."""
    return [
        r
        for r in official
        if r.test == test and r.passed and (not job_type_ids or r.job_type_id in job_type_ids)
    ]


def skill_check(
    official: Sequence[ExamResult], *, name: str, job_type_ids: frozenset[int]
) -> RuleResult:
    passed = _official_passes(official, SKILL, job_type_ids)
    name = name or _("uji keterampilan")
    message = (
        _("lulus %(label)s") % {"label": passed[0].label or name}
        if passed
        else _("belum lulus %(name)s (hasil resmi)") % {"name": name}
    )
    return RuleResult("skill", _("Uji keterampilan"), bool(passed), message, phase=READINESS)


def licence_check(
    official: Sequence[ExamResult], *, name: str, job_type_ids: frozenset[int]
) -> RuleResult:
    held = _official_passes(official, LICENCE, job_type_ids)
    name = name or _("lisensi")
    message = (
        _("memiliki %(label)s") % {"label": held[0].label or name}
        if held
        else _("%(name)s belum tercatat atau sudah kedaluwarsa") % {"name": name}
    )
    return RuleResult("licence", _("Lisensi"), bool(held), message, phase=READINESS)


def extra_test_check(test: str, official: Sequence[ExamResult]) -> RuleResult:
    """A pass/fail test a job type needs (care-Japanese): an official, still valid pass counts."""
    name = str(EXTRA_TESTS.get(test, test))
    passed = [r for r in official if r.test == test and r.passed]
    if passed:
        best = max(passed, key=lambda r: r.taken_on)
        message = _("lulus %(label)s") % {"label": best.label or name}
    else:
        message = _("belum lulus %(name)s (hasil resmi)") % {"name": name}
    return RuleResult(test, name, bool(passed), message, phase=READINESS)


def _describe_result(result: ExamResult) -> str:
    if result.test == JLPT:
        verdict = _("lulus") if result.passed else _("tidak lulus")
        return f"JLPT {result.level} {verdict}"
    name = {EPS_TOPIK: "EPS-TOPIK", JFT_BASIC: "JFT-Basic"}.get(result.test, result.test)
    return f"{name} {result.score}"


def language_meets(language: LanguageRequirement, r: ExamResult) -> bool:
    """Whether one result meets the requirement: a score at or above the pathway's minimum
    (EPS-TOPIK, JFT-Basic), or a JLPT pass at that level or a harder one."""
    if r.test == EPS_TOPIK and language.eps_topik_min is not None:
        return r.score is not None and r.score >= language.eps_topik_min
    if r.test == JFT_BASIC and language.jft_min is not None:
        return r.score is not None and r.score >= language.jft_min
    if r.test == JLPT and language.jlpt_min_level:
        return r.passed and jlpt_rank(r.level) >= jlpt_rank(language.jlpt_min_level)
    return False


def language_check(
    language: LanguageRequirement, official: Sequence[ExamResult], index: int = 0
) -> RuleResult:
    code = "language" if index == 0 else f"language_{index + 1}"
    need = language.describe()
    meeting = [r for r in official if language_meets(language, r)]
    if meeting:
        best = max(meeting, key=lambda r: r.taken_on)
        return RuleResult(
            code,
            _("Bahasa"),
            True,
            _("%(result)s (perlu %(need)s)") % {"result": _describe_result(best), "need": need},
            phase=READINESS,
        )
    relevant = [r for r in official if r.test in (EPS_TOPIK, JFT_BASIC, JLPT)]
    if relevant:
        latest = max(relevant, key=lambda r: r.taken_on)
        message = _("%(result)s, perlu %(need)s") % {
            "result": _describe_result(latest),
            "need": need,
        }
    else:
        message = _("belum ada hasil resmi yang berlaku, perlu %(need)s") % {"need": need}
    return RuleResult(code, _("Bahasa"), False, message, phase=READINESS)


@rule(
    title=gettext_lazy("Kelayakan calon pada skema dan lowongan"),
    sources=(
        sources.MINIMUM_AGE,
        sources.COMPETENCE,
        sources.EPS_KOREA,
        sources.EPS_TOPIK_TEST,
        sources.SSW_JAPAN,
        sources.JFT_BASIC_TEST,
        sources.JLPT_TEST,
        sources.SSW_NURSING_CARE,
        sources.IJEPA,
        sources.JOB_ORDER_VERIFIED,
    ),
    table=_checks_table,
)
def eligibility_evaluate(
    *,
    candidate: CandidateFacts,
    requirements: Requirements,
    results: Sequence[ExamResult] = (),
    on: datetime.date,
    state: tuple[bool, str] | None = None,
) -> Eligibility:
    """Every rule of a pathway (tightened by a job order's) for one candidate on one day.

    Entry rules (age, education, sex, height, experience, years already worked in the destination)
    decide whether the candidate may be put on the pathway; readiness rules (language, skill test,
    licence, a test the job type needs) whether they may be matched to a job order. Only official
    results still valid on the day count. `state` is (open, message) for the pathway itself
    (`pathways.pathway_state`); None leaves it out.
    """
    req, c = requirements, candidate
    rules: list[RuleResult] = []
    if state is not None:
        is_open, message = state
        rules.append(RuleResult("state", _("Status skema"), is_open, message))

    checks = (
        age_check(age_on(c.birth_date, on), min_age=req.min_age, max_age=req.max_age),
        education_check(c.education, min_education=req.min_education),
    )
    rules += [check for check in checks if check is not None]

    if req.sex:
        rules.append(
            RuleResult(
                "sex",
                _("Jenis kelamin"),
                c.sex == req.sex,
                _("%(have)s, diminta %(need)s")
                % {"have": _sex_label(c.sex), "need": _sex_label(req.sex)},
            )
        )

    if req.min_height_cm is not None:
        if c.height_cm is None:
            passed, message = (
                False,
                _("tinggi badan belum diisi, minimal %(need)s cm") % {"need": req.min_height_cm},
            )
        else:
            passed = c.height_cm >= req.min_height_cm
            message = _("tinggi %(have)s cm, minimal %(need)s cm") % {
                "have": c.height_cm,
                "need": req.min_height_cm,
            }
        rules.append(RuleResult("height", _("Tinggi badan"), passed, message))

    if req.min_experience_years is not None:
        rules.append(
            RuleResult(
                "experience",
                _("Pengalaman kerja"),
                c.experience_years >= req.min_experience_years,
                _("pengalaman %(have)s, minimal %(need)s")
                % {
                    "have": _count_years(c.experience_years),
                    "need": _count_years(req.min_experience_years),
                },
            )
        )

    if req.prior_years_limit is not None:
        years = c.prior_years if c.prior_country == req.country else Decimal(0)
        rules.append(
            RuleResult(
                "prior_years",
                _("Lama bekerja sebelumnya di negara tujuan"),
                years < req.prior_years_limit,
                _("pernah %(years)s tahun di %(country)s, harus kurang dari %(limit)s tahun")
                % {
                    "years": _years(years),
                    "country": country_name(req.country),
                    "limit": _years(req.prior_years_limit),
                },
            )
        )

    official = [r for r in results if r.official and r.valid_on(on)]
    for index, language in enumerate(req.languages):
        rules.append(language_check(language, official, index))

    if req.skill_test:
        rules.append(skill_check(official, name=req.skill_test_name, job_type_ids=req.job_type_ids))
    if req.licence:
        rules.append(licence_check(official, name=req.licence_name, job_type_ids=req.job_type_ids))

    for test in req.extra_tests_for(c.job_type_ids):
        rules.append(extra_test_check(test, official))

    return Eligibility(tuple(rules))
