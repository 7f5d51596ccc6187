import pytest
from django.core.exceptions import ValidationError

from jalur.accounts.roles import CAPABILITIES, Role, can
from jalur.accounts.services import user_create
from jalur.audit.models import AuditLog


def test_every_capability_names_only_real_roles():
    for roles in CAPABILITIES.values():
        assert roles <= set(Role.values)


def test_leadership_is_read_only():
    writes = [cap for cap, roles in CAPABILITIES.items() if Role.LEADERSHIP in roles]
    assert all(
        cap.endswith(("view", "dashboard", "stage_history", "fairness")) for cap in writes
    ), writes


@pytest.mark.django_db
def test_an_unknown_capability_is_a_programming_error(manager):
    with pytest.raises(KeyError):
        can(manager, "no.such.thing")


@pytest.mark.django_db
def test_an_inactive_user_can_do_nothing(manager):
    manager.is_active = False
    assert not can(manager, "candidates.view")


@pytest.mark.django_db
class TestUserCreate:
    def test_training_staff_must_belong_to_a_training_provider(self, agency, sysadmin):
        with pytest.raises(ValidationError) as error:
            user_create(actor=sysadmin, username="x", role=Role.TRAINING_STAFF, organisation=agency)
        assert "Lembaga pelatihan" in str(error.value)

    def test_a_candidate_has_no_organisation(self, agency, sysadmin):
        with pytest.raises(ValidationError):
            user_create(actor=sysadmin, username="x", role=Role.CANDIDATE, organisation=agency)

    def test_the_phone_is_stored_in_e164_and_the_creation_audited(self, sysadmin):
        user = user_create(
            actor=sysadmin, username="budi", role=Role.CANDIDATE, phone="0812 3456 7891"
        )
        assert user.phone == "+6281234567891"
        row = AuditLog.objects.get(action="user.create", object_id=str(user.pk))
        assert row.actor == sysadmin
        assert row.changes["phone"] == [None, "+6281234567891"]

    def test_a_bad_phone_is_refused_with_an_example(self, sysadmin):
        with pytest.raises(ValidationError) as error:
            user_create(actor=sysadmin, username="x", role=Role.CANDIDATE, phone="12345")
        assert "0812-3456-7890" in str(error.value)
