"""The eligibility engine: does a candidate meet a pathway's rules, and a job order's extra ones?

`eligibility_evaluate` is pure: it reads plain facts (no database) and returns one result per rule,
each with pass/fail and a plain Indonesian message ("umur 41, batas 39"). `selectors.py` gathers
the facts from the database; the training app supplies test results through `register_results_source`.

Rules come in two phases. ENTRY rules (the pathway is open, age, education, sex, height, experience,
years already worked in the destination) must pass before a candidate is put on a pathway. READINESS
rules (language test, skill test, licence, a test a job type needs such as care-Japanese for
caregivers) are what training works towards; they must pass before a candidate is matched to a job
order (placement refuses an application or a shortlist while one fails, so no offer and no departure
follow).
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalur.core import text

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

_EDUCATION_RANK = {"SD": 1, "SMP": 2, "SMA": 3, "SMK": 3, "D3": 4, "D4": 5, "S1": 6}
_JLPT_RANK = {"N5": 1, "N4": 2, "N3": 3, "N2": 4, "N1": 5}


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

    @classmethod
    def from_pathway(cls, pathway, job_type_ids: Iterable[int] | None = None) -> "Requirements":
        language = LanguageRequirement(
            eps_topik_min=pathway.eps_topik_min_score,
            jft_min=pathway.jft_min_score,
            jlpt_min_level=pathway.jlpt_min_level,
        )
        chosen = job_type_ids is not None
        if job_type_ids is None:
            job_type_ids = [jt.pk for jt in pathway.job_types.all()]
        return cls(
            country=pathway.country,
            min_age=pathway.min_age,
            max_age=pathway.max_age,
            min_education=pathway.min_education,
            sex=pathway.sex,
            min_experience_years=pathway.min_experience_years,
            prior_years_limit=pathway.prior_years_limit,
            languages=(language,) if language else (),
            skill_test=pathway.skill_test_required,
            skill_test_name=pathway.skill_test_name,
            licence=pathway.licence_required,
            licence_name=pathway.licence_name,
            job_type_ids=frozenset(job_type_ids),
            job_type_chosen=chosen,
            extra_tests=tuple(
                ExtraTest(test, ids) for test, ids in pathway.extra_test_job_type_ids().items()
            ),
        )

    def tightened(self, extra: "Requirements") -> "Requirements":
        """These requirements plus a job order's: the stricter value of each rule wins."""

        def higher(a, b):
            return b if a is None else a if b is None else max(a, b)

        def lower(a, b):
            return b if a is None else a if b is None else min(a, b)

        education = max(
            (self.min_education, extra.min_education), key=lambda e: _EDUCATION_RANK.get(e, 0)
        )
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
    # selectors.pathway_eligibility) when a pathway has a test for some job types only
    job_type_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def from_candidate(cls, candidate) -> "CandidateFacts":
        return cls(
            birth_date=candidate.birth_date,
            sex=candidate.sex,
            education=candidate.education_level or "",
            education_label=candidate.get_education_level_display()
            if candidate.education_level
            else "",
            height_cm=candidate.height_cm,
            experience_years=candidate.experience_years or 0,
            prior_country=candidate.prior_abroad_country or "",
            prior_years=Decimal(candidate.prior_abroad_years or 0),
        )


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


def age_on(birth_date: datetime.date, on: datetime.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def _years(value: Decimal) -> str:
    return f"{Decimal(value):.1f}".replace(".", ",")


def _sex_label(code: str) -> str:
    return {"L": _("laki-laki"), "P": _("perempuan")}.get(code, code)


def eligibility_evaluate(
    *,
    candidate: CandidateFacts,
    requirements: Requirements,
    results: Sequence[ExamResult] = (),
    on: datetime.date,
    state: tuple[bool, str] | None = None,
) -> Eligibility:
    """Every rule of `requirements` for `candidate` on date `on`, each with a plain message.

    `state` is (open, message) for the pathway itself; None leaves the state out.
    """
    req, c = requirements, candidate
    rules: list[RuleResult] = []
    if state is not None:
        is_open, message = state
        rules.append(RuleResult("state", _("Status skema"), is_open, message))

    age = age_on(c.birth_date, on)
    if req.min_age is not None or req.max_age is not None:
        if req.max_age is not None and age > req.max_age:
            rules.append(
                RuleResult(
                    "age",
                    _("Umur"),
                    False,
                    _("umur %(age)s, batas %(max)s") % {"age": age, "max": req.max_age},
                )
            )
        elif req.min_age is not None and age < req.min_age:
            rules.append(
                RuleResult(
                    "age",
                    _("Umur"),
                    False,
                    _("umur %(age)s, minimal %(min)s") % {"age": age, "min": req.min_age},
                )
            )
        else:
            bounds = f"{req.min_age or 0}–{req.max_age}" if req.max_age else f"≥ {req.min_age}"
            rules.append(
                RuleResult(
                    "age",
                    _("Umur"),
                    True,
                    _("umur %(age)s (%(bounds)s)") % {"age": age, "bounds": bounds},
                )
            )

    if req.min_education:
        have = _EDUCATION_RANK.get(c.education, 0)
        need = _EDUCATION_RANK.get(req.min_education, 0)
        if not c.education:
            message = _("pendidikan belum diisi, minimal %(need)s") % {"need": req.min_education}
        elif have < need:
            message = _("pendidikan %(have)s, minimal %(need)s") % {
                "have": c.education,
                "need": req.min_education,
            }
        else:
            message = _("pendidikan %(have)s (minimal %(need)s)") % {
                "have": c.education,
                "need": req.min_education,
            }
        rules.append(RuleResult("education", _("Pendidikan"), have >= need, message))

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
                    "have": text.years(c.experience_years),
                    "need": text.years(req.min_experience_years),
                },
            )
        )

    if req.prior_years_limit is not None:
        from .models import Country  # a module of choices only; keeps this file free of the ORM

        country = Country(req.country).label if req.country in Country.values else req.country
        years = c.prior_years if c.prior_country == req.country else Decimal(0)
        rules.append(
            RuleResult(
                "prior_years",
                _("Lama bekerja sebelumnya di negara tujuan"),
                years < req.prior_years_limit,
                _("pernah %(years)s tahun di %(country)s, harus kurang dari %(limit)s tahun")
                % {
                    "years": _years(years),
                    "country": country,
                    "limit": _years(req.prior_years_limit),
                },
            )
        )

    official = [r for r in results if r.official and r.valid_on(on)]
    for index, language in enumerate(req.languages):
        rules.append(_language_rule(language, official, index))

    in_scope = (
        (lambda r: r.job_type_id in req.job_type_ids) if req.job_type_ids else (lambda r: True)
    )
    if req.skill_test:
        passed = [r for r in official if r.test == SKILL and r.passed and in_scope(r)]
        name = req.skill_test_name or _("uji keterampilan")
        message = (
            _("lulus %(label)s") % {"label": passed[0].label or name}
            if passed
            else _("belum lulus %(name)s (hasil resmi)") % {"name": name}
        )
        rules.append(
            RuleResult("skill", _("Uji keterampilan"), bool(passed), message, phase=READINESS)
        )

    if req.licence:
        held = [r for r in official if r.test == LICENCE and r.passed and in_scope(r)]
        name = req.licence_name or _("lisensi")
        message = (
            _("memiliki %(label)s") % {"label": held[0].label or name}
            if held
            else _("%(name)s belum tercatat atau sudah kedaluwarsa") % {"name": name}
        )
        rules.append(RuleResult("licence", _("Lisensi"), bool(held), message, phase=READINESS))

    for test in req.extra_tests_for(c.job_type_ids):
        rules.append(_extra_test_rule(test, official))

    return Eligibility(tuple(rules))


def _extra_test_rule(test: str, official: list[ExamResult]) -> RuleResult:
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


def _meets(language: LanguageRequirement, r: ExamResult) -> bool:
    if r.test == EPS_TOPIK and language.eps_topik_min is not None:
        return r.score is not None and r.score >= language.eps_topik_min
    if r.test == JFT_BASIC and language.jft_min is not None:
        return r.score is not None and r.score >= language.jft_min
    if r.test == JLPT and language.jlpt_min_level:
        return r.passed and _JLPT_RANK.get(r.level, 0) >= _JLPT_RANK[language.jlpt_min_level]
    return False


def _language_rule(
    language: LanguageRequirement, official: list[ExamResult], index: int
) -> RuleResult:
    code = "language" if index == 0 else f"language_{index + 1}"
    need = language.describe()
    meeting = [r for r in official if _meets(language, r)]
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


# --- where test results come from ------------------------------------------------------------------
# The training app registers a function (candidate_ids) -> {candidate_id: [ExamResult]} when it loads,
# so this app reads official results without importing training.
_RESULT_SOURCES: list[Callable[[Iterable[int]], dict[int, list[ExamResult]]]] = []


def register_results_source(source: Callable[[Iterable[int]], dict[int, list[ExamResult]]]) -> None:
    if source not in _RESULT_SOURCES:
        _RESULT_SOURCES.append(source)


def results_for(candidate_ids: Iterable[int]) -> dict[int, list[ExamResult]]:
    ids = list(candidate_ids)
    merged: dict[int, list[ExamResult]] = {pk: [] for pk in ids}
    for source in _RESULT_SOURCES:
        for pk, rows in source(ids).items():
            merged.setdefault(pk, []).extend(rows)
    return merged
