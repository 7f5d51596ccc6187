"""Issue 15 done-criterion: a returnee's second cycle, end to end at service level. Return, the
follow-up at one month, "Daftar lagi", registration sent again with the expired document replaced,
verified again, the training certificate still valid, an offer accepted and a second departure,
with both cycles in the stage history and the monthly check-in working again."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jalur.candidates.models import DocumentStatus, DocumentType, RegistrationChannel
from jalur.candidates.selectors import consent_current
from jalur.candidates.services import (
    candidate_consent_give,
    candidate_register,
    candidate_stage_change,
    candidate_submit,
    candidate_verify,
    document_review,
    document_upload,
)
from jalur.candidates.stages import Stage
from jalur.candidates.tests.conftest import (
    documents_upload_all,
    jpeg_bytes,
    registration_data,
    upload,
)
from jalur.departure.models import CaseStatus, DepartureCase
from jalur.departure.services import case_open
from jalur.departure.tests.conftest import make_agency, make_order
from jalur.placement.models import Application
from jalur.placement.services import offer_accept
from jalur.placement.states import ApplicationStatus
from jalur.protection import services
from jalur.protection.models import CheckIn, FollowUpChannel, ReporterKind
from jalur.protection.return_selectors import carried_over
from jalur.protection.selectors import monitoring_rows
from jalur.training.models import Certificate, Enrolment, EnrolmentStatus
from jalur.training.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def verify(person, officer, verifier):
    candidate_submit(candidate=person, actor=officer)
    for document in person.documents.filter(
        superseded_at__isnull=True, status=DocumentStatus.UPLOADED
    ):
        document_review(document=document, actor=verifier, accept=True)
    candidate_verify(candidate=person, actor=verifier, decision="verified")


def depart(person, order, *, actor, departed_on):
    """An offer on `order` accepted by the person, and their departure on `departed_on`."""
    offered = Application.objects.create(
        order=order, candidate=person, status=ApplicationStatus.OFFERED, origin="applied"
    )
    offered = offer_accept(actor=actor, application=offered)
    case = case_open(application=offered, actor=actor)
    for stage in (Stage.READY, Stage.DEPARTED):
        candidate_stage_change(candidate=person, to_stage=stage, actor=actor)
    DepartureCase.objects.filter(pk=case.pk).update(
        status=CaseStatus.DEPARTED, departed_on=departed_on
    )
    return offered


def test_a_returnees_second_cycle(officer, verifier, manager, agency, candidate_user):
    # cycle 1: registered, verified, trained with a certificate, placed and departed
    person = candidate_register(
        data=registration_data(),
        actor=officer,
        channel=RegistrationChannel.WALK_IN,
        user=candidate_user,
    )
    documents_upload_all(person, officer)
    candidate_consent_give(
        candidate=person, consent=consent_current(), actor=officer, channel="walk_in"
    )
    verify(person, officer, verifier)
    enrolment = Enrolment.objects.create(
        cohort=CohortFactory(), candidate=person, status=EnrolmentStatus.COMPLETED
    )
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        number="SERT-2C-1",
        token="token-second-cycle-0001",
        holder_name=person.full_name,
        programme_name="Bahasa Jepang dan perawatan lansia",
        hours=400,
        provider_name="LPK Uji",
        result="Lulus",
        issued_on=TODAY - datetime.timedelta(days=1200),
    )
    for stage in (Stage.TRAINING, Stage.TRAINED):
        candidate_stage_change(candidate=person, to_stage=stage, actor=manager)
    p3mi = make_agency(agency)
    first = depart(
        person,
        make_order(p3mi, reference="JO-2C-1"),
        actor=manager,
        departed_on=TODAY - datetime.timedelta(days=1130),
    )

    # home again; a month later the returnee answers the first follow-up
    record = services.return_record(
        candidate=person,
        data={
            "returned_on": TODAY - datetime.timedelta(days=40),
            "reason": "contract_finished",
            "handover_to": "Ibu Sari",
            "handover_witness": "Ahmad",
            "handover_witness_role": "Lurah Cipare",
            "handover_place": "Kantor Kelurahan Cipare",
            "reintegration": "business",
        },
        actor=manager,
    )
    services.follow_up_record(
        follow_up=record.follow_ups.get(month=1),
        data={"working": False, "business_started": False, "wants_to_go_again": "yes"},
        channel=FollowUpChannel.SELF,
        actor=candidate_user,
    )
    # one registration document lapsed while the person was abroad
    lapsed = person.documents.filter(superseded_at__isnull=True).first()
    type(lapsed).objects.filter(pk=lapsed.pk).update(expires_on=TODAY - datetime.timedelta(days=3))

    # Daftar lagi
    services.cycle_restart(candidate=person, actor=candidate_user, reason="Ingin ke Jepang lagi")
    person.refresh_from_db()
    assert person.stage == Stage.REGISTERING and person.cycle == 2
    carried = carried_over(person, today=TODAY)
    assert lapsed.document_type in [row["type"] for row in carried["documents_again"]]
    assert lapsed.document_type not in [row["type"] for row in carried["documents_kept"]]
    assert len(carried["documents_kept"]) == DocumentType.objects.filter(required=True).count() - 1
    assert carried["certificates_valid"] == [certificate]
    first.refresh_from_db()  # the first cycle's offer stays readable, no longer holding them
    assert first.status == ApplicationStatus.ACCEPTED and first.returned_on is not None

    # the lapsed document is asked for again; the others are carried over
    with pytest.raises(ValidationError, match=lapsed.document_type.name):
        candidate_submit(candidate=person, actor=candidate_user)
    document_upload(
        candidate=person,
        document_type=lapsed.document_type,
        upload=upload(jpeg_bytes(color=(10, 20, 30))),
        expires_on=TODAY + datetime.timedelta(days=3650),
        actor=candidate_user,
    )
    verify(person, candidate_user, verifier)
    services.certificate_carry_over(candidate=person, actor=manager)
    person.refresh_from_db()
    assert person.stage == Stage.TRAINED

    # selected and departed again: the one-accepted-offer rule counts this cycle only
    second = depart(
        person,
        make_order(p3mi, reference="JO-2C-2"),
        actor=manager,
        departed_on=TODAY,
    )
    second.refresh_from_db()
    assert second.status == ApplicationStatus.ACCEPTED and second.returned_on is None
    person.refresh_from_db()
    assert person.stage == Stage.DEPARTED

    # the stage history keeps both cycles, in order
    moves = list(
        person.stage_history.order_by("created_at", "pk").values_list("to_stage", flat=True)
    )
    assert moves.count(Stage.DEPARTED) == 2 and moves.count(Stage.RETURNED) == 1
    restart = moves.index(Stage.RETURNED) + 1
    assert moves[restart] == Stage.REGISTERING
    assert moves[restart:].count(Stage.VERIFIED) == 1 and moves[-1] == Stage.DEPARTED

    # the second departure's check-ins work, and no earlier follow-up is chased while abroad
    services.checkin_record(
        candidate=person,
        status=CheckIn.Status.GOOD,
        note="",
        reporter_kind=ReporterKind.WORKER,
        actor=candidate_user,
    )
    row = next(r for r in monitoring_rows(manager) if r.pk == person.pk)
    assert not row.checkin_overdue
    assert services.follow_ups_remind(today=TODAY + datetime.timedelta(days=400)) == {
        "returnees": 0,
        "office": 0,
    }
