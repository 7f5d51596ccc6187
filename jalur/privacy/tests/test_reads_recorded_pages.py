"""Reads of personal data recorded on the protection, urgent-case and departure pages (issue 16):
each writes a VIEW row naming the person, and the person sees it in "Siapa yang membuka data
saya" as organisation and role, never a staff member's name."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jalur.audit.models import AuditLog
from jalur.candidates.models import Candidate
from jalur.crisis import services as crisis
from jalur.crisis.tests.conftest import placed_worker
from jalur.departure.tests.conftest import make_agency
from jalur.departure.tests.test_manifest_pdf import employer_order, group_of
from jalur.protection.models import Grievance
from jalur.protection.tests.test_grievances import open_family_case

pytestmark = pytest.mark.django_db

STAFF_NAMES = ("Budi Manajer", "Rina Agensi")


@pytest.fixture
def named(manager, agent):
    """Staff with names that must never reach the person's list."""
    for user, name in zip((manager, agent), STAFF_NAMES, strict=True):
        user.full_name = name
        user.save()
    return manager, agent


@pytest.fixture
def worker(agency, agent, candidate_user):
    return placed_worker(agency, agent, user=candidate_user)


def _reads(action: str, target) -> list[tuple[str, object]]:
    rows = AuditLog.objects.filter(
        kind=AuditLog.Kind.VIEW,
        action=action,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
    ).order_by("id")
    return [(r.reason, r.actor) for r in rows]


def _access_list(client_for, candidate_user) -> tuple[list[dict], str]:
    page = client_for(candidate_user).get(reverse("privacy:access_log"))
    assert page.status_code == 200
    return page.context["rows"], page.content.decode()


def _no_staff_names(body: str, *users) -> None:
    for name in STAFF_NAMES:
        assert name not in body and name.split()[0] not in body
    for user in users:
        assert f">{user.username}<" not in body


def test_the_grievance_page_records_staff_and_p3mi_reads_not_the_reporters_own(
    client_for, named, agency, worker, candidate_user
):
    manager, agent = named
    grievance, _secret = open_family_case(agency=agency, candidate=worker)
    url = reverse("protection:grievance_detail", args=[grievance.pk])
    assert client_for(manager).get(url).status_code == 200
    assert client_for(agent).get(url).status_code == 200
    assert _reads("grievance.view", grievance) == [
        ("protection:grievance_detail", manager),
        ("protection:grievance_detail", agent),
    ]
    # the worker opening their own case is not a read by someone else
    Grievance.objects.filter(pk=grievance.pk).update(reporter_kind="worker")
    assert client_for(candidate_user).get(url).status_code == 200
    assert AuditLog.objects.filter(action="grievance.view").count() == 2
    entries, body = _access_list(client_for, candidate_user)
    assert {(e["organisation"], str(e["role"])) for e in entries} >= {
        (manager.organisation.name, "Pengelola program"),
        (agency.name, "Staf P3MI"),
    }
    _no_staff_names(body, manager, agent)


def test_the_worker_abroad_page_records_a_read(client_for, named, worker, candidate_user):
    manager, agent = named
    for user in (manager, agent):
        page = client_for(user).get(reverse("protection:worker", args=[worker.pk]))
        assert page.status_code == 200
    assert _reads("protection.worker_view", worker) == [
        ("protection:worker", manager),
        ("protection:worker", agent),
    ]
    entries, body = _access_list(client_for, candidate_user)
    assert len(entries) == 2
    assert {e["organisation"] for e in entries} == {
        manager.organisation.name,
        agent.organisation.name,
    }
    _no_staff_names(body, manager, agent)


def test_the_urgent_case_page_records_a_read(client_for, named, worker, candidate_user):
    manager, _agent = named
    case = crisis.urgent_open(candidate=worker, kind="illness", words="Sakit keras", actor=manager)
    assert client_for(manager).get(reverse("crisis:case", args=[case.pk])).status_code == 200
    assert _reads("crisis.case_view", worker) == [("crisis:case", manager)]
    entries, body = _access_list(client_for, candidate_user)
    assert [e["organisation"] for e in entries] == [manager.organisation.name]
    _no_staff_names(body, manager)


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_a_manifest_export_records_a_read_of_each_person_in_one_insert(
    client_for, agency, named, candidate_user, fmt
):
    _manager, agent = named
    p3mi = make_agency(agency)
    order = employer_order(p3mi, "KR", "Hankook Industri")
    group = group_of(p3mi, agent, order, ["Siti Aminah", "Dewi Lestari", "Eko Prasetyo"])
    people = list(Candidate.objects.filter(departure_cases__group=group))
    assert len(people) == 3
    Candidate.objects.filter(pk=people[0].pk).update(user=candidate_user)
    client = client_for(agent)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("departure:manifest", args=[group.pk, fmt]))
    assert response.status_code == 200
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "audit_auditlog"')]
    assert len(inserts) == 2  # the reads of all three people, and the export of the group
    for person in people:
        assert _reads("departure.manifest", person) == [("departure:manifest", agent)]
    entries, body = _access_list(client_for, candidate_user)
    assert [(e["organisation"], str(e["role"])) for e in entries] == [
        (p3mi.organisation.name, "Staf P3MI")
    ]
    _no_staff_names(body, agent)


def test_an_unknown_manifest_format_records_nothing(client_for, agency, agent):
    p3mi = make_agency(agency)
    order = employer_order(p3mi, "KR", "Hankook Industri")
    group = group_of(p3mi, agent, order, ["Siti Aminah"])
    response = client_for(agent).get(reverse("departure:manifest", args=[group.pk, "csv"]))
    assert response.status_code == 404
    assert not AuditLog.objects.filter(action__startswith="departure.manifest").exists()
