"""Results on the official scales: ranges refused with the range, bands, JLPT pass rules, validity."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.pathways.models import JobType, Pathway
from jalur.pathways.selectors import pathway_eligibility
from jalur.training.models import Assessment, ScaleSetting
from jalur.training.scales import jft_band, jlpt_evaluate
from jalur.training.services import assessment_record, scale_setting_update

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def record(candidate, actor, **data):
    return assessment_record(
        candidate=candidate, actor=actor, data={"kind": "official", "taken_on": TODAY, **data}
    )


@pytest.fixture
def person():
    return CandidateFactory(stage=Stage.VERIFIED)


class TestEpsTopik:
    def test_total_is_reading_plus_listening_out_of_200(self, person, trainer):
        result = record(person, trainer, test="eps_topik", reading=62, listening=71)
        assert (result.score, result.passed) == (133, True)
        assert result.summary == "133/200 (R 62, L 71)"

    @pytest.mark.parametrize(("field", "value"), [("reading", 101), ("listening", 150)])
    def test_a_section_above_100_is_refused_with_the_range(self, person, trainer, field, value):
        data = {"reading": 50, "listening": 50, field: value}
        with pytest.raises(ValidationError) as error:
            record(person, trainer, test="eps_topik", **data)
        assert "harus antara 0 dan 100" in error.value.message_dict[field][0]
        assert str(value) in error.value.message_dict[field][0]

    def test_the_pass_mark_is_data_a_manager_can_raise(self, person, trainer, manager):
        setting = ScaleSetting.objects.get(test="eps_topik")
        assert setting.pass_mark == 80  # the floor from the sources
        assert record(person, trainer, test="eps_topik", reading=50, listening=50).passed
        scale_setting_update(
            setting=setting, actor=manager, data={"pass_mark": 120}, reason="UBT 2025: 120/200"
        )
        assert not record(person, trainer, test="eps_topik", reading=50, listening=50).passed
        assert AuditLog.objects.get(action="training.scale.update").changes["pass_mark"] == [
            80,
            120,
        ]

    def test_a_pass_mark_outside_the_scale_is_refused(self, manager):
        with pytest.raises(ValidationError) as error:
            scale_setting_update(
                setting=ScaleSetting.objects.get(test="eps_topik"),
                actor=manager,
                data={"pass_mark": 250},
                reason="x",
            )
        assert "antara 0 dan 200" in error.value.message_dict["pass_mark"][0]

    def test_an_official_result_is_valid_for_the_configured_two_years(self, person, trainer):
        taken = datetime.date(2026, 1, 31)
        result = record(person, trainer, test="eps_topik", reading=60, listening=60, taken_on=taken)
        assert result.valid_until == datetime.date(2028, 1, 31)

    def test_the_database_refuses_a_total_that_is_not_the_sum(self, person):
        with pytest.raises(IntegrityError), transaction.atomic():
            Assessment.objects.create(
                candidate=person,
                test="eps_topik",
                kind="official",
                taken_on=TODAY,
                reading=50,
                listening=50,
                score=120,
                passed=True,
            )


class TestJftBasic:
    @pytest.mark.parametrize(
        ("score", "band"),
        [
            (250, "A2"),
            (200, "A2"),
            (199, "A2.1"),
            (175, "A2.1"),
            (174, "A1"),
            (145, "A1"),
            (144, "*"),
            (10, "*"),
        ],
    )
    def test_bands_follow_the_japan_foundation_table(self, score, band):
        assert jft_band(score) == band

    def test_a2_passes_and_the_band_is_stored(self, person, trainer):
        result = record(person, trainer, test="jft_basic", score=205)
        assert (result.band, result.passed) == ("A2", True)
        assert not record(person, trainer, test="jft_basic", score=190).passed

    @pytest.mark.parametrize("score", [9, 251])
    def test_a_score_outside_10_to_250_is_refused_with_the_range(self, person, trainer, score):
        with pytest.raises(ValidationError) as error:
            record(person, trainer, test="jft_basic", score=score)
        assert "harus antara 10 dan 250" in error.value.message_dict["score"][0]


class TestJlpt:
    def test_n4_passes_with_the_overall_mark_and_both_section_minimums(self):
        outcome = jlpt_evaluate(level="N4", sections={"language_reading": 60, "listening": 30})
        assert (outcome.score, outcome.passed) == (90, True)

    def test_n4_below_the_overall_mark_fails(self):
        outcome = jlpt_evaluate(level="N4", sections={"language_reading": 60, "listening": 29})
        assert not outcome.passed and "kurang dari batas lulus N4 90" in outcome.detail

    def test_n3_with_enough_points_but_a_section_under_19_fails(self):
        outcome = jlpt_evaluate(
            level="N3", sections={"language": 60, "reading": 60, "listening": 18}
        )
        assert outcome.score == 138 and not outcome.passed
        assert "Mendengar" in outcome.detail

    def test_n1_needs_100(self):
        assert jlpt_evaluate(
            level="N1", sections={"language": 40, "reading": 40, "listening": 20}
        ).passed
        assert not jlpt_evaluate(
            level="N1", sections={"language": 40, "reading": 40, "listening": 19}
        ).passed

    def test_a_section_outside_its_range_is_refused(self, person, trainer):
        with pytest.raises(ValidationError) as error:
            record(
                person,
                trainer,
                test="jlpt",
                jlpt_level="N5",
                jlpt_language_reading=121,
                jlpt_listening=30,
            )
        assert "antara 0 dan 120" in error.value.message_dict["jlpt_language_reading"][0]

    def test_sections_of_another_level_are_not_kept(self, person, trainer):
        result = record(
            person,
            trainer,
            test="jlpt",
            jlpt_level="N4",
            jlpt_language_reading=80,
            jlpt_listening=40,
            jlpt_reading=55,
        )
        assert (result.score, result.passed, result.jlpt_reading) == (120, True, None)

    def test_a_missing_level_is_refused(self, person, trainer):
        with pytest.raises(ValidationError) as error:
            record(person, trainer, test="jlpt", jlpt_level="")
        assert "jlpt_level" in error.value.message_dict


class TestSkillsAndCertificates:
    def test_a_skill_test_needs_its_name_issuer_job_type_and_result(self, person, trainer):
        with pytest.raises(ValidationError) as error:
            record(person, trainer, test="skill", passed=True)
        assert {"title", "issuer", "job_type"} <= set(error.value.message_dict)

    def test_a_skill_score_above_100_is_refused(self, person, trainer):
        with pytest.raises(ValidationError) as error:
            record(
                person,
                trainer,
                test="skill",
                passed=True,
                score=130,
                title="Kaigo",
                issuer="Prometric",
                job_type=JobType.objects.get(code="caregiver"),
            )
        assert "antara 0 dan 100" in error.value.message_dict["score"][0]

    def test_a_competency_certificate_records_its_bnsp_number_and_is_always_official(
        self, person, trainer
    ):
        with pytest.raises(ValidationError) as error:
            record(
                person,
                trainer,
                test="competency",
                kind="mock",
                title="Juru Las SMAW",
                issuer="LSP Logam",
                certificate_number="BNSP-123",
            )
        assert "kind" in error.value.message_dict
        result = record(
            person,
            trainer,
            test="competency",
            title="Juru Las SMAW",
            issuer="LSP Logam",
            certificate_number="BNSP-123",
            taken_on=datetime.date(2026, 2, 3),
        )
        assert result.passed and result.certificate_number == "BNSP-123"

    def test_a_result_dated_in_the_future_is_refused(self, person, trainer):
        with pytest.raises(ValidationError) as error:
            record(
                person,
                trainer,
                test="jft_basic",
                score=200,
                taken_on=TODAY + datetime.timedelta(days=1),
            )
        assert "taken_on" in error.value.message_dict

    def test_every_result_is_audited(self, person, trainer):
        record(person, trainer, test="jft_basic", score=201)
        log = AuditLog.objects.get(action="training.assessment.record")
        assert log.changes["score"] == [None, 201]


class TestEligibilityUsesOfficialResults:
    def test_a_caregiver_needs_care_japanese_beside_jft_and_the_skill_test_for_ssw(
        self, person, trainer
    ):
        # QA: one skill result and JFT 215 showed a caregiver as eligible for Japan SSW
        person.preferred_job_types.set([JobType.objects.get(code="caregiver")])
        ssw = Pathway.objects.prefetch_related("job_types").get(code="jp-ssw-p2p")
        before = pathway_eligibility(candidate=person, pathway=ssw)
        assert before.can_start and not before.eligible
        record(person, trainer, test="jft_basic", score=215)
        record(
            person,
            trainer,
            test="skill",
            passed=True,
            title="Kaigo Skills Evaluation",
            issuer="Prometric",
            job_type=JobType.objects.get(code="caregiver"),
        )
        without = pathway_eligibility(candidate=person, pathway=ssw)
        assert not without.eligible
        assert [r.message for r in without.failures] == [
            "belum lulus Ujian Bahasa Jepang Perawatan (hasil resmi)"
        ]
        record(person, trainer, test="kaigo_jp", kind="mock", passed=True)
        assert not pathway_eligibility(candidate=person, pathway=ssw).eligible
        record(person, trainer, test="kaigo_jp", passed=True, issuer="Prometric")
        after = pathway_eligibility(candidate=person, pathway=ssw)
        assert after.eligible, after.failures

    def test_an_industrial_worker_is_eligible_without_care_japanese(self, person, trainer):
        industrial = JobType.objects.get(code="industrial")
        person.preferred_job_types.set([industrial])
        record(person, trainer, test="jft_basic", score=215)
        record(
            person,
            trainer,
            test="skill",
            passed=True,
            title="Industrial product manufacturing",
            issuer="Prometric",
            job_type=industrial,
        )
        ssw = Pathway.objects.get(code="jp-ssw-p2p")
        outcome = pathway_eligibility(candidate=person, pathway=ssw)
        assert outcome.eligible, outcome.failures

    def test_a_mock_result_does_not_make_anyone_eligible(self, person, trainer):
        record(person, trainer, test="jft_basic", score=240, kind="mock")
        ssw = Pathway.objects.get(code="jp-ssw-p2p")
        language = next(
            r
            for r in pathway_eligibility(candidate=person, pathway=ssw).rules
            if r.code == "language"
        )
        assert not language.passed


def test_every_model_constraint_is_checked_without_a_database_error(person, trainer, caplog):
    # Django validates CheckConstraints in Python through the database; a constraint PostgreSQL
    # cannot evaluate is silently skipped with only a logged warning.
    for data in (
        {"test": "eps_topik", "reading": 70, "listening": 60},
        {"test": "jft_basic", "score": 200},
        {"test": "jlpt", "jlpt_level": "N4", "jlpt_language_reading": 70, "jlpt_listening": 30},
        {"test": "kaigo_jp", "passed": True},
    ):
        record(person, trainer, **data)
    assert "Got a database error" not in caplog.text


class TestCareJapanese:
    """The Nursing Care Japanese Language Evaluation Test: its own result, pass or fail."""

    def test_a_result_is_pass_or_fail_and_says_so(self, person, trainer):
        passed = record(person, trainer, test="kaigo_jp", passed=True, issuer="Prometric")
        failed = record(person, trainer, test="kaigo_jp", passed=False, score=12)
        # the pass shows once, as the results table's tag (QA: it read "lulus lulus")
        assert (passed.passed, passed.score, passed.summary) == (True, None, "")
        assert (failed.passed, failed.score) == (False, None)  # no score is kept
        assert passed.get_test_display() == "Ujian Bahasa Jepang Perawatan (Kaigo Nihongo)"

    def test_a_result_without_pass_or_fail_is_refused(self, person, trainer):
        with pytest.raises(ValidationError) as error:
            record(person, trainer, test="kaigo_jp")
        assert error.value.message_dict["passed"] == ["Pilih lulus atau tidak lulus."]

    def test_the_database_refuses_a_score(self, person):
        with pytest.raises(IntegrityError), transaction.atomic():
            Assessment.objects.create(
                candidate=person,
                test="kaigo_jp",
                kind="official",
                taken_on=TODAY,
                score=80,
                passed=True,
            )

    def test_it_has_a_scale_setting_like_every_test(self):
        assert ScaleSetting.objects.filter(test="kaigo_jp").exists()
