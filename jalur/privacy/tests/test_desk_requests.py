"""Correction and erasure asked at the desk on the person's behalf (UU PDP Pasal 6 and 8): the
request is the person's, the officer is recorded as the one who made it, in the request row and
in its audit row."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from jalur.audit.models import AuditLog
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.privacy.models import RightsRequest

pytestmark = pytest.mark.django_db


def _audit_of(request: RightsRequest) -> AuditLog:
    return AuditLog.objects.get(
        action=f"privacy.request_{request.kind}",
        content_type=ContentType.objects.get_for_model(RightsRequest),
        object_id=str(request.pk),
    )


def _on_behalf(request: RightsRequest, *, person, officer) -> None:
    """Made for `person` (their request, their record) by `officer` (not the person's account)."""
    assert request.candidate_id == person.pk
    assert request.created_by == officer and request.created_by != person.user
    audit = _audit_of(request)
    assert audit.actor == officer and audit.actor_id != person.user_id


def test_the_desk_asks_a_correction_on_the_persons_behalf(client_for, officer, candidate_user):
    person = CandidateFactory(user=candidate_user, stage=Stage.REGISTERED, birth_place="Serang")
    client = client_for(officer)
    url = reverse("privacy:desk_rectify", args=[person.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"field": "birth_place", "value": "Cilegon", "note": "Sesuai akta kelahiran"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:desk", args=[person.pk])
    request = RightsRequest.objects.get()
    assert request.kind == RightsRequest.Kind.RECTIFY
    assert request.status == RightsRequest.Status.OPEN
    assert request.changes == {"birth_place": "Cilegon"}
    _on_behalf(request, person=person, officer=officer)
    assert _audit_of(request).changes == {"fields": [[], ["birth_place"]]}
    person.refresh_from_db()
    assert person.birth_place == "Serang"  # the office decides; nothing changes yet
    desk = client.get(reverse("privacy:desk", args=[person.pk]))
    assert request in list(desk.context["requests"])


def test_the_desk_asks_an_erasure_on_the_persons_behalf(client_for, officer, candidate_user):
    person = CandidateFactory(user=candidate_user, stage=Stage.WITHDRAWN)
    client = client_for(officer)
    url = reverse("privacy:desk_erase", args=[person.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"note": "Datang sendiri ke kantor", "confirm": "on"})
    assert response.status_code == 302
    request = RightsRequest.objects.get()
    assert (request.kind, request.status) == (RightsRequest.Kind.ERASE, RightsRequest.Status.OPEN)
    assert request.note == "Datang sendiri ke kantor"
    _on_behalf(request, person=person, officer=officer)


def test_the_persons_own_request_is_recorded_as_theirs(client_for, candidate_user):
    """The contrast: asked from the person's own page, the person is the one recorded."""
    person = CandidateFactory(user=candidate_user, stage=Stage.WITHDRAWN)
    client_for(candidate_user).post(
        reverse("privacy:erase"), {"note": "Hapus data saya", "confirm": "on"}
    )
    request = RightsRequest.objects.get()
    assert request.candidate_id == person.pk and request.created_by == candidate_user
    assert _audit_of(request).actor == candidate_user


def test_the_desk_cannot_ask_an_erasure_while_the_person_is_in_the_programme(
    client_for, officer, candidate_user
):
    person = CandidateFactory(user=candidate_user, stage=Stage.REGISTERED)
    response = client_for(officer).post(
        reverse("privacy:desk_erase", args=[person.pk]), {"note": "x", "confirm": "on"}
    )
    assert response.status_code == 200
    assert "Mengundurkan diri dulu" in response.content.decode()
    assert not RightsRequest.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="privacy.request_").exists()
