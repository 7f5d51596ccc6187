"""An SIP2MI is the government's document: typing other figures for a recorded permit on a job order
never changes it; a change of its quota or dates is asked for with the new permit's scan and decided
by the labour office, the old figures apply until then and stay in the permit's history."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jalur.audit.models import AuditLog
from jalur.notifications.models import Notification
from jalur.placement import services
from jalur.placement.models import PermitChange, PermitChangeStatus, RecruitmentPermit
from jalur.placement.selectors import permit_history
from jalur.placement.states import OrderStatus

from .conftest import days, order_data, pdf_upload

pytestmark = pytest.mark.django_db

NUMBER = "SIP2MI/0001/2026"


def _refused(call) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value


@pytest.fixture
def permit_40(make_order, agent):
    """A permit recorded with quota 40, of which a submitted order holds 40."""
    order = make_order(positions=40, sip2mi_quota=40)
    services.job_order_submit(actor=agent, order=order)
    return RecruitmentPermit.objects.get(number=NUMBER)


def _ask(permit, agent, *, quota=100, document="pdf", **kwargs):
    return services.permit_change_request(
        actor=agent,
        permit=permit,
        quota=quota,
        issued_on=kwargs.pop("issued_on", permit.issued_on),
        valid_until=kwargs.pop("valid_until", permit.valid_until),
        document=pdf_upload("sip2mi-baru.pdf") if document == "pdf" else document,
        **kwargs,
    )


# --- typing on a job order -------------------------------------------------------------------------
def test_a_bigger_quota_typed_on_a_new_order_never_changes_the_permit(permit_40, make_order, agent):
    error = _refused(lambda: make_order(positions=30, sip2mi_quota=100, employer_name="B K.K."))
    [message] = error.message_dict["sip2mi_quota"]
    assert message.startswith(f"Kuota SIP2MI {permit_40.number} tercatat 40, bukan 100. ")
    assert "ajukan perubahan SIP2MI dengan scan SIP2MI baru" in message
    # the way to the permit's change page is its address, not a menu path to hunt for
    assert reverse("placement:permit_change_request", args=[permit_40.pk]) in message
    assert "Lowongan →" not in message
    permit_40.refresh_from_db()
    assert permit_40.quota == 40
    assert not AuditLog.objects.filter(action="permit.update").exists()
    # with the figure on record the order is saved, and its gate counts the 40 places held
    order = make_order(positions=30, sip2mi_quota=40, employer_name="B K.K.")
    error = _refused(lambda: services.job_order_submit(actor=agent, order=order))
    assert [e.code for e in error.error_list] == ["permit_quota"]
    assert "sisa 0" in error.messages[0] and "PP 59/2021 Pasal 35" in error.messages[0]


def test_other_dates_typed_for_a_recorded_permit_are_refused_beside_each(permit_40, make_order):
    error = _refused(
        lambda: make_order(
            sip2mi_quota=40,
            sip2mi_issued_on=days(-10),
            sip2mi_valid_until=days(900),
            employer_name="B K.K.",
        )
    )
    assert set(error.message_dict) == {"sip2mi_issued_on", "sip2mi_valid_until"}
    assert "tercatat kosong" in error.message_dict["sip2mi_valid_until"][0]
    permit_40.refresh_from_db()
    assert permit_40.valid_until is None


def test_the_order_page_says_beside_the_quota_how_the_permit_changes(
    client_for, agent, permit_40, ssw, industrial
):
    data = {
        **order_data(ssw.pk, industrial.pk, sip2mi_quota=100),
        "deadline": days(30).isoformat(),
        "attache_verified_on": days(-5).isoformat(),
        "cost-TOTAL_FORMS": 0,
        "cost-INITIAL_FORMS": 0,
    }
    response = client_for(agent).post(reverse("placement:order_create"), data)
    assert response.status_code == 200
    assert "tercatat 40" in response.context["form"].errors["sip2mi_quota"][0]
    permit_40.refresh_from_db()
    assert permit_40.quota == 40


# --- a change request ------------------------------------------------------------------------------
def test_a_change_needs_the_new_permits_scan_checked_by_its_content(permit_40, agent):
    error = _refused(lambda: _ask(permit_40, agent, document=None))
    assert list(error.message_dict) == ["document"]
    text = SimpleUploadedFile("sip2mi.pdf", b"bukan pdf", content_type="application/pdf")
    error = _refused(lambda: _ask(permit_40, agent, document=text))
    assert list(error.message_dict) == ["document"]
    assert not PermitChange.objects.exists()


def test_until_the_office_approves_the_recorded_figures_apply(
    permit_40, make_order, agent, manager
):
    change = _ask(permit_40, agent, note="Perubahan kuota dari kementerian")
    assert change.status == PermitChangeStatus.PENDING and change.previous_quota == 40
    assert change.document.name.startswith("penempatan/sip2mi/")
    assert "sip2mi-baru" not in change.document.name
    permit_40.refresh_from_db()
    assert permit_40.quota == 40
    assert Notification.objects.filter(user=manager, key="placement_permit_change").exists()
    log = AuditLog.objects.get(action="permit.change_request")
    assert log.changes["quota"] == [40, 100] and log.actor == agent
    order = make_order(positions=30, sip2mi_quota=40, employer_name="B K.K.")
    error = _refused(lambda: services.job_order_submit(actor=agent, order=order))
    assert [e.code for e in error.error_list] == ["permit_quota"]
    # typing the new figure meanwhile says the change is waiting
    error = _refused(lambda: make_order(sip2mi_quota=100, employer_name="C K.K."))
    assert "menunggu pemeriksaan Disnakertrans" in error.message_dict["sip2mi_quota"][0]


def test_one_change_waits_at_a_time(permit_40, agent):
    _ask(permit_40, agent)
    error = _refused(lambda: _ask(permit_40, agent, quota=120))
    assert "Tunggu keputusannya" in error.messages[0]


def test_a_change_below_what_the_orders_hold_or_equal_to_the_record_is_refused(permit_40, agent):
    assert "lebih kecil" in _refused(lambda: _ask(permit_40, agent, quota=30)).messages[0]
    assert (
        "sama dengan yang tercatat"
        in _refused(lambda: _ask(permit_40, agent, quota=40)).messages[0]
    )


def test_the_office_approves_and_the_old_figure_stays_in_the_history(
    permit_40, make_order, agent, manager
):
    change = _ask(permit_40, agent, valid_until=days(400))
    services.permit_change_decide(actor=manager, change=change, approve=True, reason="Sesuai scan")
    permit_40.refresh_from_db()
    assert (permit_40.quota, permit_40.valid_until) == (100, days(400))
    change.refresh_from_db()
    assert change.status == PermitChangeStatus.APPROVED and change.decided_by == manager
    history = permit_history(permit_40)
    assert [(row["quota"], row["valid_until"]) for row in history] == [
        (40, None),
        (100, days(400)),
    ]
    log = AuditLog.objects.get(action="permit.change_approved")
    assert log.changes["quota"] == [40, 100] and log.reason == "Sesuai scan"
    assert Notification.objects.filter(user=agent, key="placement_permit_change_decided").exists()
    order = make_order(positions=30, sip2mi_quota=100, employer_name="B K.K.")
    services.job_order_submit(actor=agent, order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED


def test_a_refusal_needs_a_reason_and_leaves_the_permit_as_it_was(permit_40, agent, manager):
    change = _ask(permit_40, agent)
    error = _refused(
        lambda: services.permit_change_decide(actor=manager, change=change, approve=False)
    )
    assert list(error.message_dict) == ["reason"]
    services.permit_change_decide(
        actor=manager, change=change, approve=False, reason="Scan tidak terbaca"
    )
    permit_40.refresh_from_db()
    assert permit_40.quota == 40
    assert [row["quota"] for row in permit_history(permit_40)] == [40]
    assert AuditLog.objects.get(action="permit.change_refused").reason == "Scan tidak terbaca"
    error = _refused(
        lambda: services.permit_change_decide(actor=manager, change=change, approve=True)
    )
    assert [e.code for e in error.error_list] == ["invalid_transition"]
    _ask(permit_40, agent)  # the agency may ask again


# --- pages -----------------------------------------------------------------------------------------
def test_the_agency_asks_for_a_change_on_the_permit_page_and_the_office_decides_there(
    client_for, permit_40, agent, manager
):
    client = client_for(agent)
    page = reverse("placement:permit_detail", args=[permit_40.pk])
    ask = reverse("placement:permit_change_request", args=[permit_40.pk])
    assert ask in client.get(page).content.decode()
    response = client.post(ask, {"quota": 100, "document": pdf_upload(), "note": "Adendum"})
    assert response.status_code == 302
    change = PermitChange.objects.get()
    html = client.get(page).content.decode()
    assert "menunggu pemeriksaan" in html and ask not in html
    client.logout()
    client = client_for(manager)
    document = client.get(reverse("placement:permit_change_document", args=[change.pk]))
    assert b"".join(document.streaming_content).startswith(b"%PDF")
    assert AuditLog.objects.filter(action="permit.change_document_view").exists()
    decide = reverse("placement:permit_change_decide", args=[change.pk])
    client.post(decide, {"decision": "approve", "reason": ""})
    permit_40.refresh_from_db()
    assert permit_40.quota == 100
    html = client.get(page).content.decode()
    assert "Riwayat angka SIP2MI" in html and "kuota 40" in html and "kuota 100" in html


def test_a_refused_scan_asks_for_the_file_again(client_for, permit_40, agent):
    ask = reverse("placement:permit_change_request", args=[permit_40.pk])
    response = client_for(agent).post(ask, {"quota": 30, "document": pdf_upload()})
    form = response.context["form"]
    assert "lebih kecil" in form.errors["quota"][0]
    assert "pilih berkasnya lagi" in form.errors["document"][0]


def test_the_change_page_marks_the_scan_as_required(client_for, permit_40, agent):
    ask = reverse("placement:permit_change_request", args=[permit_40.pk])
    client = client_for(agent)
    form = client.get(ask).context["form"]
    assert form.fields["document"].required
    html = client.get(ask).content.decode()
    label = re.search(r'<label for="id_document">(.*?)</label>', html, re.S).group(1)
    assert "(wajib)" in label
    response = client.post(ask, {"quota": 100})
    assert response.status_code == 200
    assert "Unggah scan SIP2MI baru" in response.context["form"].errors["document"][0]
    assert not PermitChange.objects.exists()


def test_the_order_page_shows_the_permits_earlier_figures(
    client_for, permit_40, agent, manager, make_order
):
    change = _ask(permit_40, agent)
    services.permit_change_decide(actor=manager, change=change, approve=True)
    order = permit_40.orders.get()
    html = client_for(agent).get(reverse("placement:order_detail", args=[order.pk]))
    assert "Riwayat kuota: 40 → 100" in html.content.decode()


def test_who_may_see_ask_and_decide(client_for, permit_40, agent, agent_b, p3mi_b, manager):
    change = _ask(permit_40, agent)
    page = reverse("placement:permit_detail", args=[permit_40.pk])
    ask = reverse("placement:permit_change_request", args=[permit_40.pk])
    decide = reverse("placement:permit_change_decide", args=[change.pk])
    client = client_for(agent_b)
    assert client.get(page).status_code == 404
    assert client.get(ask).status_code == 404
    client.logout()
    client = client_for(agent)
    assert client.post(decide, {"decision": "approve"}).status_code == 403
    client.logout()
    assert client_for(manager).get(ask).status_code == 403
    change.refresh_from_db()
    assert change.status == PermitChangeStatus.PENDING
