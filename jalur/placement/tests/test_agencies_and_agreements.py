"""Agencies with a computed state, the MoU and PKS agreements with their signed documents, expiry
warnings 60 days ahead, and who may see and change them."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from jalur.accounts.roles import OrganisationKind
from jalur.accounts.tests.factories import OrganisationFactory
from jalur.audit.models import AuditLog
from jalur.notifications.models import Notification
from jalur.placement import services
from jalur.placement.models import Agency, AgencyState, Agreement, AgreementKind, AgreementState
from jalur.placement.selectors import home_widgets, programme_target

from .conftest import days, make_agency, make_pks, pdf_upload

pytestmark = pytest.mark.django_db


# --- agency state ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("valid_from", "valid_until", "expected"),
    [
        (-10, 10, AgencyState.ACTIVE),
        (-10, 0, AgencyState.ACTIVE),
        (-100, -1, AgencyState.EXPIRED),
        (3, 300, AgencyState.NOT_YET_VALID),
    ],
)
def test_the_state_is_computed_from_the_licence_dates(agency, valid_from, valid_until, expected):
    record = make_agency(
        agency, licence_valid_from=days(valid_from), licence_valid_until=days(valid_until)
    )
    assert record.state() == expected
    in_sql = Agency.objects.active_on(timezone.localdate()).filter(pk=record.pk).exists()
    assert in_sql == (expected == AgencyState.ACTIVE)


def test_a_suspension_outranks_a_valid_licence_until_it_is_lifted(p3mi, manager):
    services.agency_suspend(
        actor=manager, agency=p3mi, starts_on=days(-2), reason="Pengaduan", reference="B-1"
    )
    p3mi.refresh_from_db()
    assert Agency.objects.get(pk=p3mi.pk).state() == AgencyState.SUSPENDED
    assert not Agency.objects.active_on(timezone.localdate()).filter(pk=p3mi.pk).exists()
    suspension = p3mi.suspensions.get()
    with pytest.raises(ValidationError):
        services.agency_suspend(actor=manager, agency=p3mi, starts_on=days(0), reason="lagi")
    services.agency_suspension_lift(
        actor=manager, suspension=suspension, lifted_on=days(0), reason="Selesai"
    )
    assert Agency.objects.get(pk=p3mi.pk).state() == AgencyState.ACTIVE
    assert Agency.objects.get(pk=p3mi.pk).state(days(-1)) == AgencyState.SUSPENDED
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"agency.suspend", "agency.suspension_lift"} <= actions


def test_a_suspension_needs_a_reason_and_tells_the_agency(p3mi, manager, agent):
    with pytest.raises(ValidationError):
        services.agency_suspend(actor=manager, agency=p3mi, starts_on=days(0), reason=" ")
    services.agency_suspend(actor=manager, agency=p3mi, starts_on=days(0), reason="Audit")
    assert Notification.objects.filter(user=agent, key="placement_agency_suspended").exists()


def test_the_database_refuses_a_licence_that_ends_before_it_starts(agency):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_agency(agency, licence_valid_from=days(5), licence_valid_until=days(1))


def test_a_manager_records_an_agency_through_the_form(client_for, manager, agency):
    response = client_for(manager).post(
        reverse("placement:agency_create"),
        {
            "organisation": agency.pk,
            "licence_number": "kep. 123/2025",
            "licence_valid_from": days(-30).isoformat(),
            "licence_valid_until": days(700).isoformat(),
            "address": "Jl. Raya",
            "phone": "(0254) 200-300",
            "contact_name": "Bu Rina",
            "contact_phone": "0812 3456 7890",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    record = Agency.objects.get(organisation=agency)
    assert record.licence_number == "KEP. 123/2025"
    assert record.contact_phone == "+6281234567890"
    assert AuditLog.objects.filter(action="agency.create").exists()


def test_changing_an_agency_needs_a_reason(client_for, manager, p3mi):
    url = reverse("placement:agency_edit", args=[p3mi.pk])
    data = {
        "licence_number": p3mi.licence_number,
        "licence_valid_from": p3mi.licence_valid_from.isoformat(),
        "licence_valid_until": days(900).isoformat(),
        "address": p3mi.address,
        "phone": p3mi.phone,
        "contact_name": p3mi.contact_name,
        "contact_phone": "081299990000",
        "reason": "",
    }
    client = client_for(manager)
    assert client.post(url, data).status_code == 200
    assert client.post(url, {**data, "reason": "SIP3MI diperpanjang"}).status_code == 302
    p3mi.refresh_from_db()
    assert p3mi.licence_valid_until == days(900)


def test_agency_staff_see_their_own_agency_only(client_for, agent, p3mi, p3mi_b):
    client = client_for(agent)
    assert client.get(reverse("placement:agency_detail", args=[p3mi.pk])).status_code == 200
    assert client.get(reverse("placement:agency_detail", args=[p3mi_b.pk])).status_code == 404
    listing = client.get(reverse("placement:agency_list")).content.decode()
    assert p3mi.name in listing and p3mi_b.name not in listing
    assert client.get(reverse("placement:agency_edit", args=[p3mi.pk])).status_code == 403
    assert client.get(reverse("placement:agency_suspend", args=[p3mi.pk])).status_code == 403


def test_agency_staff_without_an_agency_record_are_told_so(client_for, agent):
    page = client_for(agent).get(reverse("placement:order_create"))
    assert page.status_code == 200 and "SIP3MI" in page.content.decode()


# --- agreements ------------------------------------------------------------------------------------
def test_the_database_keeps_start_before_end_and_the_right_parties(mou, p3mi):
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=mou.pk).update(starts_on=days(10), ends_on=days(5))
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=mou.pk).update(agency=p3mi)
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.create(
            kind=AgreementKind.PKS,
            number="PKS-no-agency",
            title="x",
            parties="x",
            signed_on=days(0),
            starts_on=days(0),
            ends_on=days(1),
        )


def test_a_pks_needs_its_scope(p3mi, manager):
    with pytest.raises(ValidationError) as caught:
        services.agreement_create(
            actor=manager,
            data={
                "kind": "pks",
                "number": "PKS/1",
                "title": "PKS",
                "parties": "Pemkot\nPT A",
                "agency": p3mi,
                "signed_on": days(0),
                "starts_on": days(0),
                "ends_on": days(300),
                "countries": [],
            },
        )
    assert {"countries", "job_types"} <= set(caught.value.message_dict)


def test_a_manager_records_a_pks_with_its_signed_document(
    client_for, manager, p3mi, mou, ssw, industrial
):
    response = client_for(manager).post(
        reverse("placement:agreement_create"),
        {
            "kind": "pks",
            "number": "PKS/05/2026",
            "title": "PKS penempatan SSW",
            "parties": "Pemerintah Kota Serang\nPT A",
            "agency": p3mi.pk,
            "mou": mou.pk,
            "signed_on": days(0).isoformat(),
            "starts_on": days(0).isoformat(),
            "ends_on": days(700).isoformat(),
            "countries": ["JP"],
            "pathways": [ssw.pk],
            "job_types": [industrial.pk],
            "quota": 50,
            "obligations": "P3MI menanggung biaya penempatan.",
            "document_file": pdf_upload(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    pks = Agreement.objects.get(number="PKS/05/2026")
    assert pks.document and pks.content_type == "application/pdf"
    assert "PKS" not in pks.document.name and pks.document.name.endswith(".pdf")


def test_the_signed_document_is_served_through_an_audited_view(client_for, agent, pks, mou):
    services.agreement_update(
        actor=None,
        agreement=pks,
        data={},
        pathways=pks.pathways.all(),
        job_types=pks.job_types.all(),
        reason="Unggah dokumen",
        document=pdf_upload(),
    )
    response = client_for(agent).get(reverse("placement:agreement_document", args=[pks.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert AuditLog.objects.filter(action="agreement.document_view").count() == 1


def test_a_document_that_is_not_a_pdf_or_photo_is_refused(pks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as caught:
        services.agreement_update(
            actor=None,
            agreement=pks,
            data={},
            pathways=[],
            job_types=pks.job_types.all(),
            reason="x",
            document=SimpleUploadedFile(
                "a.docx", b"PK\x03\x04rest", content_type="application/pdf"
            ),
        )
    assert "Word" in caught.value.message_dict["document_file"][0]


def test_agency_staff_see_the_mou_and_their_own_pks_but_not_anothers(
    client_for, agent, mou, pks, pks_b
):
    client = client_for(agent)
    for agreement, status in ((mou, 200), (pks, 200), (pks_b, 404)):
        url = reverse("placement:agreement_detail", args=[agreement.pk])
        assert client.get(url).status_code == status
    url = reverse("placement:agreement_document", args=[pks_b.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("placement:agreement_edit", args=[pks.pk])).status_code == 403


def test_the_agreement_state_warns_sixty_days_ahead(mou):
    mou.ends_on = days(60)
    assert mou.state() == AgreementState.EXPIRING
    mou.ends_on = days(61)
    assert mou.state() == AgreementState.ACTIVE
    mou.ends_on = days(-1)
    assert mou.state() == AgreementState.ENDED


def test_the_programme_target_comes_from_the_mou(mou):
    assert programme_target()["target"] == 1000
    mou.quota = 1200
    mou.save()
    assert programme_target()["target"] == 1200


# --- expiry warnings -------------------------------------------------------------------------------
def test_expiry_warnings_go_once_to_managers_and_the_agency_concerned(
    p3mi, p3mi_b, mou, manager, agent, agent_b, ssw, industrial
):
    make_pks(p3mi, mou, job_types=[industrial], ends_on=days(45), number="PKS-SOON")
    make_pks(p3mi_b, mou, job_types=[industrial], ends_on=days(200), number="PKS-LATER")
    p3mi_b.licence_valid_until = days(30)
    p3mi_b.save()
    out = io.StringIO()
    call_command("placement_expiry_warnings", stdout=out)
    assert "2 peringatan" in out.getvalue()
    assert Notification.objects.filter(user=manager, key="placement_expiry").count() == 2
    assert Notification.objects.filter(user=agent, key="placement_expiry").count() == 1
    assert Notification.objects.filter(user=agent_b, key="placement_expiry").count() == 1
    call_command("placement_expiry_warnings", stdout=io.StringIO())
    assert Notification.objects.filter(key="placement_expiry").count() == 4


def test_an_extended_agreement_is_warned_again_for_its_new_end(p3mi, mou, manager, industrial):
    pks = make_pks(p3mi, mou, job_types=[industrial], ends_on=days(50), number="PKS-EXT")
    services.expiry_warnings_send()
    Agreement.objects.filter(pk=pks.pk).update(ends_on=days(55))
    assert services.expiry_warnings_send() == 1


def test_the_expiring_list_and_home_widget_show_what_ends_soon(
    client_for, manager, p3mi, mou, industrial
):
    make_pks(p3mi, mou, job_types=[industrial], ends_on=days(20), number="PKS-20")
    page = client_for(manager).get(reverse("placement:expiring")).content.decode()
    assert "PKS-20" in page
    widgets = home_widgets(manager)
    soon = [w for w in widgets if "Segera berakhir" in str(w["title"])]
    assert soon and soon[0]["stats"][0]["value"] == 1


def test_an_agencys_home_widget_shows_its_licence_and_orders(agent, p3mi):
    [widget] = home_widgets(agent)
    assert p3mi.name in str(widget["title"]) and "SIP3MI" in str(widget["text"])


def test_an_agency_organisation_gets_one_agency_record_only(manager, p3mi, agency):
    with pytest.raises(ValidationError):
        services.agency_create(actor=manager, organisation=agency, data={})


def test_the_form_only_offers_agency_organisations_without_a_record(client_for, manager, p3mi):
    fresh = OrganisationFactory(kind=OrganisationKind.PLACEMENT_AGENCY, code="p3mi-new")
    page = client_for(manager).get(reverse("placement:agency_create")).content.decode()
    assert fresh.name in page and f'value="{p3mi.organisation_id}"' not in page


def test_the_admin_pages_open_for_the_system_admin(client_for, sysadmin, approved_order):
    order = approved_order()
    client = client_for(sysadmin)
    for name in ("agency", "agreement", "recruitmentpermit", "joborder", "application"):
        assert client.get(reverse(f"admin:placement_{name}_changelist")).status_code == 200
    # a recorded permit's figures are read-only there: they change only by a reviewed request
    url = reverse("admin:placement_recruitmentpermit_change", args=[order.permit.pk])
    client.post(url, {"agency": order.agency.pk, "number": order.permit.number, "quota": 50})
    order.permit.refresh_from_db()
    assert order.permit.quota == 10
