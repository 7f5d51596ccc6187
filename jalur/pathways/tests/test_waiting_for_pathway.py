"""Issue 17: after training nobody waited in silence for a pathway. The rules suggest one from the
person's choices and results, the manager sees the count on the home page and confirms many at once,
the rules assign the only legal option themselves, and the person is told what is happening."""

import pytest
from django.apps import apps
from django.template.loader import render_to_string
from django.urls import reverse

from jalur.audit.models import AuditLog
from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.pathways.models import JobType, Pathway, PathwayAssignment
from jalur.pathways.services import pathway_assign_by_rule
from jalur.pathways.suggestions import suggest, waiting_for_pathway
from jalur.rules.pathways import PathwayOption, pathway_suggestion

pytestmark = pytest.mark.django_db


def trained(*, countries=("JP",), jobs=(), **kwargs):
    person = CandidateFactory(stage=Stage.TRAINED, preferred_countries=list(countries), **kwargs)
    person.preferred_job_types.set(JobType.objects.filter(code__in=jobs))
    return person


def option(name, **kwargs):
    values = {
        "ref": name,
        "name": name,
        "open": True,
        "can_start": True,
        "eligible": False,
        "country_chosen": False,
        "job_type_chosen": False,
    }
    return PathwayOption(**(values | kwargs))


class TestTheRule:
    @pytest.mark.rule("pathways.pathway_suggestion")
    def test_what_the_person_chose_and_achieved_decides_the_suggestion(self):
        ruling = pathway_suggestion(
            [
                option("A", order=0, country_chosen=True),
                option("B", order=1, country_chosen=True, job_type_chosen=True, eligible=True),
                option("C", order=2, job_type_chosen=True),
            ]
        )
        assert ruling.option.ref == "B" and not ruling.automatic
        assert "negara tujuan pilihannya dan jenis pekerjaan pilihannya" in ruling.reason
        assert [o.ref for o in ruling.legal] == ["B", "C"]

    @pytest.mark.rule("pathways.pathway_suggestion")
    def test_one_legal_option_fully_met_is_assigned_by_the_rules(self):
        only = pathway_suggestion(
            [option("A", job_type_chosen=True, eligible=True), option("B", open=False)]
        )
        assert only.automatic and "satu-satunya" in only.reason
        not_met = pathway_suggestion([option("A", job_type_chosen=True, to_achieve=("JFT",))])
        assert not not_met.automatic and "masih perlu: JFT" in not_met.reason
        nothing = pathway_suggestion([option("A", can_start=False)])
        assert nothing.option is None and "manual" in nothing.reason


class TestTheManagersList:
    def test_the_home_page_counts_those_waiting_and_links_the_list(self, client_for, manager):
        waiting = trained(full_name="Dewi Lestari")
        home = client_for(manager).get("/").content.decode()
        assert "Lulus pelatihan, menunggu penetapan skema" in home
        assert reverse("pathways:waiting") in home
        page = client_for(manager).get(reverse("pathways:waiting")).content.decode()
        assert "Dewi Lestari" in page and "disarankan" in page
        assert [c.pk for c in waiting_for_pathway(manager)] == [waiting.pk]

    def test_the_manager_confirms_many_in_one_step(self, client_for, manager):
        people = [trained(jobs=("caregiver",)) for _ in range(3)]
        rows = {r.candidate.pk: r for r in suggest(people)}
        assert all(r.pathway is not None for r in rows.values())
        post = {"candidates": [p.pk for p in people]}
        post |= {f"pathway-{p.pk}": rows[p.pk].pathway.pk for p in people}
        response = client_for(manager).post(reverse("pathways:waiting_assign"), post)
        assert response.status_code == 302
        assert PathwayAssignment.objects.filter(is_active=True).count() == 3
        assert AuditLog.objects.filter(action="pathway.assign", actor=manager).count() == 3
        assert not waiting_for_pathway(manager).exists()

    def test_the_manager_may_pick_another_pathway_than_the_suggestion(self, client_for, manager):
        person = trained(jobs=("caregiver",))
        [row] = suggest([person])
        other = next(p for p in row.options if p != row.pathway)
        client_for(manager).post(
            reverse("pathways:waiting_assign"),
            {"candidates": [person.pk], f"pathway-{person.pk}": other.pk},
        )
        assert PathwayAssignment.objects.get(candidate=person, is_active=True).pathway == other

    def test_those_without_the_capability_do_not_see_the_list(self, client_for, trainer, agent):
        for user in (trainer, agent):
            assert client_for(user).get(reverse("pathways:waiting")).status_code == 403


def only_one_legal_option():
    """SSW P-to-P asks no test result, and the other Japanese caregiver pathway is suspended."""
    Pathway.objects.filter(code="jp-ssw-p2p").update(
        jft_min_score=None, jlpt_min_level="", skill_test_required=False, job_type_tests={}
    )
    Pathway.objects.filter(code__in=["jp-ssw-mandiri", "jp-ijepa"]).update(
        state="suspended", state_reason="uji"
    )


class TestTheRulesAssign:
    def test_the_only_legal_option_is_assigned_audited_and_told(self, manager, candidate_user):
        """A caregiver who chose Japan, when SSW P-to-P is the one Japanese caregiver pathway open
        and asks nothing the person lacks: the rules assign it themselves."""
        only_one_legal_option()
        person = trained(jobs=("caregiver",), user=candidate_user)
        [row] = suggest([person])
        assert row.suggestion.automatic and row.pathway.code == "jp-ssw-p2p"
        assignment = pathway_assign_by_rule(candidate=Candidate.objects.get(pk=person.pk))
        assert assignment is not None and assignment.assigned_by is None
        assert assignment.job_type.code == "caregiver"
        assert "pathways.pathway_suggestion" in assignment.reason
        audit = AuditLog.objects.get(action="pathway.assign")
        assert audit.actor is None and "pathways.pathway_suggestion" in audit.actor_label
        assert manager.notifications.filter(key="pathway_assigned_by_rule").exists()
        assert candidate_user.notifications.filter(key="pathway_assigned").exists()
        home = apps.get_app_config("pathways").home_widgets(manager)
        [stat] = [s for s in home[0]["stats"] if "otomatis" in str(s["label"])]
        assert stat["value"] == 1

    def test_with_a_choice_to_make_the_rules_leave_it_to_the_manager(self):
        person = trained(countries=("JP", "KR"))
        assert pathway_assign_by_rule(candidate=person) is None
        assert not PathwayAssignment.objects.exists()


class TestThePersonIsTold:
    def test_the_candidate_reads_that_the_office_is_deciding_and_by_when(self, candidate_user):
        person = trained(user=candidate_user)
        sections = apps.get_app_config("pathways").candidate_sections(person, candidate_user)
        html = render_to_string(sections[0]["template"], {"ctx": sections[0]["context"]})
        assert "Petugas sedang menetapkan skema penempatan Anda" in html
        assert "perkiraan paling lambat" in html
        assert "Tanyakan ke" not in html

    def test_the_persons_own_page_names_the_pathway_as_the_step_before_applying(
        self, client_for, candidate_user
    ):
        trained(user=candidate_user)
        page = client_for(candidate_user).get(reverse("candidates:me")).content.decode()
        assert "Setelah skema penempatan Anda ditetapkan" in page
        assert "Petugas sedang menetapkan skema penempatan Anda" in page
