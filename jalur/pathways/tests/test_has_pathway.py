"""Whether each person has an active pathway, kept on their row (Candidate.has_pathway): written in
the transaction of every assignment made, replaced, ended or deleted, equal to a recount from the
assignments, and giving the waiting list the people the old test over the assignments gave."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Exists, OuterRef

from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.pathways.assignment_state import has_pathway_rebuild
from jalur.pathways.models import Pathway, PathwayAssignment
from jalur.pathways.services import (
    pathway_assign,
    pathway_assign_by_rule,
    pathway_assignment_end,
    pathways_assign_many,
)
from jalur.pathways.suggestions import WAITING_ORDER, waiting_for_pathway

from .test_waiting_for_pathway import only_one_legal_option, trained

pytestmark = pytest.mark.django_db


def pathway(code) -> Pathway:
    return Pathway.objects.get(code=code)


def _kept() -> dict:
    return dict(Candidate.objects.values_list("pk", "has_pathway"))


def _recount() -> dict:
    """Every person's flag worked out here from all the assignments, active or ended."""
    active = set(
        PathwayAssignment.objects.filter(is_active=True).values_list("candidate_id", flat=True)
    )
    return {pk: pk in active for pk in Candidate.objects.values_list("pk", flat=True)}


def _waiting_from_the_assignments() -> list[int]:
    """The waiting list as it was read before the flag: a test over the assignments."""
    assigned = PathwayAssignment.objects.filter(candidate=OuterRef("pk"), is_active=True)
    rows = Candidate.objects.filter(stage=Stage.TRAINED).exclude(Exists(assigned))
    return list(rows.order_by(*WAITING_ORDER).values_list("pk", flat=True))


@pytest.fixture
def people(db, verifier, manager):
    """Trained and verified people, assigned, replaced, ended and refused through the services."""
    waiting = [trained(jobs=("caregiver",)) for _ in range(3)]
    replaced = CandidateFactory(stage=Stage.VERIFIED)
    pathway_assign(candidate=replaced, pathway=pathway("jp-ssw-p2p"), actor=verifier)
    pathway_assign(candidate=replaced, pathway=pathway("kr-eps-g2g"), actor=verifier)
    ended = trained()
    assignment = pathway_assign(candidate=ended, pathway=pathway("jp-ssw-p2p"), actor=verifier)
    pathway_assignment_end(assignment=assignment, actor=manager, reason="pindah skema nanti")
    refused = trained()
    with pytest.raises(ValidationError):
        pathway_assign(candidate=refused, pathway=pathway("kr-e8-seasonal"), actor=verifier)
    outcome = pathways_assign_many(choices=[(waiting[0], pathway("jp-ssw-p2p"))], actor=manager)
    assert outcome["done"] == [waiting[0]]
    return {"waiting": waiting, "replaced": replaced, "ended": ended, "refused": refused}


class TestKeptFlag:
    def test_every_service_keeps_the_row_as_a_recount_gives(self, people):
        assert _kept() == _recount()
        kept = _kept()
        assert kept[people["waiting"][0].pk] and kept[people["replaced"].pk]
        assert not kept[people["ended"].pk] and not kept[people["refused"].pk]
        assert not kept[people["waiting"][1].pk]

    def test_the_rules_own_assignment_keeps_it(self, people):
        only_one_legal_option()
        person = Candidate.objects.get(pk=people["waiting"][1].pk)
        assert pathway_assign_by_rule(candidate=person) is not None
        assert _kept()[person.pk] is True
        assert _kept() == _recount()

    def test_a_deleted_assignment_and_a_deleted_person_keep_it(self, people):
        PathwayAssignment.objects.filter(candidate=people["replaced"], is_active=True).delete()
        assert _kept()[people["replaced"].pk] is False
        Candidate.objects.filter(pk=people["waiting"][0].pk).delete()  # the cascade
        assert _kept() == _recount()

    def test_a_save_of_other_fields_writes_nothing(self, people, django_assert_num_queries):
        assignment = PathwayAssignment.objects.filter(is_active=True).first()
        assignment.reason = "catatan"
        with django_assert_num_queries(1):
            assignment.save(update_fields=["reason"])

    def test_the_erasure_leaves_it_true(self, people, sysadmin):
        from jalur.privacy.services import candidate_anonymise

        candidate_anonymise(candidate=people["replaced"], actor=sysadmin, reason="uji")
        assert _kept()[people["replaced"].pk] is True
        assert _kept() == _recount()

    def test_a_recount_from_scratch_gives_what_the_writes_kept(self, people):
        kept = _kept()
        Candidate.objects.update(has_pathway=True)
        assert has_pathway_rebuild() == sum(not flag for flag in kept.values())
        assert _kept() == kept
        assert has_pathway_rebuild() == 0


class TestTheWaitingList:
    def test_the_list_is_who_the_assignments_leave_waiting_longest_first(self, people, manager):
        listed = [c.pk for c in waiting_for_pathway(manager)]
        assert listed == _waiting_from_the_assignments()
        assert set(listed) == {
            people["waiting"][1].pk,
            people["waiting"][2].pk,
            people["ended"].pk,
            people["refused"].pk,
        }


def test_the_synthetic_generator_writes_it_with_the_assignments_it_copies_in():
    call_command("generate_synthetic", "300", "--no-rebuild", verbosity=0)
    kept = _kept()
    assert kept == _recount()
    assert any(kept.values()) and not all(kept.values())
