"""A person who withdrew is in no ranking and no recommendation: the eligibility query matches
only trained people, so withdrawing (through the stage machine) takes them off at once."""

import pytest
from django.utils import timezone

from jalur.placement.selection import ranked
from jalur.placement.tests.conftest import (  # noqa: F401 - fixtures
    approved_order,
    caregiver,
    industrial,
    make_order,
    make_trained,
    mou,
    p3mi,
    pks,
    ssw,
)
from jalur.privacy.withdraw import candidate_withdraw

pytestmark = pytest.mark.django_db


def test_a_withdrawn_person_leaves_the_ranking(make_trained, approved_order, candidate_user):  # noqa: F811
    order = approved_order()
    stays = make_trained(jft=220, skill=80, preferred_countries=["JP"])
    leaves = make_trained(jft=230, skill=90, preferred_countries=["JP"])
    leaves.user = candidate_user
    leaves.save(update_fields=["user"])
    on, now = timezone.localdate(), timezone.now()
    assert set(ranked(order, on=on, now=now)) == {stays, leaves}
    candidate_withdraw(candidate=leaves, actor=candidate_user, reason="Tidak jadi berangkat")
    assert list(ranked(order, on=on, now=now)) == [stays]
