"""A complaint from someone abroad: the reporter's number may be Korean or Japanese."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jalur.protection import services
from jalur.protection.models import Grievance, ReporterKind

FIELDS = {
    "reporter_name": "Siti Aminah",
    "reporter_relation": "kakak, juga bekerja di Jepang",
    "worker_name": "Dewi Lestari",
    "worker_country": "JP",
    "category": "document_withheld",
    "description": "Paspor adik saya ditahan majikan sejak bulan lalu.",
}


@pytest.mark.django_db
class TestThePublicForm:
    def test_a_japanese_reporter_number_is_accepted_and_stored_as_e164(self, client):
        response = client.post(
            reverse("protection:public_grievance_new"),
            {**FIELDS, "reporter_phone": "+81 90-1234-5678"},
        )
        assert response.status_code == 302
        assert Grievance.objects.get().reporter_phone == "+819012345678"

    def test_a_tokyo_fixed_line_is_refused_saying_what_to_fix_and_keeps_the_text(self, client):
        response = client.post(
            reverse("protection:public_grievance_new"),
            {**FIELDS, "reporter_phone": "+81 3-1234-5678"},
        )
        assert response.status_code == 200
        message = response.context["form"].errors["reporter_phone"][0]
        assert "telepon rumah/kantor" in message and "+81 90-1234-5678" in message
        assert FIELDS["description"] in response.content.decode()
        assert not Grievance.objects.exists()


@pytest.mark.django_db
def test_the_service_takes_a_korean_number_and_an_indonesian_one_as_before():
    grievance, _secret = services.grievance_open(
        reporter_kind=ReporterKind.FAMILY,
        reporter_name="Ibu Sari",
        reporter_relation="ibu",
        reporter_phone="0082 10 1234 5678",
        worker_name="Dewi Lestari",
        category="wages",
        description="Gaji belum dibayar dua bulan.",
    )
    assert grievance.reporter_phone == "+821012345678"
    assert services.reporter_phone_clean("0812-1111-2222") == "+6281211112222"
    with pytest.raises(ValidationError) as error:
        services.reporter_phone_clean("+82 2-123-4567")  # Seoul, a fixed line
    assert "telepon rumah/kantor" in error.value.messages[0]
