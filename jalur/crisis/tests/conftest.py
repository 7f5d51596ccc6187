"""A worker in Japan placed by agency A, with a Japanese number, and a signed delivery helper."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.departure import services as departure
from jalur.departure.models import CaseStatus, DepartureCase
from jalur.departure.tests.conftest import accept, make_agency, make_order
from jalur.notifications.inbound import signature
from jalur.placement.models import Agency

SECRET = "uji-rahasia-gateway-32-karakter-xx"
WORKER_PHONE_ABROAD = "+819012345678"
WORKER_PHONE = "+6281234500001"


def placed_worker(agency_org, agent, **fields) -> Candidate:
    """A departed worker the P3MI `agency_org` placed (a departure case of theirs, departed)."""
    worker = CandidateFactory(stage=Stage.DEPARTED, **fields)
    placing = Agency.objects.filter(organisation=agency_org).first() or make_agency(agency_org)
    order = make_order(placing, reference=f"JO-{worker.pk}")
    case = departure.case_open(application=accept(order, candidate=worker), actor=agent)
    DepartureCase.objects.filter(pk=case.pk).update(
        status=CaseStatus.DEPARTED, departed_on=timezone.localdate() - datetime.timedelta(days=30)
    )
    Candidate.objects.filter(pk=worker.pk).update(stage=Stage.DEPARTED)
    worker.refresh_from_db()
    return worker


@pytest.fixture
def worker(agency, agent, candidate_user):
    return placed_worker(
        agency, agent, user=candidate_user, phone=WORKER_PHONE, phone_abroad=WORKER_PHONE_ABROAD
    )


@pytest.fixture
def inbound_secret(settings):
    settings.JALUR_PHONE_GATEWAY_INBOUND_SECRET = SECRET
    return SECRET


def signed(payload=None, *, body: bytes | None = None, secret=SECRET, at=None, sig=None) -> dict:
    """The keyword arguments of a test client POST, signed as the gateway signs."""
    body = body if body is not None else json.dumps(payload).encode()
    timestamp = str(int((at or timezone.now()).timestamp()))
    return {
        "path": reverse("notifications:gateway_inbound"),
        "data": body,
        "content_type": "application/json",
        "HTTP_X_JALUR_TIMESTAMP": timestamp,
        "HTTP_X_JALUR_SIGNATURE": sig or signature(secret, timestamp, body),
    }


def message(text, *, id="wa-1", sender=WORKER_PHONE_ABROAD) -> dict:
    return {"id": id, "from": sender, "text": text, "at": timezone.now().isoformat()}
