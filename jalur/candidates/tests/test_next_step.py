"""What the job seeker's own page says to do next follows the stage they are really in: nothing
asks for training once it is behind them, nor for the registration form once it is sent; after
an offer is accepted (through placement's own service) the page speaks of the offer and the
departure documents."""

import re

import pytest
from django.urls import reverse

from jalur.candidates.selectors import next_step
from jalur.candidates.stages import JOURNEY, NEXT_STEP, Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.placement import services as placement
from jalur.placement.tests.conftest import (  # noqa: F401 (fixtures)
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
from jalur.placement.tests.test_applications import _through_to_offer, applied  # noqa: F401

pytestmark = pytest.mark.django_db

PAST_TRAINING = JOURNEY[JOURNEY.index(Stage.SELECTION) :]
SENT = [s for s in Stage if s not in (Stage.REGISTERING, Stage.CORRECTION)]


def test_every_stage_has_a_next_step():
    assert set(NEXT_STEP) == set(Stage)


@pytest.mark.parametrize("stage", PAST_TRAINING)
def test_no_stage_after_training_asks_for_training(stage):
    assert "pelatihan" not in str(NEXT_STEP[stage]).casefold()


@pytest.mark.parametrize("stage", SENT)
def test_no_stage_after_sending_asks_to_fill_in_the_form(stage):
    text = str(NEXT_STEP[stage])
    assert "formulir pendaftaran" not in text and "kirim ulang" not in text


def test_each_candidate_is_told_the_next_step_of_their_own_stage():
    for stage in (Stage.VERIFIED, Stage.TRAINED, Stage.PRE_DEPARTURE, Stage.DEPARTED):
        assert next_step(CandidateFactory(stage=stage)) == str(NEXT_STEP[stage])
    assert next_step(None) == str(NEXT_STEP[Stage.REGISTERING])


def test_after_accepting_an_offer_the_page_speaks_of_the_offer_not_of_training(
    client, request, agent
):
    offer = _through_to_offer(request.getfixturevalue("applied"), agent)
    user = offer.candidate.user
    placement.offer_accept(actor=user, application=offer)
    client.force_login(user)
    page = client.get(reverse("candidates:me")).content.decode()
    card = re.search(r'<section class="card status-card">(.*?)</section>', page, re.S)[1]
    assert "Persiapan keberangkatan" in card
    assert "Anda sudah menerima tawaran kerja" in card
    assert "pelatihan" not in card.casefold()
    journey = re.search(r'<li class="current">\s*([^<]+?)\s*<span', page)
    assert journey and journey[1] == "Persiapan keberangkatan"
