"""An enrolment moves only along its transition table, each move saved and audited in one place."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.training.models import Enrolment
from jalur.training.services import enrolment_create, enrolment_fail, enrolment_withdraw
from jalur.training.services.enrolment import _end
from jalur.training.states import INITIAL, OPEN_ENROLMENT, TRANSITIONS, EnrolmentStatus

S = EnrolmentStatus


def test_the_table_has_every_status_and_only_these_moves():
    assert set(TRANSITIONS) == set(S.values)
    moves = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert moves == {
        (S.WAITING, S.ENROLLED),
        (S.WAITING, S.WITHDRAWN),
        (S.ENROLLED, S.COMPLETED),
        (S.ENROLLED, S.FAILED),
        (S.ENROLLED, S.WITHDRAWN),
        (S.COMPLETED, S.REVOKED),
    }
    assert set(INITIAL) == set(OPEN_ENROLMENT) == {S.WAITING, S.ENROLLED}


def test_every_status_is_reached_from_the_one_an_enrolment_starts_in():
    reached, frontier = set(INITIAL), list(INITIAL)
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(S.values)


@pytest.mark.django_db
class TestEnrolmentMoves:
    def test_leaving_is_audited_with_when_by_whom_and_why(self, cohort, make_verified, manager):
        enrolment = enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        enrolment_withdraw(enrolment=enrolment, actor=manager, reason="Dapat kerja lokal")
        log = AuditLog.objects.get(action="training.enrolment.withdrawn")
        assert log.changes["status"] == ["enrolled", "withdrawn"]
        assert log.changes["end_reason"] == [None, "Dapat kerja lokal"]
        assert log.changes["ended_by"] == [None, manager.pk]
        assert log.changes["ended_at"][1]
        assert log.reason == "Dapat kerja lokal"

    def test_a_move_off_the_table_is_refused_and_nothing_changes(
        self, cohort, make_verified, manager
    ):
        enrolment = enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        enrolment_fail(enrolment=enrolment, actor=manager, reason="Kehadiran 40%")
        locked = Enrolment.objects.get(pk=enrolment.pk)
        with pytest.raises(ValidationError) as error:
            _end(locked, S.WITHDRAWN, actor=manager, reason="Keluar", at=timezone.now())
        assert error.value.code == "invalid_transition"
        assert error.value.messages == [
            'Pendaftaran pelatihan berstatus "Tidak lulus" tidak bisa menjadi "Keluar". '
            "Muat ulang halaman."
        ]
        enrolment.refresh_from_db()
        assert (enrolment.status, enrolment.end_reason) == (S.FAILED, "Kehadiran 40%")
        assert not AuditLog.objects.filter(action="training.enrolment.withdrawn").exists()

    def test_a_promotion_from_the_waiting_list_is_audited_with_the_seat_time(
        self, cohort, make_verified, manager
    ):
        cohort.capacity = 1
        cohort.save()
        seated = enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        waiting = enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        enrolment_withdraw(enrolment=seated, actor=manager, reason="Pindah kota")
        waiting.refresh_from_db()
        assert waiting.status == S.ENROLLED
        log = AuditLog.objects.get(action="training.enrolment.promote")
        assert log.changes["status"] == ["waiting", "enrolled"]
        assert log.changes["enrolled_at"] == [None, waiting.enrolled_at.isoformat()]
