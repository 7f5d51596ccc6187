"""What every page gets from the context processor; here, who downloads htmx."""

import pytest
from django.urls import reverse

from jalur.candidates.tests.conftest import registering, submitted  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _mentions_htmx(response) -> bool:
    body = response.content.decode()
    return "htmx" in body or "hx-" in body


def test_the_self_registration_start_does_not_load_htmx(client):
    response = client.get(reverse("candidates:register_start"))
    assert response.status_code == 200
    assert not _mentions_htmx(response)


@pytest.mark.parametrize(
    "url",
    [
        reverse("candidates:register_step", args=["identitas"]),
        reverse("candidates:me"),
        reverse("core:public_home"),
    ],
)
def test_a_job_seekers_pages_do_not_load_htmx(client_for, candidate_user, url):
    response = client_for(candidate_user).get(url)
    assert response.status_code == 200
    assert not _mentions_htmx(response)


def test_the_verifiers_document_review_uses_htmx_and_loads_it(client_for, verifier, submitted):  # noqa: F811
    response = client_for(verifier).get(reverse("candidates:verify", args=[submitted.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "hx-post=" in body
    assert "vendor/htmx.min.js" in body
    assert "X-CSRFToken" in body
