"""Every candidates view that takes an object, as every role: allowed, forbidden (403), or not
visible at all (404: another organisation's candidate, someone else's document)."""

import pytest
from django.urls import reverse

from jalur.accounts.roles import CAPABILITIES, OFFICE_ROLES, Role
from jalur.candidates.models import DocumentType, ImportJob
from jalur.candidates.services import document_upload, duplicates_flag
from jalur.candidates.tests.factories import CandidateFactory

from .conftest import jpeg_bytes, upload

pytestmark = pytest.mark.django_db
OK = {200, 302}


def roles_with(*capabilities):
    return set().union(*(CAPABILITIES[c] for c in capabilities))


@pytest.fixture
def objects(submitted, officer, manager):
    document = submitted.documents.first()
    flag = duplicates_flag(candidate=CandidateFactory(phone=submitted.phone))[0]
    job = ImportJob.objects.create(original_name="x.xlsx", created_by=manager)
    return {"candidate": submitted, "document": document, "flag": flag, "job": job}


# (name, method, args from objects, capabilities, object scoped by organisation)
VIEWS = [
    ("candidates:detail", "get", lambda o: [o["candidate"].pk], ("candidates.view",), True),
    (
        "candidates:edit",
        "get",
        lambda o: [o["candidate"].pk, "identity"],
        ("candidates.edit",),
        True,
    ),
    ("candidates:staff_submit", "post", lambda o: [o["candidate"].pk], ("candidates.edit",), True),
    (
        "candidates:staff_upload",
        "post",
        lambda o: [o["candidate"].pk, "ktp"],
        ("candidates.edit",),
        True,
    ),
    (
        "candidates:login_slip",
        "post",
        lambda o: [o["candidate"].pk],
        ("candidates.register", "candidates.edit"),
        True,
    ),
    (
        "candidates:confirm_birth_date",
        "post",
        lambda o: [o["candidate"].pk],
        ("candidates.verify", "candidates.edit"),
        True,
    ),
    ("candidates:verify", "get", lambda o: [o["candidate"].pk], ("candidates.verify",), True),
    (
        "candidates:review_document",
        "post",
        lambda o: [o["document"].pk],
        ("candidates.verify",),
        True,
    ),
    (
        "candidates:duplicate_decision",
        "post",
        lambda o: [o["flag"].pk],
        ("candidates.verify",),
        False,
    ),
    ("candidates:import_job", "get", lambda o: [o["job"].pk], ("candidates.import",), False),
    ("candidates:import_progress", "get", lambda o: [o["job"].pk], ("candidates.import",), False),
]


@pytest.mark.parametrize(
    ("name", "method", "args", "capabilities", "scoped"), VIEWS, ids=[v[0] for v in VIEWS]
)
def test_each_role_gets_exactly_what_it_may(
    name, method, args, capabilities, scoped, objects, role_users, client_for, client
):
    url = reverse(name, args=args(objects))
    allowed = roles_with(*capabilities)
    assert getattr(client, method)(url).status_code == 302  # anonymous: to the log-in page
    for role, user in role_users.items():
        status = getattr(client_for(user), method)(
            url, {"accept": "1", "confirmed": "0"}
        ).status_code
        if role not in allowed:
            assert status == 403, (name, role, status)
        elif scoped and role not in OFFICE_ROLES:
            assert status == 404, (name, role, status)  # not a candidate their organisation has
        else:
            assert status in OK, (name, role, status)
        client.logout()


def test_a_document_file_is_served_only_to_the_office_intake_and_its_owner(
    objects, role_users, client_for
):
    document = objects["document"]
    url = reverse("candidates:document_file", args=[document.pk])
    intake = CAPABILITIES["candidates.view_documents"]
    for role, user in role_users.items():
        status = client_for(user).get(url).status_code
        assert status == (200 if role in intake else 404), (role, status)
    assert client_for(objects["candidate"].user).get(url).status_code == 200


def test_the_import_report_is_for_importers_only(client_for, role_users, manager, tmp_path):
    from django.core.files.base import ContentFile

    job = ImportJob.objects.create(original_name="x.xlsx", created_by=manager)
    job.report.save("laporan.csv", ContentFile(b"baris,hasil\n"))
    url = reverse("candidates:import_report", args=[job.pk])
    for role, user in role_users.items():
        status = client_for(user).get(url).status_code
        assert status == (200 if role in CAPABILITIES["candidates.import"] else 403), role


def test_self_registration_steps_are_for_candidates_only(client_for, role_users):
    for role, user in role_users.items():
        status = (
            client_for(user)
            .get(reverse("candidates:register_step", args=["identitas"]))
            .status_code
        )
        assert status == (200 if role == Role.CANDIDATE else 403), role
        upload_status = (
            client_for(user).post(reverse("candidates:upload", args=["ktp"])).status_code
        )
        assert upload_status == (302 if role == Role.CANDIDATE else 403), role


def test_a_candidate_sees_only_their_own_record_and_documents(
    client_for, submitted, officer, candidate_user
):
    mine = CandidateFactory(user=candidate_user)
    doc = document_upload(
        candidate=mine,
        document_type=DocumentType.objects.get(code="ktp"),
        upload=upload(jpeg_bytes()),
        actor=candidate_user,
    )
    client = client_for(candidate_user)
    page = client.get(reverse("candidates:me")).content.decode()
    assert mine.nik[-4:] in page and submitted.full_name not in page
    assert client.get(reverse("candidates:document_file", args=[doc.pk])).status_code == 200
    theirs = submitted.documents.first()
    assert client.get(reverse("candidates:document_file", args=[theirs.pk])).status_code == 404


def test_an_unknown_step_is_not_found(client_for, candidate_user):
    response = client_for(candidate_user).get(reverse("candidates:register_step", args=["rahasia"]))
    assert response.status_code == 404


def test_scopes_from_several_apps_add_up(client_for, agent, scope):
    first, second, hidden = CandidateFactory(), CandidateFactory(), CandidateFactory()
    scope(Role.AGENCY_STAFF, lambda user, qs: qs.filter(pk=first.pk))
    scope(Role.AGENCY_STAFF, lambda user, qs: qs.filter(pk=second.pk))
    response = client_for(agent).get(reverse("candidates:list"))
    assert set(response.context["page_obj"]) == {first, second}
    assert client_for(agent).get(reverse("candidates:detail", args=[hidden.pk])).status_code == 404
