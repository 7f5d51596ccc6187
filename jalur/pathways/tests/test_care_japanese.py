"""Care-Japanese for caregivers on Japan SSW: a pathway asks a test of some job types only.

Japan SSW, nursing care (jalur.rules.sources.SSW_NURSING_CARE): JFT/JLPT N4 + Nursing Care Japanese
Language Evaluation Test + Nursing Care Skills Evaluation Test.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jalur.accounts.roles import Role
from jalur.accounts.tests.factories import UserFactory
from jalur.audit.models import AuditLog
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.pathways.models import JobType, Pathway, PathwayAssignment
from jalur.pathways.reference import pathways_ensure, ssw_care_japanese_add
from jalur.pathways.selectors import (
    candidate_eligibility,
    eligibility_summary,
    pathway_eligibility,
    pathway_rule_lines,
)
from jalur.pathways.services import pathway_update
from jalur.placement import services as placement
from jalur.placement.eligibility import order_eligibility
from jalur.placement.models import JobOrder
from jalur.placement.tests.conftest import (
    make_agency,
    make_mou,
    make_pks,
    order_data,
    pdf_upload,
)
from jalur.training.services import assessment_record

from .test_pathways import form_data

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
MESSAGE = "belum lulus Ujian Bahasa Jepang Perawatan (hasil resmi)"
OLD_NAME = "Ujian keterampilan bidang SSW (Prometric); kaigo juga ujian bahasa Jepang perawatan"


def ssw() -> Pathway:
    return Pathway.objects.prefetch_related("job_types").get(code="jp-ssw-p2p")


def job(code) -> JobType:
    return JobType.objects.get(code=code)


def record(candidate, actor, **data):
    return assessment_record(
        candidate=candidate, actor=actor, data={"kind": "official", "taken_on": TODAY, **data}
    )


def ssw_results(candidate, actor, job_type):
    """JFT-Basic 215 and `job_type`'s SSW skill test: all Japan SSW asks but care-Japanese."""
    record(candidate, actor, test="jft_basic", score=215)
    record(
        candidate,
        actor,
        test="skill",
        passed=True,
        title="Nursing Care Skills Evaluation Test",
        issuer="Prometric",
        job_type=job_type,
    )


def trained(actor, job_type, *, preferred=None, **kwargs):
    """Trained, on Japan SSW for `job_type`, with JFT-Basic 215 and that job's skill test."""
    candidate = CandidateFactory(stage=kwargs.pop("stage", Stage.TRAINED), **kwargs)
    if preferred is not None:
        candidate.preferred_job_types.set(preferred)
    PathwayAssignment.objects.create(candidate=candidate, pathway=ssw(), job_type=job_type)
    ssw_results(candidate, actor, job_type)
    return candidate


def care_japanese(candidate, actor):
    return record(candidate, actor, test="kaigo_jp", passed=True, issuer="Prometric")


class TestReferenceData:
    def test_the_shipped_ssw_pathways_ask_care_japanese_of_caregivers_only(self):
        for code in ("jp-ssw-p2p", "jp-ssw-mandiri"):
            pathway = Pathway.objects.get(code=code)
            assert pathway.job_type_tests == {"kaigo_jp": ["caregiver"]}
            assert "kaigo" not in pathway.skill_test_name  # no longer words only
        assert Pathway.objects.get(code="jp-ssw-driver").job_type_tests == {}
        lines = pathway_rule_lines(ssw())
        assert (
            "lulus Ujian Bahasa Jepang Perawatan (hasil resmi) untuk Perawat lansia (caregiver)"
            in lines
        )

    def test_existing_pathways_get_the_rule_unless_a_manager_edited_them(self, manager):
        # the database as it was before: the rule only as words in the skill test's name
        Pathway.objects.filter(code__in=["jp-ssw-p2p", "jp-ssw-mandiri"]).update(
            job_type_tests={}, skill_test_name=OLD_NAME
        )
        mandiri = Pathway.objects.get(code="jp-ssw-mandiri")
        pathway_update(
            actor=manager,
            pathway=mandiri,
            data={"jft_min_score": 210},
            job_types=mandiri.job_types.all(),
            reason="Pengumuman 2026",
        )
        assert ssw_care_japanese_add(Pathway) == 1
        p2p = Pathway.objects.get(code="jp-ssw-p2p")
        assert p2p.job_type_tests == {"kaigo_jp": ["caregiver"]}
        assert p2p.skill_test_name == "Ujian keterampilan bidang SSW (Prometric)"
        mandiri.refresh_from_db()
        assert (mandiri.job_type_tests, mandiri.skill_test_name) == ({}, OLD_NAME)
        assert ssw_care_japanese_add(Pathway) == 0  # running it again changes nothing

    def test_ensuring_reference_data_keeps_a_managers_removal_of_the_rule(self, manager):
        pathway = ssw()
        pathway_update(
            actor=manager,
            pathway=pathway,
            data={"job_type_tests": {}},
            job_types=pathway.job_types.all(),
            reason="Uji coba",
        )
        pathways_ensure()
        assert Pathway.objects.get(code="jp-ssw-p2p").job_type_tests == {}


class TestEditing:
    def test_the_rule_is_audited_and_must_name_a_job_type_the_pathway_covers(self, manager):
        pathway = ssw()
        with pytest.raises(ValidationError) as error:
            pathway_update(
                actor=manager,
                pathway=pathway,
                data={"job_type_tests": {"kaigo_jp": ["caregiver", "driver"]}},
                job_types=pathway.job_types.all(),
                reason="uji",
            )
        assert "tidak dicakup skema ini (driver)" in error.value.messages[0]
        pathway_update(
            actor=manager,
            pathway=pathway,
            data={"job_type_tests": {"kaigo_jp": ["industrial", "caregiver"]}},
            job_types=pathway.job_types.all(),
            reason="uji",
        )
        log = AuditLog.objects.get(action="pathway.update")
        assert log.changes["job_type_tests"] == [
            {"kaigo_jp": ["caregiver"]},
            {"kaigo_jp": ["caregiver", "industrial"]},
        ]

    def test_a_manager_sees_and_changes_the_rule_on_the_form(self, client_for, manager):
        pathway = ssw()
        url = reverse("pathways:edit", args=[pathway.pk])
        client = client_for(manager)
        page = client.get(url).content.decode()
        assert (
            "Wajib lulus Ujian Bahasa Jepang Perawatan (hasil resmi) untuk jenis pekerjaan" in page
        )
        data = form_data(pathway)
        assert data["extra_test_kaigo_jp"] == ["caregiver"]
        data["extra_test_kaigo_jp"] = ["caregiver", "welder"]
        assert client.post(url, data).status_code == 302
        pathway.refresh_from_db()
        assert pathway.job_type_tests == {"kaigo_jp": ["caregiver", "welder"]}
        data["extra_test_kaigo_jp"] = ["driver"]  # not a job type of this pathway
        refused = client.post(url, data)
        assert refused.status_code == 200
        assert "tidak dicakup skema ini (driver)" in refused.content.decode()
        data.pop("extra_test_kaigo_jp")  # nothing ticked: the rule is removed
        assert client.post(url, data).status_code == 302
        pathway.refresh_from_db()
        assert pathway.job_type_tests == {}


class TestCandidates:
    def test_a_caregiver_put_on_ssw_is_not_eligible_until_care_japanese_is_passed(self, trainer):
        caregiver = job("caregiver")
        person = trained(trainer, caregiver)
        outcome = pathway_eligibility(candidate=person, pathway=ssw(), job_type=caregiver)
        assert not outcome.eligible and [r.message for r in outcome.failures] == [MESSAGE]
        care_japanese(person, trainer)
        assert pathway_eligibility(candidate=person, pathway=ssw(), job_type=caregiver).eligible

    def test_without_a_chosen_job_type_the_candidates_own_job_types_decide(self, trainer):
        caregiver, industrial = job("caregiver"), job("industrial")
        # put on SSW without a job type: preferences say what they are heading for
        would_be_caregiver = CandidateFactory(stage=Stage.TRAINED)
        would_be_caregiver.preferred_job_types.set([caregiver])
        worker = CandidateFactory(stage=Stage.TRAINED)
        worker.preferred_job_types.set([industrial])
        for person, job_type in ((would_be_caregiver, caregiver), (worker, industrial)):
            PathwayAssignment.objects.create(candidate=person, pathway=ssw(), job_type=None)
            ssw_results(person, trainer, job_type)
        rows = dict(candidate_eligibility(would_be_caregiver))
        assert not rows[ssw()].eligible
        assert MESSAGE in [r.message for r in rows[ssw()].failures]
        assert dict(candidate_eligibility(worker))[ssw()].eligible
        summary = eligibility_summary([would_be_caregiver, worker])
        assert "jp-ssw-p2p" not in [p.code for p in summary[would_be_caregiver.pk]["eligible"]]
        assert "jp-ssw-p2p" in [p.code for p in summary[worker.pk]["eligible"]]

    def test_the_eligibility_page_no_longer_calls_the_caregiver_eligible(
        self, client_for, verifier, trainer
    ):
        person = trained(trainer, job("caregiver"), stage=Stage.VERIFIED)
        page = client_for(verifier).get(reverse("pathways:candidate", args=[person.pk]))
        html = page.content.decode()
        assert MESSAGE in html
        assert "Ujian Bahasa Jepang Perawatan" in html


@pytest.fixture
def caregiver_order(agency, agent, manager):
    """An approved Japan SSW job order for caregivers."""
    p3mi = make_agency(agency)
    make_pks(p3mi, make_mou(), job_types=[job("caregiver")], pathways=[ssw()], quota=100)
    order = placement.job_order_create(
        actor=agent,
        agency=p3mi,
        data=order_data(
            ssw(), job("caregiver"), position_title="Caregiver panti werdha", positions=1
        ),
        costs=[],
        attache_file=pdf_upload(),
    )
    placement.job_order_submit(actor=agent, order=order)
    return placement.job_order_approve(actor=manager, order=order)


class TestJobOrders:
    def test_a_caregiver_order_asks_care_japanese_even_of_someone_who_prefers_other_work(
        self, trainer
    ):
        caregiver = job("caregiver")
        # an unsaved order is enough: the rules read its fields only
        order = JobOrder(pathway=ssw(), job_type=caregiver, employer_country="JP", positions=1)
        person = trained(trainer, caregiver, preferred=[job("industrial")])
        outcome = order_eligibility(candidate=person, order=order, on=TODAY)
        assert [r.message for r in outcome.failures] == [MESSAGE]
        industrial_order = JobOrder(
            pathway=ssw(), job_type=job("industrial"), employer_country="JP", positions=1
        )
        worker = trained(trainer, job("industrial"), preferred=[caregiver])
        assert order_eligibility(candidate=worker, order=industrial_order, on=TODAY).eligible

    def test_a_caregiver_without_care_japanese_cannot_apply_so_is_never_offered_the_job(
        self, caregiver_order, trainer
    ):
        user = UserFactory(role=Role.CANDIDATE, organisation=None)
        person = trained(trainer, job("caregiver"), user=user)
        with pytest.raises(ValidationError) as error:
            placement.application_apply(candidate=person, order=caregiver_order, actor=user)
        assert error.value.code == "not_eligible"
        assert MESSAGE in error.value.messages[0]
        assert not caregiver_order.applications.exists()
        care_japanese(person, trainer)
        application = placement.application_apply(
            candidate=person, order=caregiver_order, actor=user
        )
        assert application.candidate_id == person.pk
