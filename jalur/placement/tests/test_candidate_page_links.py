"""The person's page as their P3MI sees it, once a departure case is open: every link on it opens
(the job seeker's "Laporkan jika ada yang meminta." led a P3MI to a 403), and the job seeker's own
reminder is shown to the job seeker only."""

import re

import pytest
from django.urls import reverse

from jalur.departure.tests.conftest import (  # noqa: F401 (fixtures)
    case,
    order,
    p3mi,
)

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(/[^"#]*)"')


def test_every_link_on_the_persons_page_opens_for_their_p3mi(case, agent, client_for):  # noqa: F811
    client = client_for(agent)
    url = reverse("candidates:detail", args=[case.candidate_id])
    html = client.get(url).content.decode()
    assert "Persiapan keberangkatan" in html
    assert "Laporkan jika ada yang meminta." not in html
    broken = []
    for href in sorted(set(HREF.findall(html))):
        href = href.replace("&amp;", "&")
        if href.startswith(("/static/", "/media/", "/i18n/")):
            continue
        status = client.get(href).status_code
        if status in (403, 404):
            broken.append(f"{href}: {status}")
    assert broken == []


def test_the_job_seeker_still_reads_the_reminder_on_their_page(case, client_for):  # noqa: F811
    html = client_for(case.candidate.user).get(reverse("core:home"), follow=True).content.decode()
    assert "Laporkan jika ada yang meminta." in html
