"""Who may open which report: leadership reads only, agencies and training staff see no city-wide
figures beyond the public page, anonymous visitors get the public page only."""

import pytest
from django.urls import reverse

from jalur.accounts.roles import Role
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

DASHBOARD_URLS = [
    reverse("reports:dashboard"),
    reverse("reports:monthly"),
    reverse("reports:monthly_pdf", args=[2026, 1]),
    reverse("reports:monthly_xlsx", args=[2026, 1]),
]
OPERATIONAL_URLS = [
    reverse("reports:stuck"),
    reverse("reports:documents"),
    reverse("reports:cohorts"),
]
READERS = {Role.SYSADMIN, Role.PROGRAMME_MANAGER, Role.LEADERSHIP}
MANAGERS = {Role.SYSADMIN, Role.PROGRAMME_MANAGER}


@pytest.mark.parametrize("url", DASHBOARD_URLS)
def test_city_wide_figures_are_for_the_office_leadership_and_managers_only(
    url, client, client_for, role_users
):
    for role, user in role_users.items():
        status = client_for(user).get(url).status_code
        assert status == (200 if role in READERS else 403), role
        client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]


@pytest.mark.parametrize("url", OPERATIONAL_URLS)
def test_operational_lists_with_names_are_for_programme_managers(
    url, client, client_for, role_users
):
    for role, user in role_users.items():
        status = client_for(user).get(url).status_code
        assert status == (200 if role in MANAGERS else 403), role
        client.logout()
    assert client.get(url).status_code == 302


def test_agency_and_training_staff_are_refused_the_dashboard(client_for, agent, trainer, agent_b):
    for user in (agent, trainer, agent_b):
        assert client_for(user).get(reverse("reports:dashboard")).status_code == 403


@pytest.mark.parametrize("url", [*DASHBOARD_URLS, *OPERATIONAL_URLS])
def test_leadership_cannot_change_anything_here(url, client_for, leader, manager):
    for user in (leader, manager):
        assert client_for(user).post(url, {"start": "2026-01"}).status_code in (403, 405)


def test_anyone_can_read_the_public_statistics_without_logging_in(client):
    CandidateFactory.create_batch(6, stage=Stage.VERIFIED, full_name="Rahasia Pribadi")
    response = client.get(reverse("reports:public"))
    assert response.status_code == 200
    assert "Rahasia Pribadi" not in response.content.decode()
    assert reverse("reports:public") in client.get(reverse("core:public_home")).content.decode()


def test_the_programme_widget_is_on_the_home_page_of_leadership_and_managers_only(
    client, client_for, role_users
):
    for role, user in role_users.items():
        if role == Role.CANDIDATE:
            continue
        response = client_for(user).get(reverse("core:home"))
        titles = [str(w["title"]) for w in response.context["widgets"]]
        assert ("Program" in titles) == (role in READERS), role
        client.logout()


def test_the_menu_offers_each_role_only_the_reports_it_may_open(client_for, leader, manager):
    leader_menu = [i["name"] for i in client_for(leader).get("/").context["menu"]]
    assert "reports:dashboard" in leader_menu and "reports:stuck" not in leader_menu
    manager_menu = [i["name"] for i in client_for(manager).get("/").context["menu"]]
    assert {"reports:dashboard", "reports:monthly", "reports:stuck"} <= set(manager_menu)
