"""Pathways as data: the shipped 2026 states, audited edits, assignment, and the pages."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jalur.audit.models import AuditLog
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.pathways.models import JobType, Pathway, PathwayAssignment, PathwayState, PlacingParty
from jalur.pathways.reference import pathways_ensure
from jalur.pathways.services import job_type_update, pathway_assign, pathway_update

pytestmark = pytest.mark.django_db


def pathway(code) -> Pathway:
    return Pathway.objects.get(code=code)


def verified(**kwargs):
    return CandidateFactory(stage=Stage.VERIFIED, **kwargs)


def form_data(p: Pathway, **changes) -> dict:
    data = {
        "code": p.code,
        "country": p.country,
        "name": p.name,
        "placing_party": p.placing_party,
        "state": p.state,
        "state_reason": p.state_reason,
        "closes_on": p.closes_on.isoformat() if p.closes_on else "",
        "legal_basis": p.legal_basis,
        "description": p.description,
        "job_types": [jt.pk for jt in p.job_types.all()],
        "min_age": p.min_age or "",
        "max_age": p.max_age or "",
        "min_education": p.min_education,
        "sex": p.sex,
        "min_experience_years": p.min_experience_years or "",
        "prior_years_limit": p.prior_years_limit or "",
        "eps_topik_min_score": p.eps_topik_min_score or "",
        "jft_min_score": p.jft_min_score or "",
        "jlpt_min_level": p.jlpt_min_level,
        "skill_test_name": p.skill_test_name,
        "licence_name": p.licence_name,
        "sort_order": p.sort_order,
        "checklist_text": "\n".join(p.checklist_items),
        "reason": "uji",
    }
    for test, codes in p.job_type_tests.items():
        data[f"extra_test_{test}"] = list(codes)
    if p.skill_test_required:
        data["skill_test_required"] = "on"
    if p.licence_required:
        data["licence_required"] = "on"
    data.update(changes)
    return data


class TestShippedPathways:
    def test_korea_e8_seasonal_is_suspended_with_its_reason(self):
        e8 = pathway("kr-e8-seasonal")
        assert e8.state == PathwayState.SUSPENDED and not e8.is_open()
        assert "3 tahun" in e8.state_reason

    def test_korea_eps_is_open_to_the_government_only(self):
        eps = pathway("kr-eps-g2g")
        assert eps.is_open() and eps.allows(PlacingParty.GOVERNMENT)
        assert not eps.allows(PlacingParty.P3MI)
        assert (eps.min_age, eps.max_age, eps.min_education) == (18, 39, "SMP")

    def test_titp_closes_on_1_april_2027(self):
        titp = pathway("jp-titp")
        assert titp.closes_on == datetime.date(2027, 4, 1)
        assert titp.is_open(datetime.date(2027, 3, 31))
        assert not titp.is_open(datetime.date(2027, 4, 1))

    def test_a_baby_sitter_has_no_open_pathway(self):
        baby_sitter = JobType.objects.get(code="baby-sitter")
        assert baby_sitter.pathways.exists()
        assert baby_sitter.open_pathways() == []

    def test_ssw_accepts_jft_a2_or_jlpt_n4(self):
        ssw = pathway("jp-ssw-p2p")
        assert (ssw.jft_min_score, ssw.jlpt_min_level) == (200, "N4")

    def test_reference_data_never_overwrites_a_managers_edit(self, manager):
        eps = pathway("kr-eps-g2g")
        pathway_update(
            actor=manager,
            pathway=eps,
            data={"eps_topik_min_score": 120},
            job_types=eps.job_types.all(),
            reason="Pengumuman BP2MI 2026",
        )
        Pathway.objects.filter(code="kr-e7").delete()
        assert pathways_ensure() == 1
        assert pathway("kr-eps-g2g").eps_topik_min_score == 120
        assert Pathway.objects.filter(code="kr-e7").exists()


class TestEditing:
    def test_an_edit_is_audited_with_its_reason_and_diff(self, manager):
        e7 = pathway("kr-e7")
        pathway_update(
            actor=manager,
            pathway=e7,
            data={"state": PathwayState.SUSPENDED, "state_reason": "Kuota KOSHIPA habis"},
            job_types=[],
            reason="Surat KP2MI No. 12/2026",
        )
        log = AuditLog.objects.get(action="pathway.update")
        assert log.reason == "Surat KP2MI No. 12/2026"
        assert log.changes["state"] == ["open", "suspended"]
        assert log.changes["job_types"][1] == []

    def test_an_edit_without_a_reason_is_refused(self, manager):
        with pytest.raises(ValidationError) as error:
            pathway_update(
                actor=manager, pathway=pathway("kr-e7"), data={}, job_types=[], reason=" "
            )
        assert "reason" in error.value.message_dict

    def test_suspending_without_saying_why_is_refused(self, manager):
        e7 = pathway("kr-e7")
        with pytest.raises(ValidationError) as error:
            pathway_update(
                actor=manager,
                pathway=e7,
                data={"state": PathwayState.CLOSED, "state_reason": ""},
                job_types=[],
                reason="x",
            )
        assert "state_reason" in error.value.message_dict

    def test_the_age_range_must_be_ordered(self, manager):
        with pytest.raises(ValidationError):
            pathway_update(
                actor=manager,
                pathway=pathway("kr-e7"),
                data={"min_age": 40, "max_age": 30},
                job_types=[],
                reason="x",
            )

    def test_a_zero_cost_position_stays_zero_cost(self, manager):
        caregiver = JobType.objects.get(code="caregiver")
        assert caregiver.zero_cost
        with pytest.raises(ValidationError) as error:
            job_type_update(
                actor=manager,
                job_type=caregiver,
                data={"zero_cost": False, "zero_cost_basis": ""},
                reason="salah tandai",
            )
        message = error.value.message_dict["zero_cost"][0]
        assert "Perban BP2MI 9/2020: pengasuh lansia" in message
        caregiver.refresh_from_db()
        assert caregiver.zero_cost
        assert not AuditLog.objects.filter(action="job_type.update").exists()

    def test_an_ordinary_job_type_may_be_made_zero_cost_with_its_basis(self, manager):
        welder = JobType.objects.get(code="welder")
        job_type_update(
            actor=manager,
            job_type=welder,
            data={"zero_cost": True, "zero_cost_basis": "Keputusan program 2026"},
            reason="lebih ketat dari hukum",
        )
        welder.refresh_from_db()
        assert welder.zero_cost


class TestAssignment:
    def test_a_verified_candidate_is_put_on_an_open_pathway_and_it_is_audited(self, verifier):
        candidate = verified()
        industrial = JobType.objects.get(code="industrial")
        assignment = pathway_assign(
            candidate=candidate, pathway=pathway("kr-eps-g2g"), job_type=industrial, actor=verifier
        )
        assert assignment.is_active and assignment.job_type == industrial
        assert AuditLog.objects.filter(action="pathway.assign").count() == 1

    @pytest.mark.parametrize("code", ["kr-e8-seasonal", "kr-baby-sitter"])
    def test_a_candidate_cannot_be_put_on_a_pathway_that_is_not_open(self, verifier, code):
        with pytest.raises(ValidationError) as error:
            pathway_assign(candidate=verified(), pathway=pathway(code), actor=verifier)
        assert error.value.code == "pathway_not_open"
        closed = pathway(code)
        message = error.value.messages[0]
        # the stored reason and legal basis, and what to do
        assert (
            closed.state_reason.rstrip(". ") in message
            and "Pilih skema lain yang dibuka" in message
        )
        if closed.legal_basis != "—":
            assert closed.legal_basis.rstrip(". ") in message
        assert not PathwayAssignment.objects.exists()

    def test_a_phased_out_pathway_refuses_from_its_closing_date(self, verifier):
        with pytest.raises(ValidationError):
            pathway_assign(
                candidate=verified(),
                pathway=pathway("jp-titp"),
                actor=verifier,
                on=datetime.date(2027, 4, 1),
            )

    def test_a_failing_entry_rule_is_refused_with_the_rule_message(self, verifier):
        today = datetime.date.today()
        old = verified(birth_date=today.replace(year=today.year - 41, day=1))  # 41 on any day
        with pytest.raises(ValidationError) as error:
            pathway_assign(candidate=old, pathway=pathway("kr-eps-g2g"), actor=verifier)
        assert "umur 41, batas 39" in error.value.messages[0]

    def test_language_and_skill_rules_do_not_block_the_assignment(self, verifier):
        assignment = pathway_assign(
            candidate=verified(), pathway=pathway("jp-ssw-p2p"), actor=verifier
        )
        assert assignment.pk

    def test_an_unverified_candidate_cannot_be_put_on_a_pathway(self, verifier):
        with pytest.raises(ValidationError) as error:
            pathway_assign(
                candidate=CandidateFactory(stage=Stage.REGISTERED),
                pathway=pathway("jp-ssw-p2p"),
                actor=verifier,
            )
        assert error.value.code == "stage"

    def test_a_job_type_the_pathway_does_not_cover_is_refused(self, verifier):
        with pytest.raises(ValidationError) as error:
            pathway_assign(
                candidate=verified(),
                pathway=pathway("jp-ssw-driver"),
                job_type=JobType.objects.get(code="nurse"),
                actor=verifier,
            )
        assert error.value.code == "job_type"

    def test_a_new_pathway_replaces_the_active_one(self, verifier):
        candidate = verified()
        first = pathway_assign(candidate=candidate, pathway=pathway("jp-ssw-p2p"), actor=verifier)
        pathway_assign(candidate=candidate, pathway=pathway("kr-eps-g2g"), actor=verifier)
        first.refresh_from_db()
        assert not first.is_active and "Korea EPS" in first.end_reason
        assert PathwayAssignment.objects.filter(candidate=candidate, is_active=True).count() == 1


class TestPages:
    def test_every_staff_role_reads_the_list_and_a_candidate_may_not(self, client_for, role_users):
        url = reverse("pathways:list")
        for role, user in role_users.items():
            status = client_for(user).get(url).status_code
            assert status == (403 if role == "candidate" else 200), role

    def test_only_managers_edit_a_pathway(self, client_for, manager, verifier, trainer):
        url = reverse("pathways:edit", args=[pathway("kr-e7").pk])
        assert client_for(verifier).get(url).status_code == 403
        assert client_for(trainer).get(url).status_code == 403
        assert client_for(manager).get(url).status_code == 200

    def test_a_manager_suspends_a_pathway_through_the_form(self, client_for, manager):
        e7 = pathway("kr-e7")
        response = client_for(manager).post(
            reverse("pathways:edit", args=[e7.pk]),
            form_data(e7, state="suspended", state_reason="Moratorium", reason="Surat 1/2026"),
        )
        assert response.status_code == 302
        e7.refresh_from_db()
        assert e7.state == "suspended"
        assert AuditLog.objects.get(action="pathway.update").reason == "Surat 1/2026"

    def test_the_form_shows_the_service_error_beside_the_field(self, client_for, manager):
        e7 = pathway("kr-e7")
        response = client_for(manager).post(
            reverse("pathways:edit", args=[e7.pk]), form_data(e7, state="closed", state_reason="")
        )
        assert response.status_code == 200
        assert "Tulis alasan skema ditangguhkan atau ditutup" in response.content.decode()

    def test_the_eligibility_page_names_the_failing_rule(self, client_for, verifier):
        today = datetime.date.today()
        old = verified(birth_date=today.replace(year=today.year - 41, day=1))  # 41 on any day
        page = client_for(verifier).get(reverse("pathways:candidate", args=[old.pk]))
        assert "umur 41, batas 39" in page.content.decode()

    def test_the_list_is_searched_by_nik_only_by_those_who_may_see_niks(
        self, client_for, verifier, leader
    ):
        """A NIK prefix that matches tells its next digit: 160 tries would spell the whole NIK."""
        person = CandidateFactory(stage=Stage.VERIFIED)
        url = reverse("pathways:eligibility")

        def found(user, q):
            page = client_for(user).get(url, {"tahap": Stage.VERIFIED, "q": q})
            return person.full_name in page.content.decode()

        assert found(verifier, person.nik[:8]) and found(verifier, person.nik)
        assert not found(leader, person.nik[:8]) and not found(leader, person.nik)
        assert found(leader, person.full_name.split()[0])

    def test_agencies_and_providers_do_not_see_candidates_outside_their_scope(
        self, client_for, agent, trainer
    ):
        url = reverse("pathways:candidate", args=[verified().pk])
        assert client_for(agent).get(url).status_code == 404
        assert client_for(trainer).get(url).status_code == 404

    def test_a_verifier_assigns_through_the_page_and_a_trainer_may_not(
        self, client_for, verifier, trainer
    ):
        candidate = verified()
        url = reverse("pathways:assign", args=[candidate.pk])
        data = {"pathway": pathway("jp-ssw-p2p").pk}
        assert client_for(trainer).post(url, data).status_code == 403
        assert client_for(verifier).post(url, data).status_code == 302
        assert PathwayAssignment.objects.get(candidate=candidate).pathway.code == "jp-ssw-p2p"

    def test_assigning_a_suspended_pathway_through_the_page_shows_the_refusal(
        self, client_for, verifier
    ):
        candidate = verified()
        response = client_for(verifier).post(
            reverse("pathways:assign", args=[candidate.pk]),
            {"pathway": pathway("kr-e8-seasonal").pk},
            follow=True,
        )
        page = html.unescape(response.content.decode())
        assert 'Skema "Korea E-8 pekerja musiman lewat MoU pemerintah daerah" ditangguhkan' in page
        assert "Korea menangguhkan pekerja musiman dari Indonesia selama 3 tahun" in page
        assert not PathwayAssignment.objects.exists()

    def test_the_public_page_shows_closed_channels_without_login(self, client):
        page = client.get(reverse("pathways:public")).content.decode()
        assert "Korea E-8" in page and "Ditangguhkan" in page
        assert "Tidak ada jalur resmi" in page  # baby sitter

    def test_the_job_type_page_marks_the_baby_sitter_as_having_no_route(self, client_for, officer):
        page = client_for(officer).get(reverse("pathways:job_types")).content.decode()
        assert "Tidak ada jalur resmi yang dibuka" in page

    def test_a_manager_edits_a_job_type_with_a_valid_kbji_code(self, client_for, manager):
        welder = JobType.objects.get(code="welder")
        data = {
            "name": welder.name,
            "kbji_codes": "7212, 7213",
            "ssw_field": welder.ssw_field,
            "e9_sector": welder.e9_sector,
            "zero_cost_basis": "",
            "is_active": "on",
            "sort_order": 6,
            "reason": "KBJI dicek ulang",
        }
        client = client_for(manager)
        bad = client.post(
            reverse("pathways:job_type_edit", args=[welder.pk]), {**data, "kbji_codes": "72"}
        )
        assert "empat digit" in bad.content.decode()
        assert (
            client.post(reverse("pathways:job_type_edit", args=[welder.pk]), data).status_code
            == 302
        )
        welder.refresh_from_db()
        assert welder.kbji_codes == "7212,7213"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "stage, says",
    [
        ("registered", "setelah data Anda diverifikasi"),
        ("verified", "Data Anda sudah diverifikasi"),
        ("training", "Data Anda sudah diverifikasi"),
    ],
)
def test_the_person_without_a_pathway_is_told_what_fits_their_stage(
    client_for, candidate_user, stage, says
):

    CandidateFactory(user=candidate_user, stage=stage)
    page = client_for(candidate_user).get(reverse("candidates:me")).content.decode()
    assert says in page
