"""Each role is shown only the links it can open: every link on a P3MI's placement pages answers,
none 403 ("not for your role") or 404 (another agency's object). Issue 17: the MoU page linked a P3MI
to other agencies' PKS."""

import re
from urllib.parse import urljoin

import pytest
from django.urls import reverse

from jalur.placement import services

from .conftest import make_pks
from .test_applications import _offer, _through_to_selection

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"#]+)"')
SKIP = ("/static/", "/media/", "/i18n/", "mailto:", "tel:", "http://", "https://")


def _links(html: str, base: str) -> set[str]:
    found = set()
    for href in HREF.findall(html):
        href = href.replace("&amp;", "&")
        if href.startswith(SKIP):
            continue
        found.add(urljoin(base, href))
    return found


@pytest.fixture
def placement_world(approved_order, make_trained, agent, agent_b, p3mi_b, mou, pks, industrial):
    """Agency A with an order, an application at the offer and one still new; agency B's PKS under
    the same MoU, and an order of B's with a PKS of its own."""
    make_pks(p3mi_b, mou, job_types=[industrial], number="PKS-B-1")
    order = approved_order(positions=3)
    offered = make_trained(user=True)
    application = services.application_apply(candidate=offered, order=order, actor=offered.user)
    _offer(_through_to_selection(application, agent), agent)
    fresh = make_trained(user=True)
    services.application_apply(candidate=fresh, order=order, actor=fresh.user)
    return {"order": order, "application": application}


@pytest.mark.parametrize("role", ["agent", "leader", "manager"])
def test_every_link_on_the_placement_pages_of_each_role_opens(
    placement_world, role, request, mou, client_for
):
    client = client_for(request.getfixturevalue(role))
    order = placement_world["order"]
    application = placement_world["application"]
    main_pages = [
        reverse("core:home"),
        reverse("placement:order_list"),
        reverse("placement:order_detail", args=[order.pk]),
        reverse("placement:application_detail", args=[application.pk]),
        reverse("placement:applications"),
        reverse("placement:agreement_list"),
        reverse("placement:agreement_detail", args=[mou.pk]),
        reverse("placement:agency_list"),
        reverse("placement:permit_list"),
        reverse("placement:expiring"),
    ]
    broken = []
    seen: set[str] = set()
    for page in main_pages:
        response = client.get(page)
        assert response.status_code == 200, page
        for link in sorted(_links(response.content.decode(), page) - seen):
            seen.add(link)
            status = client.get(link).status_code
            if status in (403, 404):
                broken.append(f"{page} → {link}: {status}")
    assert broken == [], "\n".join(broken)
    assert len(seen) > 20


def test_the_mou_page_shows_a_p3mi_its_own_pks_only(placement_world, agent, mou, pks, client_for):
    html = client_for(agent).get(reverse("placement:agreement_detail", args=[mou.pk])).content
    html = html.decode()
    assert pks.number in html
    assert "PKS-B-1" not in html


def test_how_to_apply_is_said_to_job_seekers_not_to_staff(
    placement_world, agent, client, client_for
):
    url = reverse("placement:public_order", args=[placement_world["order"].pk])
    assert "Cara melamar" in client.get(url).content.decode()
    assert "Cara melamar" not in client_for(agent).get(url).content.decode()
