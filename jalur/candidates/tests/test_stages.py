import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, transaction

from jalur.audit.models import AuditLog
from jalur.candidates.models import Candidate, StageHistory
from jalur.candidates.services import candidate_stage_change
from jalur.candidates.stages import JOURNEY, NEXT_STEP, TRANSITIONS, Stage
from jalur.candidates.tests.factories import CandidateFactory


def test_every_stage_has_a_row_in_the_transition_table_and_a_next_step():
    assert set(TRANSITIONS) == set(Stage.values)
    assert set(NEXT_STEP) == set(Stage.values)


def test_the_journey_can_be_walked_from_registration_to_return():
    for current, following in zip(JOURNEY, JOURNEY[1:], strict=False):
        assert following in TRANSITIONS[current], (current, following)


@pytest.mark.django_db
class TestStageChange:
    def test_an_allowed_move_writes_history_and_audit_with_the_reason(self, verifier):
        candidate = CandidateFactory(stage=Stage.REGISTERED)
        candidate_stage_change(
            candidate=candidate, to_stage=Stage.CORRECTION, actor=verifier, reason="KK buram"
        )
        candidate.refresh_from_db()
        assert candidate.stage == Stage.CORRECTION
        history = StageHistory.objects.get(candidate=candidate)
        assert (history.from_stage, history.to_stage, history.actor, history.reason) == (
            Stage.REGISTERED,
            Stage.CORRECTION,
            verifier,
            "KK buram",
        )
        audit = AuditLog.objects.get(action="candidate.stage_change", object_id=str(candidate.pk))
        assert audit.changes == {"stage": [Stage.REGISTERED, Stage.CORRECTION]}
        assert audit.reason == "KK buram"
        assert candidate.full_name not in audit.object_label  # no personal data in the audit label

    def test_a_move_that_the_table_forbids_is_refused_in_indonesian(self, verifier):
        candidate = CandidateFactory(stage=Stage.REGISTERED)
        with pytest.raises(ValidationError) as error:
            candidate_stage_change(candidate=candidate, to_stage=Stage.DEPARTED, actor=verifier)
        assert "tidak bisa diubah" in str(error.value)
        assert not StageHistory.objects.exists()
        assert not AuditLog.objects.filter(action="candidate.stage_change").exists()

    def test_a_failure_after_the_move_rolls_back_history_and_audit_too(self, verifier):
        candidate = CandidateFactory(stage=Stage.REGISTERED)
        with pytest.raises(RuntimeError), transaction.atomic():
            candidate_stage_change(candidate=candidate, to_stage=Stage.VERIFIED, actor=verifier)
            raise RuntimeError
        candidate.refresh_from_db()
        assert candidate.stage == Stage.REGISTERED
        assert (
            not StageHistory.objects.exists()
            and not AuditLog.objects.filter(action="candidate.stage_change").exists()
        )

    def test_the_candidate_is_told_in_their_inbox(self, verifier, candidate_user):
        candidate = CandidateFactory(stage=Stage.REGISTERED, user=candidate_user)
        candidate_stage_change(candidate=candidate, to_stage=Stage.VERIFIED, actor=verifier)
        assert candidate_user.notifications.get().title == "Status Anda sekarang: Terverifikasi"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_verifiers_deciding_at_once_only_one_wins(verifier, manager):
    candidate = CandidateFactory(stage=Stage.REGISTERED)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(actor, stage):
        close_old_connections()
        try:
            barrier.wait()
            candidate_stage_change(
                candidate=Candidate.objects.get(pk=candidate.pk), to_stage=stage, actor=actor
            )
            outcomes.append(("ok", stage))
        except ValidationError as error:
            outcomes.append(("refused", str(error)))
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=decide, args=(verifier, Stage.VERIFIED)),
        threading.Thread(target=decide, args=(manager, Stage.REJECTED)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o[0] for o in outcomes) == ["ok", "refused"]
    assert StageHistory.objects.filter(candidate=candidate).count() == 1
