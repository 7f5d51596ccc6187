"""Messages reach a worker abroad on their number there, and the gateway gets a foreign number
with its country code whatever format the city set for Indonesian numbers."""

import pytest

from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.notifications import gateways
from jalur.notifications.channels import recipients_for
from jalur.notifications.models import Channel
from jalur.notifications.services import notify


@pytest.mark.parametrize(
    ("number_format", "indonesian", "korean", "japanese"),
    [
        ("62", "6281234567890", "821012345678", "819012345678"),
        ("0", "081234567890", "821012345678", "819012345678"),
        ("+62", "+6281234567890", "+821012345678", "+819012345678"),
    ],
)
def test_each_number_format_gives_a_foreign_number_its_country_code(
    number_format, indonesian, korean, japanese
):
    gateway = gateways.HttpGateway(url="https://gateway.example/send", number_format=number_format)
    assert gateway.number("+6281234567890") == indonesian
    assert gateway.number("+821012345678") == korean
    assert gateway.number("+819012345678") == japanese


@pytest.mark.django_db
class TestAWorkerAbroad:
    @pytest.fixture
    def worker(self, candidate_user):
        candidate_user.email = None
        candidate_user.save()
        return CandidateFactory(
            user=candidate_user,
            phone="+6281234567890",
            stage=Stage.DEPARTED,
            phone_abroad="+821012345678",
        )

    def test_gets_messages_on_both_numbers(
        self, worker, phone_outbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            notification = notify(user=worker.user, key="welcome")
        assert sorted(notification.outbox.values_list("recipient", flat=True)) == [
            "+6281234567890",
            "+821012345678",
        ]
        assert sorted(number for number, _text in phone_outbox) == [
            "+6281234567890",
            "+821012345678",
        ]

    def test_once_back_only_the_indonesian_number(self, worker, phone_outbox):
        Candidate.objects.filter(pk=worker.pk).update(stage=Stage.RETURNED)
        worker.user.refresh_from_db()
        assert recipients_for(worker.user) == [(Channel.WHATSAPP, "+6281234567890")]

    def test_no_gateway_no_phone_messages(self, worker):
        assert recipients_for(worker.user) == []

    def test_a_worker_with_no_indonesian_log_in_number_gets_it_abroad(self, worker, phone_outbox):
        worker.user.phone = None
        worker.user.save()
        assert recipients_for(worker.user) == [(Channel.WHATSAPP, "+821012345678")]


@pytest.mark.django_db
def test_an_office_user_without_a_candidate_record_is_unchanged(manager, phone_outbox):
    manager.phone = "+6281299990000"
    assert recipients_for(manager) == [
        (Channel.EMAIL, manager.email),
        (Channel.WHATSAPP, "+6281299990000"),
    ]
