"""A departure case moves only along its transition table, each move saved and audited in one place."""

import pytest
from django.core.exceptions import ValidationError

from jalur.audit.models import AuditLog
from jalur.audit.transitions import status_move
from jalur.departure import services
from jalur.departure.models import DepartureCase
from jalur.departure.states import FINISHED, TRANSITIONS, CaseStatus, case_can_move

from .conftest import DEPARTURE
from .test_checklist import fill, sign_no_fee

C = CaseStatus


def test_the_table_has_every_status_and_only_these_moves():
    assert set(TRANSITIONS) == set(CaseStatus.values)
    moves = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert moves == {
        (C.OPEN, C.READY),
        (C.OPEN, C.ENDED),
        (C.READY, C.OPEN),
        (C.READY, C.DEPARTED),
        (C.READY, C.ENDED),
    }
    assert set(FINISHED) == {C.DEPARTED, C.ENDED}
    assert not case_can_move(C.OPEN, C.DEPARTED)


@pytest.mark.django_db
class TestCaseMoves:
    def ready(self, case, agent, manager):
        fill(case, agent, manager)
        sign_no_fee(case, agent)
        return services.case_mark_ready(case=case, planned_departure_on=DEPARTURE, actor=agent)

    def test_marking_ready_and_ending_are_audited_with_what_changed(self, case, agent, manager):
        self.ready(case, agent, manager)
        ready = AuditLog.objects.get(action="departure.case_ready")
        assert ready.changes == {
            "status": ["open", "ready"],
            "planned_departure_on": [None, DEPARTURE.isoformat()],
        }
        services.case_end(case=case, reason="Mengundurkan diri", actor=manager)
        ended = AuditLog.objects.get(action="departure.case_end")
        assert ended.changes["status"] == ["ready", "ended"]
        assert ended.changes["ended_reason"] == [None, "Mengundurkan diri"]
        assert ended.reason == "Mengundurkan diri"
        with pytest.raises(ValidationError, match="sudah selesai"):
            services.case_end(case=case, reason="lagi", actor=manager)

    def test_a_move_off_the_table_is_refused_and_nothing_changes(self, case, agent):
        locked = DepartureCase.objects.get(pk=case.pk)
        with pytest.raises(ValidationError) as error:
            status_move(
                locked,
                to_status=C.DEPARTED,
                table=TRANSITIONS,
                labels=CaseStatus,
                noun="Proses keberangkatan",
                actor=agent,
                action="departure.depart",
                changed_at_field=None,
            )
        assert error.value.code == "invalid_transition"
        case.refresh_from_db()
        assert case.status == C.OPEN
        assert not AuditLog.objects.filter(action="departure.depart").exists()

    def test_a_case_ended_meanwhile_is_not_reopened_by_a_stale_ready_copy(
        self, case, agent, manager
    ):
        """The re-check or an item change holding an old 'ready' copy of the case must not bring
        an ended case back to 'open' (the move is checked on the locked row)."""
        stale = self.ready(case, agent, manager)
        services.case_end(case=case, reason="Hasil kesehatan unfit", actor=manager)
        assert stale.status == C.READY
        services.cases._case_back_to_open(stale, actor=agent, reason="Butir paspor diubah.")
        case.refresh_from_db()
        assert case.status == C.ENDED
        assert not AuditLog.objects.filter(action="departure.case_reopen").exists()
