"""Job orders: the legal gates on submission and approval, each with its message, the review, the
state machine with history and audit, and who may do what."""

from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from jalur.audit import transitions
from jalur.audit.models import AuditLog
from jalur.notifications.models import Notification
from jalur.pathways.models import Pathway, PathwayState
from jalur.placement import services
from jalur.placement.forms import JobOrderForm
from jalur.placement.models import AgencySuspension, CostPayer, JobOrder, JobOrderEvent
from jalur.placement.states import ORDER_TRANSITIONS, OrderStatus

from .conftest import days, pdf_upload

pytestmark = pytest.mark.django_db


def _codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


def _submit_refused(order, agent) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        services.job_order_submit(actor=agent, order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT
    return caught.value


# --- drafting --------------------------------------------------------------------------------------
def test_a_new_order_is_a_draft_with_a_reference_history_and_audit(make_order, agent):
    order = make_order()
    assert order.status == OrderStatus.DRAFT
    assert order.reference == f"LK-{order.created_at:%Y}-{order.pk:05d}"
    assert order.permit.number == "SIP2MI/0001/2026" and order.permit.quota == 10
    assert order.events.get().to_status == OrderStatus.DRAFT
    assert AuditLog.objects.filter(action="job_order.create", object_id=str(order.pk)).exists()


def test_an_order_may_not_ask_for_anyone_under_18(make_order):
    with pytest.raises(ValidationError) as caught:
        make_order(min_age=17)
    assert "18" in caught.value.message_dict["min_age"][0]


def test_a_sex_requirement_needs_a_reason(make_order):
    with pytest.raises(ValidationError) as caught:
        make_order(sex="P", sex_reason="")
    assert "sex_reason" in caught.value.message_dict


def test_the_employer_country_must_be_the_pathways(make_order):
    with pytest.raises(ValidationError) as caught:
        make_order(employer_country="KR")
    assert "employer_country" in caught.value.message_dict


def test_the_database_refuses_a_reversed_age_range(make_order):
    order = make_order()
    with pytest.raises(IntegrityError), transaction.atomic():
        JobOrder.objects.filter(pk=order.pk).update(min_age=40, max_age=30)


def test_a_sip2mi_number_of_another_agency_is_refused(make_order, p3mi_b, pks_b, agent_b):
    make_order()
    with pytest.raises(ValidationError) as caught:
        make_order(agency=p3mi_b, actor=agent_b)
    assert "P3MI lain" in caught.value.message_dict["sip2mi_number"][0]


# --- the legal gates on submission -----------------------------------------------------------------
def test_a_complete_order_is_submitted_and_managers_are_told(make_order, agent, manager, pks):
    order = make_order()
    services.job_order_submit(actor=agent, order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED
    assert order.agreement == pks
    assert order.submitted_at is not None
    assert Notification.objects.filter(user=manager, key="placement_order_submitted").exists()
    event = order.events.last()
    assert (event.from_status, event.to_status, event.actor) == ("draft", "submitted", agent)
    assert AuditLog.objects.filter(action="job_order.submitted", object_id=str(order.pk)).exists()


def test_a_closed_or_suspended_pathway_blocks_submission(make_order, agent, ssw):
    order = make_order()
    Pathway.objects.filter(pk=ssw.pk).update(
        state=PathwayState.SUSPENDED, state_reason="Moratorium sementara"
    )
    error = _submit_refused(order, agent)
    assert "pathway_closed" in _codes(error)
    assert "Moratorium sementara" in " ".join(error.messages)


def test_a_pathway_that_became_one_a_p3mi_may_not_place_on_blocks_submission(
    make_order, agent, ssw
):
    order = make_order()
    Pathway.objects.filter(pk=ssw.pk).update(placing_party="government")
    error = _submit_refused(order, agent)
    assert _codes(error) == {"pathway_party"}
    assert "P3MI tidak boleh" in error.messages[0]


def test_the_order_form_offers_only_open_pathways_a_p3mi_may_place_on(ssw):
    Pathway.objects.filter(code="jp-ssw-driver").update(
        state=PathwayState.SUSPENDED, state_reason="Moratorium"
    )
    offered = set(JobOrderForm().fields["pathway"].queryset.values_list("code", flat=True))
    assert offered == {"jp-ssw-p2p", "kr-e7"}
    assert offered == {p.code for p in Pathway.objects.all() if p.is_open() and p.allows("p3mi")}


@pytest.mark.parametrize(
    "code, words",
    [
        ("kr-eps-g2g", "P3MI tidak boleh mengajukan lowongan"),
        ("kr-e8-seasonal", "ditangguhkan"),
        ("jp-baby-sitter", "ditutup"),
    ],
)
def test_a_pathway_a_p3mi_may_not_use_is_refused_with_its_reason(make_order, code, words):
    pathway = Pathway.objects.get(code=code)
    with pytest.raises(ValidationError) as caught:
        make_order(pathway=pathway, employer_country=pathway.country)
    messages = " ".join(caught.value.message_dict["pathway"])
    assert words in messages
    expected = pathway.open_problem() or pathway.placing_problem("p3mi")
    assert expected in caught.value.message_dict["pathway"]
    assert not JobOrder.objects.exists()


def test_a_suspended_pathway_is_refused_with_its_stored_reason_and_legal_basis(make_order, ssw):
    Pathway.objects.filter(pk=ssw.pk).update(
        state=PathwayState.SUSPENDED,
        state_reason="Moratorium sementara",
        legal_basis="Kepmen 123/2026",
    )
    with pytest.raises(ValidationError) as caught:
        make_order()
    [message] = caught.value.message_dict["pathway"]
    assert "Moratorium sementara" in message and "Kepmen 123/2026" in message


def test_a_draft_on_a_pathway_suspended_since_keeps_it_and_its_other_changes_are_saved(
    make_order, agent, ssw
):
    order = make_order()
    Pathway.objects.filter(pk=ssw.pk).update(
        state=PathwayState.SUSPENDED, state_reason="Moratorium sementara"
    )
    form = JobOrderForm(instance=order)
    assert ssw in form.fields["pathway"].queryset
    services.job_order_update(actor=agent, order=order, data={"positions": 1}, costs=[])
    order.refresh_from_db()
    assert order.positions == 1
    assert "pathway_closed" in _codes(_submit_refused(order, agent))


def test_worker_paid_costs_are_allowed_on_a_job_type_that_is_not_zero_cost(make_order, agent):
    order = make_order(
        costs=[{"item": "passport", "description": "", "amount": 350_000, "paid_by": "worker"}]
    )
    services.job_order_submit(actor=agent, order=order)
    assert order.costs.get().paid_by == CostPayer.WORKER


def test_positions_beyond_the_sip2mi_quota_left_are_refused(make_order, agent):
    first = make_order(positions=7)
    services.job_order_submit(actor=agent, order=first)
    second = make_order(positions=4, employer_name="Other K.K.")
    error = _submit_refused(second, agent)
    assert _codes(error) == {"permit_quota"}
    assert "sisa 3" in error.messages[0]
    # a draft holds nothing: three still fit
    fitting = make_order(positions=3, employer_name="Third K.K.")
    services.job_order_submit(actor=agent, order=fitting)


def test_a_rejected_order_gives_its_positions_back(make_order, agent, manager):
    first = make_order(positions=8)
    services.job_order_submit(actor=agent, order=first)
    services.job_order_reject(actor=manager, order=first, reason="Pemberi kerja bermasalah")
    second = make_order(positions=10)
    services.job_order_submit(actor=agent, order=second)


def test_the_pks_quota_is_enforced_too(make_order, agent, pks):
    pks.quota = 3
    pks.save()
    order = make_order(positions=4)
    error = _submit_refused(order, agent)
    assert "agreement_quota" in _codes(error)


def test_an_expired_licence_blocks_submission(make_order, agent, p3mi):
    order = make_order()
    p3mi.licence_valid_from, p3mi.licence_valid_until = days(-800), days(-1)
    p3mi.save()
    error = _submit_refused(order, agent)
    assert _codes(error) == {"licence_expired"}
    assert "SIP3MI" in error.messages[0] and "berakhir" in error.messages[0]


def test_a_suspended_agency_cannot_submit(make_order, agent, p3mi, manager):
    order = make_order()
    services.agency_suspend(
        actor=manager, agency=p3mi, starts_on=days(-1), reason="Pengaduan biaya berlebih"
    )
    error = _submit_refused(order, agent)
    assert _codes(error) == {"agency_suspended"}
    assert "Pengaduan biaya berlebih" in error.messages[0]


def test_no_pks_covering_the_job_type_blocks_submission(make_order, agent, pks, caregiver):
    pks.job_types.set([caregiver])
    order = make_order()
    error = _submit_refused(order, agent)
    assert _codes(error) == {"agreement"}
    assert "Belum ada PKS" in error.messages[0]


def test_an_expired_pks_blocks_submission(make_order, agent, pks):
    pks.starts_on, pks.signed_on, pks.ends_on = days(-400), days(-400), days(-1)
    pks.save()
    error = _submit_refused(make_order(), agent)
    assert _codes(error) == {"agreement"}
    assert "Perpanjang PKS" in error.messages[0]


def test_an_expired_mou_blocks_its_pks(make_order, agent, mou):
    mou.signed_on, mou.starts_on, mou.ends_on = days(-900), days(-900), days(-2)
    mou.save()
    error = _submit_refused(make_order(), agent)
    assert _codes(error) == {"agreement"}
    assert "MoU" in error.messages[0]


def test_a_past_deadline_and_a_missing_permit_are_reported_together(make_order, agent):
    order = make_order(deadline=days(-1), sip2mi_number="")
    error = _submit_refused(order, agent)
    assert _codes(error) == {"deadline", "permit_missing"}


def test_an_order_the_attache_refused_cannot_be_submitted(make_order, agent):
    error = _submit_refused(make_order(attache_status="refused"), agent)
    assert _codes(error) == {"attache_refused"}


# --- review ----------------------------------------------------------------------------------------
def test_approval_needs_the_labour_attache_verification(make_order, agent, manager):
    order = make_order(attache_status="pending", attache_reference="", attache=False)
    services.job_order_submit(actor=agent, order=order)
    with pytest.raises(ValidationError) as caught:
        services.job_order_approve(actor=manager, order=order)
    assert _codes(caught.value) == {"attache_unverified"}
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED


def test_approval_publishes_and_tells_the_agency(approved_order, agent, manager):
    order = approved_order()
    assert order.status == OrderStatus.APPROVED
    assert order.decided_by == manager
    assert Notification.objects.filter(user=agent, key="placement_order_decided").exists()
    assert order.events.filter(to_status=OrderStatus.APPROVED, actor=manager).exists()


def test_return_needs_reasons_and_the_agency_corrects_and_resubmits(make_order, agent, manager):
    order = make_order()
    services.job_order_submit(actor=agent, order=order)
    with pytest.raises(ValidationError):
        services.job_order_return(actor=manager, order=order, reason="  ")
    services.job_order_return(
        actor=manager, order=order, reason="Upah di bawah upah minimum prefektur Aichi"
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.RETURNED
    data = {"wage_amount": 230000, "positions": 2}
    services.job_order_update(actor=agent, order=order, data=data, costs=[])
    services.job_order_submit(actor=agent, order=order)
    statuses = list(order.events.values_list("to_status", flat=True))
    assert statuses == ["draft", "submitted", "returned", "submitted"]


def test_an_order_under_review_cannot_be_edited(make_order, agent):
    order = make_order()
    services.job_order_submit(actor=agent, order=order)
    with pytest.raises(ValidationError):
        services.job_order_update(actor=agent, order=order, data={"positions": 1}, costs=[])


def test_rejection_is_final(make_order, agent, manager):
    order = make_order()
    services.job_order_submit(actor=agent, order=order)
    services.job_order_reject(actor=manager, order=order, reason="Dokumen palsu")
    with pytest.raises(ValidationError):
        services.job_order_submit(actor=agent, order=order)
    assert ORDER_TRANSITIONS[OrderStatus.REJECTED] == frozenset()


def test_closing_an_order_needs_a_reason_and_is_recorded(approved_order, agent):
    order = approved_order()
    services.job_order_close(actor=agent, order=order, reason="Pemberi kerja membatalkan")
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED
    assert JobOrderEvent.objects.filter(order=order, to_status="closed").get().reason


def test_every_order_move_goes_through_the_one_status_move_with_history_and_audit(
    make_order, agent, manager, monkeypatch
):
    moved = []
    real = transitions.status_move

    def watching(obj, **kwargs):
        moved.append((type(obj).__name__, kwargs["to_status"]))
        return real(obj, **kwargs)

    monkeypatch.setattr(transitions, "status_move", watching)
    order = make_order()
    services.job_order_submit(actor=agent, order=order)
    services.job_order_return(actor=manager, order=order, reason="Lengkapi kontrak")
    services.job_order_close(actor=agent, order=order, reason="Pemberi kerja mundur")
    assert moved == [
        ("JobOrder", OrderStatus.SUBMITTED),
        ("JobOrder", OrderStatus.RETURNED),
        ("JobOrder", OrderStatus.CLOSED),
    ]
    event = order.events.last()
    assert (event.from_status, event.to_status, event.reason) == (
        "returned",
        "closed",
        "Pemberi kerja mundur",
    )
    log = AuditLog.objects.get(action="job_order.returned")
    assert log.changes["status"] == ["submitted", "returned"] and log.actor == manager
    with pytest.raises(ValidationError) as caught:
        services.job_order_close(actor=agent, order=order, reason="Lagi")
    assert caught.value.code == "invalid_transition"
    assert caught.value.messages == [
        'Lowongan berstatus "Ditutup" tidak bisa menjadi "Ditutup". Muat ulang halaman.'
    ]


def test_every_status_in_the_table_has_a_label_and_no_state_is_unreachable():
    reachable = {OrderStatus.DRAFT} | {s for targets in ORDER_TRANSITIONS.values() for s in targets}
    assert reachable == set(OrderStatus.values)


# --- pages and access ------------------------------------------------------------------------------
def _order_fields(ssw, industrial) -> dict:
    """A job order's own fields as its form posts them (cost rows aside)."""
    return {
        "employer_name": "Chubu Foods K.K.",
        "employer_country": "JP",
        "employer_city": "Gifu",
        "employer_sector": "Pengolahan makanan",
        "pathway": ssw.pk,
        "job_type": industrial.pk,
        "position_title": "Operator produksi",
        "positions": 3,
        "wage_amount": "200000",
        "wage_currency": "JPY",
        "wage_period": "month",
        "hours_per_week": 40,
        "contract_months": 36,
        "attache_status": "pending",
        "deadline": days(20).isoformat(),
    }


def test_the_agency_creates_an_order_through_the_form(
    client_for, agent, p3mi, pks, ssw, industrial
):
    client = client_for(agent)
    data = {
        **_order_fields(ssw, industrial),
        "sip2mi_number": "SIP2MI/77",
        "sip2mi_quota": 5,
        "cost-TOTAL_FORMS": 2,
        "cost-INITIAL_FORMS": 0,
        "cost-0-item": "ticket",
        "cost-0-amount": "9000000",
        "cost-0-paid_by": "employer",
        "attache_file": pdf_upload(),
    }
    response = client.post(reverse("placement:order_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    order = JobOrder.objects.get(employer_name="Chubu Foods K.K.")
    assert order.costs.count() == 1 and order.attache_document
    page = client.get(reverse("placement:order_detail", args=[order.pk]))
    assert "verifikasi" in page.content.decode()


class _BrowserDefaults(HTMLParser):
    """What a browser would send for the page's form fields left as they are: a text input its
    value, a select its selected option or else its first one."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("checkbox", "file", "submit"):
            self.values[name] = attrs.get("value") or ""
        elif tag == "select":
            self._select = name
        elif (
            tag == "option"
            and self._select
            and (self._select not in self.values or "selected" in attrs)
        ):
            self.values[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _as_a_browser_sends(page) -> dict:
    parser = _BrowserDefaults()
    parser.feed(page.content.decode())
    return parser.values


def test_blank_cost_rows_left_untouched_do_not_stop_a_new_order_being_saved(
    client_for, agent, p3mi, pks, ssw, industrial
):
    client = client_for(agent)
    page = client.get(reverse("placement:order_create"))
    cost_rows = {k: v for k, v in _as_a_browser_sends(page).items() if k.startswith("cost-")}
    assert cost_rows["cost-TOTAL_FORMS"] == "2"
    data = {
        **cost_rows,
        **_order_fields(ssw, industrial),
    }
    response = client.post(reverse("placement:order_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert JobOrder.objects.get(employer_name="Chubu Foods K.K.").costs.count() == 0


def test_an_order_that_cannot_be_saved_says_at_the_top_which_section_to_fix(
    client_for, agent, p3mi, pks, ssw, industrial
):
    data = {
        "employer_name": "Chubu Foods K.K.",
        "employer_country": "JP",
        "employer_city": "Gifu",
        "employer_sector": "Pengolahan makanan",
        "pathway": ssw.pk,
        "job_type": industrial.pk,
        "position_title": "Operator produksi",
        "positions": 3,
        "wage_currency": "JPY",
        "wage_period": "month",
        "hours_per_week": 40,
        "contract_months": 36,
        "attache_status": "pending",
        "deadline": days(20).isoformat(),
        "cost-TOTAL_FORMS": 2,
        "cost-INITIAL_FORMS": 0,
        "cost-0-item": "ticket",
        "cost-0-paid_by": "employer",
    }
    response = client_for(agent).post(reverse("placement:order_create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    top = html[html.index('role="alert"') : html.index('<fieldset class="card" id="pekerjaan"')]
    assert "Lowongan belum disimpan" in top
    assert '<a href="#upah">Upah dan kondisi kerja</a>: Upah' in top
    assert '<a href="#biaya">Biaya penempatan</a>: baris 1 (Perkiraan (Rp))' in top
    assert "Izin dan verifikasi" not in top


def test_every_order_field_sits_in_a_section_of_the_page():
    placed = [name for _a, _t, names in JobOrderForm.SECTIONS for name in names.split()]
    assert sorted(placed) == sorted(JobOrderForm.base_fields)


def test_the_order_page_lists_what_blocks_submission(client_for, agent, make_order, p3mi):
    p3mi.licence_valid_from, p3mi.licence_valid_until = days(-800), days(-3)
    p3mi.save()
    order = make_order()
    page = client_for(agent).get(reverse("placement:order_detail", args=[order.pk]))
    assert "Belum bisa diajukan" in page.content.decode()
    assert "Perpanjang izin" in page.content.decode()


def test_the_order_header_names_who_acted_and_the_agency_separately(
    client_for, agent, manager, make_order, p3mi
):
    order = make_order()
    services.job_order_submit(actor=agent, order=order)
    page = client_for(agent).get(reverse("placement:order_detail", args=[order.pk]))
    html = page.content.decode()
    assert f"Diajukan oleh {p3mi.name} ({agent.get_full_name()})" in html
    assert f"Lowongan dari {p3mi.name}" in html
    services.job_order_return(actor=manager, order=order, reason="Lengkapi alamat pemberi kerja")
    html = client_for(agent).get(reverse("placement:order_detail", args=[order.pk])).content
    html = html.decode()
    assert f"Dikembalikan oleh {manager.organisation.name} ({manager.get_full_name()})" in html
    assert f"oleh {p3mi.name}" not in html


def test_a_ready_order_says_approval_still_waits_for_the_attache(client_for, agent, make_order):
    order = make_order(attache_status="pending", attache_reference="", attache_verified_on=None)
    html = client_for(agent).get(reverse("placement:order_detail", args=[order.pk]))
    html = html.content.decode()
    assert "Semua syarat pengajuan terpenuhi" not in html
    assert "Bisa diajukan, belum bisa disetujui" in html
    assert "belum diverifikasi atase ketenagakerjaan" in html
    verified = make_order()
    html = client_for(agent).get(reverse("placement:order_detail", args=[verified.pk]))
    assert "Semua syarat pengajuan terpenuhi" in html.content.decode()


def test_another_agencys_order_is_not_found(client_for, agent_b, make_order, p3mi_b):
    order = make_order()
    client = client_for(agent_b)
    for name in ("order_detail", "order_edit", "order_attache_document"):
        assert client.get(reverse(f"placement:{name}", args=[order.pk])).status_code == 404
    assert client.post(reverse("placement:order_submit", args=[order.pk])).status_code == 404


def test_who_may_open_and_change_an_order(client_for, role_users, make_order):
    order = make_order()
    detail = reverse("placement:order_detail", args=[order.pk])
    edit = reverse("placement:order_edit", args=[order.pk])
    review = reverse("placement:order_review", args=[order.pk])
    expected = {
        "sysadmin": (200, 403, 200),
        "programme_manager": (200, 403, 200),
        "leadership": (200, 403, 403),
        "agency_staff": (200, 200, 403),
        "registration_officer": (403, 403, 403),
        "verifier": (403, 403, 403),
        "training_staff": (403, 403, 403),
        "candidate": (403, 403, 403),
    }
    for role, user in role_users.items():
        client = client_for(user)
        got = tuple(client.get(url).status_code for url in (detail, edit, review))
        assert got == expected[role], role
        client.logout()


def test_a_manager_reviews_through_the_page(client_for, manager, make_order, agent):
    order = make_order()
    services.job_order_submit(actor=agent, order=order)
    client = client_for(manager)
    url = reverse("placement:order_review", args=[order.pk])
    refused = client.post(url, {"decision": "return", "reason": ""})
    assert refused.status_code == 200 and "perbaiki" in refused.content.decode()
    assert client.post(url, {"decision": "approve", "reason": ""}).status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED


def test_the_attache_document_is_served_to_the_office_and_the_read_audited(
    client_for, manager, make_order
):
    order = make_order()
    response = client_for(manager).get(reverse("placement:order_attache_document", args=[order.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditLog.objects.filter(
        action="job_order.attache_document_view", kind=AuditLog.Kind.VIEW
    ).exists()


def test_the_agency_closes_its_order_but_not_another_agencys(
    client_for, agent_b, p3mi_b, approved_order
):
    order = approved_order()
    url = reverse("placement:order_close", args=[order.pk])
    assert client_for(agent_b).post(url, {"reason": "x"}).status_code == 404


def test_suspension_lifted_lets_the_agency_submit_again(make_order, agent, p3mi, manager):
    order = make_order()
    suspension = services.agency_suspend(
        actor=manager, agency=p3mi, starts_on=days(-10), reason="Audit"
    )
    services.agency_suspension_lift(
        actor=manager, suspension=suspension, lifted_on=days(0), reason="Audit selesai"
    )
    assert AgencySuspension.objects.get().lifted_on == days(0)
    services.job_order_submit(actor=agent, order=order)
