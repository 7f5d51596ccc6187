"""The eligibility engine on plain facts: no database."""

import datetime
from decimal import Decimal

from jalur.rules.eligibility import (
    CARE_JAPANESE,
    EPS_TOPIK,
    JFT_BASIC,
    JLPT,
    LICENCE,
    READINESS,
    SKILL,
    CandidateFacts,
    ExamResult,
    ExtraTest,
    LanguageRequirement,
    Requirements,
    age_on,
    eligibility_evaluate,
)

TODAY = datetime.date(2026, 6, 1)
EPS = Requirements(
    country="KR",
    min_age=18,
    max_age=39,
    min_education="SMP",
    prior_years_limit=Decimal(5),
    languages=(LanguageRequirement(eps_topik_min=80),),
    skill_test=True,
    skill_test_name="uji keterampilan EPS",
    job_type_ids=frozenset({1, 2}),
)
SSW = Requirements(
    country="JP", min_age=18, languages=(LanguageRequirement(jft_min=200, jlpt_min_level="N4"),)
)


def person(age=25, **kwargs) -> CandidateFacts:
    birth = datetime.date(TODAY.year - age, 1, 15)
    return CandidateFacts(
        birth_date=birth, sex=kwargs.pop("sex", "L"), **{"education": "SMA", **kwargs}
    )


def result(test, **kwargs) -> ExamResult:
    return ExamResult(
        test=test,
        official=kwargs.pop("official", True),
        passed=kwargs.pop("passed", True),
        taken_on=kwargs.pop("taken_on", datetime.date(2026, 3, 1)),
        **kwargs,
    )


def rule(outcome, code):
    return next(r for r in outcome.rules if r.code == code)


def test_age_is_counted_in_whole_years_on_the_given_date():
    assert age_on(datetime.date(1985, 6, 2), TODAY) == 40
    assert age_on(datetime.date(1985, 6, 1), TODAY) == 41


def test_a_candidate_over_the_age_limit_fails_with_age_and_limit_in_the_message():
    outcome = eligibility_evaluate(candidate=person(41), requirements=EPS, on=TODAY)
    age = rule(outcome, "age")
    assert not age.passed
    assert age.message == "umur 41, batas 39"
    assert not outcome.eligible and not outcome.can_start


def test_a_candidate_under_the_minimum_age_fails():
    outcome = eligibility_evaluate(candidate=person(17), requirements=EPS, on=TODAY)
    assert rule(outcome, "age").message == "umur 17, minimal 18"


def test_education_below_the_minimum_fails_and_names_both_levels():
    outcome = eligibility_evaluate(candidate=person(education="SD"), requirements=EPS, on=TODAY)
    assert rule(outcome, "education").message == "pendidikan SD, minimal SMP"
    assert not rule(outcome, "education").passed


def test_smk_counts_as_upper_secondary_like_sma():
    req = Requirements(min_education="SMA")
    outcome = eligibility_evaluate(candidate=person(education="SMK"), requirements=req, on=TODAY)
    assert rule(outcome, "education").passed


def test_missing_education_fails_with_a_message_asking_for_it():
    outcome = eligibility_evaluate(candidate=person(education=""), requirements=EPS, on=TODAY)
    assert "belum diisi" in rule(outcome, "education").message


def test_five_years_already_worked_in_korea_fails_the_limit():
    candidate = person(prior_country="KR", prior_years=Decimal("5.0"))
    outcome = eligibility_evaluate(candidate=candidate, requirements=EPS, on=TODAY)
    prior = rule(outcome, "prior_years")
    assert not prior.passed
    assert prior.message == "pernah 5,0 tahun di Korea Selatan, harus kurang dari 5,0 tahun"


def test_years_worked_in_another_country_do_not_count_against_korea():
    candidate = person(prior_country="JP", prior_years=Decimal("6.0"))
    outcome = eligibility_evaluate(candidate=candidate, requirements=EPS, on=TODAY)
    assert rule(outcome, "prior_years").passed


def test_without_an_official_language_result_the_rule_fails_but_the_candidate_can_start():
    outcome = eligibility_evaluate(
        candidate=person(),
        requirements=EPS,
        results=[result(SKILL, job_type_id=1)],
        on=TODAY,
    )
    language = rule(outcome, "language")
    assert not language.passed
    assert language.message == "belum ada hasil resmi yang berlaku, perlu EPS-TOPIK ≥ 80"
    assert outcome.can_start and not outcome.eligible
    assert [r.code for r in outcome.to_achieve] == ["language"]


def test_a_mock_result_never_satisfies_a_pathway():
    outcome = eligibility_evaluate(
        candidate=person(),
        requirements=SSW,
        results=[result(JFT_BASIC, score=230, official=False)],
        on=TODAY,
    )
    assert not rule(outcome, "language").passed


def test_a_jft_score_below_the_minimum_fails_and_shows_the_score():
    outcome = eligibility_evaluate(
        candidate=person(), requirements=SSW, results=[result(JFT_BASIC, score=180)], on=TODAY
    )
    assert rule(outcome, "language").message == (
        "JFT-Basic 180, perlu JFT-Basic ≥ 200 atau JLPT N4 atau lebih tinggi"
    )


def test_either_accepted_test_satisfies_the_language_rule():
    jft = eligibility_evaluate(
        candidate=person(), requirements=SSW, results=[result(JFT_BASIC, score=200)], on=TODAY
    )
    n3 = eligibility_evaluate(
        candidate=person(), requirements=SSW, results=[result(JLPT, level="N3")], on=TODAY
    )
    assert rule(jft, "language").passed and rule(n3, "language").passed
    assert jft.eligible


def test_a_passed_jlpt_below_the_required_level_or_a_failed_one_does_not_count():
    n5 = eligibility_evaluate(
        candidate=person(), requirements=SSW, results=[result(JLPT, level="N5")], on=TODAY
    )
    failed_n4 = eligibility_evaluate(
        candidate=person(),
        requirements=SSW,
        results=[result(JLPT, level="N4", passed=False)],
        on=TODAY,
    )
    assert not rule(n5, "language").passed
    assert not rule(failed_n4, "language").passed


def test_an_expired_eps_topik_result_no_longer_counts():
    expired = result(EPS_TOPIK, score=150, valid_until=datetime.date(2026, 5, 31))
    outcome = eligibility_evaluate(
        candidate=person(), requirements=EPS, results=[expired], on=TODAY
    )
    assert not rule(outcome, "language").passed


def test_a_skill_test_counts_only_for_a_job_type_the_pathway_covers():
    other_field = eligibility_evaluate(
        candidate=person(), requirements=EPS, results=[result(SKILL, job_type_id=9)], on=TODAY
    )
    same_field = eligibility_evaluate(
        candidate=person(), requirements=EPS, results=[result(SKILL, job_type_id=2)], on=TODAY
    )
    assert not rule(other_field, "skill").passed
    assert rule(same_field, "skill").passed


def test_a_required_licence_must_be_held_and_valid():
    req = Requirements(licence=True, licence_name="SIM Jepang", job_type_ids=frozenset({5}))
    missing = eligibility_evaluate(candidate=person(), requirements=req, on=TODAY)
    held = eligibility_evaluate(
        candidate=person(),
        requirements=req,
        results=[result(LICENCE, job_type_id=5, label="SIM Jepang 123")],
        on=TODAY,
    )
    assert rule(missing, "licence").message == "SIM Jepang belum tercatat atau sudah kedaluwarsa"
    assert rule(held, "licence").passed


def test_a_pathway_that_is_not_open_fails_its_state_rule_first():
    outcome = eligibility_evaluate(
        candidate=person(), requirements=SSW, on=TODAY, state=(False, "skema ditangguhkan")
    )
    assert outcome.rules[0].code == "state" and not outcome.rules[0].passed
    assert not outcome.can_start


def test_a_job_order_tightens_the_pathway_rules():
    job_order = Requirements(
        sex="P",
        min_height_cm=160,
        max_age=30,
        min_education="SMA",
        languages=(LanguageRequirement(jlpt_min_level="N3"),),
    )
    combined = SSW.tightened(job_order)
    assert (combined.min_age, combined.max_age, combined.min_education) == (18, 30, "SMA")
    outcome = eligibility_evaluate(
        candidate=person(32, sex="L", height_cm=155),
        requirements=combined,
        results=[result(JLPT, level="N4")],
        on=TODAY,
    )
    assert rule(outcome, "age").message == "umur 32, batas 30"
    assert rule(outcome, "sex").message == "laki-laki, diminta perempuan"
    assert rule(outcome, "height").message == "tinggi 155 cm, minimal 160 cm"
    assert rule(outcome, "language").passed  # N4 meets the pathway
    assert not rule(outcome, "language_2").passed  # but not the job order's N3


def test_an_unknown_height_fails_a_height_rule_with_a_request_to_fill_it():
    outcome = eligibility_evaluate(
        candidate=person(height_cm=None), requirements=Requirements(min_height_cm=160), on=TODAY
    )
    assert rule(outcome, "height").message == "tinggi badan belum diisi, minimal 160 cm"


def test_a_candidate_meeting_every_rule_is_eligible():
    outcome = eligibility_evaluate(
        candidate=person(30, education="SMK"),
        requirements=EPS,
        results=[result(EPS_TOPIK, score=120), result(SKILL, job_type_id=1)],
        on=TODAY,
        state=(True, "dibuka"),
    )
    assert outcome.eligible and outcome.failures == []


# --- a test some job types need: care-Japanese for caregivers on Japan SSW ---------------------------
CAREGIVER, INDUSTRIAL = 3, 4
SSW_CARE = Requirements(
    country="JP",
    min_age=18,
    languages=(LanguageRequirement(jft_min=200, jlpt_min_level="N4"),),
    skill_test=True,
    skill_test_name="Ujian keterampilan bidang SSW",
    job_type_ids=frozenset({CAREGIVER, INDUSTRIAL}),
    extra_tests=(ExtraTest(CARE_JAPANESE, frozenset({CAREGIVER})),),
)
READY_CAREGIVER = [result(JFT_BASIC, score=215), result(SKILL, job_type_id=CAREGIVER)]


def test_a_caregiver_without_care_japanese_is_not_eligible_for_ssw():
    outcome = eligibility_evaluate(
        candidate=person(job_type_ids=frozenset({CAREGIVER})),
        requirements=SSW_CARE,
        results=READY_CAREGIVER,
        on=TODAY,
    )
    care = rule(outcome, CARE_JAPANESE)
    assert not care.passed and not outcome.eligible
    assert care.message == "belum lulus Ujian Bahasa Jepang Perawatan (hasil resmi)"
    assert care.phase == READINESS and outcome.can_start  # training works towards it


def test_an_official_care_japanese_pass_makes_the_caregiver_eligible():
    passed = result(CARE_JAPANESE, label="Ujian Bahasa Jepang Perawatan (Kaigo Nihongo) lulus")
    outcome = eligibility_evaluate(
        candidate=person(job_type_ids=frozenset({CAREGIVER})),
        requirements=SSW_CARE,
        results=[*READY_CAREGIVER, passed],
        on=TODAY,
    )
    assert outcome.eligible, outcome.failures
    assert "Kaigo Nihongo" in rule(outcome, CARE_JAPANESE).message


def test_a_mock_failed_or_expired_care_japanese_result_does_not_count():
    for bad in (
        result(CARE_JAPANESE, official=False),
        result(CARE_JAPANESE, passed=False),
        result(CARE_JAPANESE, valid_until=TODAY - datetime.timedelta(days=1)),
    ):
        outcome = eligibility_evaluate(
            candidate=person(job_type_ids=frozenset({CAREGIVER})),
            requirements=SSW_CARE,
            results=[*READY_CAREGIVER, bad],
            on=TODAY,
        )
        assert not rule(outcome, CARE_JAPANESE).passed, bad


def test_an_industrial_worker_is_not_asked_for_care_japanese():
    outcome = eligibility_evaluate(
        candidate=person(job_type_ids=frozenset({INDUSTRIAL})),
        requirements=SSW_CARE,
        results=[result(JFT_BASIC, score=215), result(SKILL, job_type_id=INDUSTRIAL)],
        on=TODAY,
    )
    assert outcome.eligible, outcome.failures
    assert CARE_JAPANESE not in {r.code for r in outcome.rules}


def test_without_a_named_job_type_every_job_of_the_pathway_is_in_question():
    outcome = eligibility_evaluate(
        candidate=person(), requirements=SSW_CARE, results=READY_CAREGIVER, on=TODAY
    )
    assert not rule(outcome, CARE_JAPANESE).passed


def test_a_job_order_for_a_caregiver_requires_care_japanese_whatever_the_candidate_prefers():
    def for_job(job_type_id):
        return Requirements(
            country="JP",
            min_age=18,
            extra_tests=SSW_CARE.extra_tests,
            job_type_ids=frozenset({job_type_id}),
            job_type_chosen=True,
        ).tightened(Requirements(country="JP", min_height_cm=150))

    industrial_person = person(height_cm=160, job_type_ids=frozenset({INDUSTRIAL}))
    caregiver_order = eligibility_evaluate(
        candidate=industrial_person, requirements=for_job(CAREGIVER), on=TODAY
    )
    assert not rule(caregiver_order, CARE_JAPANESE).passed
    caregiver_person = person(height_cm=160, job_type_ids=frozenset({CAREGIVER}))
    industrial_order = eligibility_evaluate(
        candidate=caregiver_person, requirements=for_job(INDUSTRIAL), on=TODAY
    )
    assert industrial_order.eligible, industrial_order.failures


def test_eligibility_is_a_registered_rule_with_each_check_and_its_source():
    from jalur.rules import sources
    from jalur.rules.eligibility import CHECKS
    from jalur.rules.registry import REGISTRY

    registered = REGISTRY["eligibility.eligibility_evaluate"]
    assert sources.MINIMUM_AGE in registered.sources
    header, *rows = registered.table()
    assert len(rows) == len(CHECKS)
    age = next(row for row in rows if "`age`" in row[0])
    assert "UU 18/2017 Pasal 5 huruf a" in age[-1]
    care = next(row for row in rows if f"`{CARE_JAPANESE}`" in row[0])
    assert "SSW perawatan" in care[-1]


def test_education_ranks_are_one_scale_with_sma_and_smk_equal():
    from jalur.rules.jobs import education_at_least, education_rank

    assert education_rank("SMA") == education_rank("SMK") > education_rank("SMP")
    assert education_rank("") == education_rank(None) == 0
    assert education_at_least("D3") == ["D3", "D4", "S1"]
    outcome = eligibility_evaluate(
        candidate=person(education="SMK"), requirements=Requirements(min_education="SMA"), on=TODAY
    )
    assert rule(outcome, "education").passed
