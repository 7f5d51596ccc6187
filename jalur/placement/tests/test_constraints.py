"""Every CHECK constraint of placement refused before the database, by the form or the service the
input comes through, with a sentence beside the field to fix, never the constraint's name; and the
job order page that showed "Batasan “order_age_range_ordered” dilanggar." now says what to fix and
that the attaché letter must be chosen again."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import timezone

from jalur.core.forms_errors import UNSENT_FILE
from jalur.placement import services
from jalur.placement.forms import AgreementForm, JobOrderForm
from jalur.placement.matching.models import MatchingRun
from jalur.placement.models import ExpiryNotice, FieldCheckConstraint, JobOrder

from .conftest import days, order_data, pdf_upload

pytestmark = pytest.mark.django_db

AGE_RANGE = "Umur maksimal harus sama atau lebih besar dari umur minimal (40)."


def _refused(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def _form_errors(form) -> dict[str, list[str]]:
    assert not form.is_valid()
    return {name: list(errors) for name, errors in form.errors.items()}


def _order(fx, **overrides):
    return services.job_order_create(
        actor=fx("agent"),
        agency=fx("p3mi"),
        data=order_data(fx("ssw"), fx("industrial"), **overrides),
        costs=[],
    )


def _order_with_costs(fx, cost: dict):
    fx("pks")
    line = {"item": "visa", "description": "", "amount": Decimal(0), "paid_by": "employer"}
    return services.job_order_create(
        actor=fx("agent"),
        agency=fx("p3mi"),
        data=order_data(fx("ssw"), fx("industrial")),
        costs=[{**line, **cost}],
    )


def _order_form(fx, **overrides) -> JobOrderForm:
    """The job order form as the agency's browser posts it."""
    fx("pks")
    data = {
        **order_data(fx("ssw").pk, fx("industrial").pk),
        "deadline": days(30).isoformat(),
        "attache_verified_on": days(-5).isoformat(),
        **overrides,
    }
    return JobOrderForm(data)


def _agency_data() -> dict:
    return {
        "licence_number": "SIP3MI/B/2026",
        "licence_valid_from": days(10),
        "licence_valid_until": days(-10),
        "address": "Jl. Ahmad Yani 2, Serang",
        "phone": "0254-200200",
        "contact_name": "Ratna",
        "contact_phone": "+6281299990001",
    }


def _agreement_data(**overrides) -> dict:
    return {
        "kind": "mou",
        "number": "MOU/02/2026",
        "title": "Nota Kesepakatan",
        "parties": "Pemkot Serang\nDPP APJATI",
        "signed_on": days(-10),
        "starts_on": days(-10),
        "ends_on": days(300),
        **overrides,
    }


def _suspended(fx):
    return services.agency_suspend(
        actor=fx("manager"), agency=fx("p3mi"), starts_on=days(0), reason="Aduan gaji"
    )


def _selected(fx):
    """An application the employer chose, after an interview entered the hour it was held."""
    agent = fx("agent")
    person = fx("make_trained")(user=True)
    order = fx("approved_order")()
    application = services.application_apply(candidate=person, order=order, actor=person.user)
    services.application_shortlist(actor=agent, application=application)
    later = timezone.now() + datetime.timedelta(hours=2)
    services.interview_record(
        actor=agent,
        application=application,
        result="passed",
        held_at=later - datetime.timedelta(hours=1),
        mode="online",
        place="Zoom",
        now=later,
    )
    return services.application_select(actor=agent, application=application)


def _shortlisted(fx):
    person = fx("make_trained")(user=True)
    application = services.application_apply(
        candidate=person, order=fx("approved_order")(), actor=person.user
    )
    return services.application_shortlist(actor=fx("agent"), application=application)


def _worker_paid_other_cost(fx):
    """A worker-paid "Lainnya" line of an order under review: the office decides on it."""
    fx("pks")
    line = {"item": "other", "description": "Seragam", "amount": Decimal(1), "paid_by": "worker"}
    order = services.job_order_create(
        actor=fx("agent"),
        agency=fx("p3mi"),
        data=order_data(fx("ssw"), fx("industrial")),
        costs=[line],
    )
    services.job_order_submit(actor=fx("agent"), order=order)
    return order.costs.get()


def _permit_change(fx, **figures):
    """A change asked for of the SIP2MI recorded with an order of agency A."""
    fx("pks")
    permit = _order(fx).permit
    values = {"quota": 20, "issued_on": None, "valid_until": None, **figures}
    return services.permit_change_request(
        actor=fx("agent"), permit=permit, document=pdf_upload(), **values
    )


def _full_clean(instance, **changes):
    for name, value in changes.items():
        setattr(instance, name, value)
    return _refused(instance.full_clean)


# Each constraint: the field its refusal must sit beside, and the violating input sent the way it
# arrives (`fx` gets a fixture). The three written only by Jalur itself, never typed in by anyone,
# are shown through full_clean().
CASES = {
    "agency_licence_dates_ordered": (
        "licence_valid_until",
        lambda fx: _refused(
            lambda: services.agency_create(
                actor=fx("manager"), organisation=fx("agency_b"), data=_agency_data()
            )
        ),
    ),
    "suspension_has_reason": (
        "reason",
        lambda fx: _refused(
            lambda: services.agency_suspend(
                actor=fx("manager"), agency=fx("p3mi"), starts_on=days(0), reason="   "
            )
        ),
    ),
    "suspension_lifted_after_start": (
        "lifted_on",
        lambda fx: _refused(
            lambda: services.agency_suspension_lift(
                actor=fx("manager"), suspension=_suspended(fx), lifted_on=days(-3), reason="Lunas"
            )
        ),
    ),
    "suspension_lift_has_reason": (
        "reason",
        lambda fx: _refused(
            lambda: services.agency_suspension_lift(
                actor=fx("manager"), suspension=_suspended(fx), lifted_on=days(1), reason=" "
            )
        ),
    ),
    "agreement_starts_before_it_ends": (
        "ends_on",
        lambda fx: _refused(
            lambda: services.agreement_create(
                actor=fx("manager"), data=_agreement_data(starts_on=days(10), ends_on=days(5))
            )
        ),
    ),
    "agreement_signed_before_it_ends": (
        "signed_on",
        lambda fx: _refused(
            lambda: services.agreement_create(
                actor=fx("manager"), data=_agreement_data(signed_on=days(400))
            )
        ),
    ),
    "agreement_kind_parties": (
        "agency",
        lambda fx: _form_errors(
            AgreementForm(
                {
                    **_agreement_data(kind="pks", number="PKS/9/2026"),
                    "countries": ["JP"],
                    "job_types": [fx("industrial").pk],
                }
            )
        ),
    ),
    "agreement_kind_valid": (
        "kind",
        lambda fx: _refused(
            lambda: services.agreement_create(actor=fx("manager"), data=_agreement_data(kind="x"))
        ),
    ),
    "expiry_notice_one_subject": (
        "agreement",
        lambda fx: _full_clean(ExpiryNotice(ends_on=days(30))),
    ),
    "permit_quota_positive": (
        "sip2mi_quota",
        lambda fx: _refused(lambda: _order(fx, sip2mi_quota=0)),
    ),
    "permit_dates_ordered": (
        "sip2mi_valid_until",
        lambda fx: _form_errors(
            _order_form(
                fx,
                sip2mi_issued_on=days(-1).isoformat(),
                sip2mi_valid_until=days(-30).isoformat(),
            )
        ),
    ),
    "permit_change_quota_positive": (
        "quota",
        lambda fx: _refused(lambda: _permit_change(fx, quota=0)),
    ),
    "permit_change_dates_ordered": (
        "valid_until",
        lambda fx: _refused(lambda: _permit_change(fx, issued_on=days(-1), valid_until=days(-30))),
    ),
    "permit_change_refusal_has_reason": (
        "reason",
        lambda fx: _refused(
            lambda: services.permit_change_decide(
                actor=fx("manager"), change=_permit_change(fx), approve=False, reason=" "
            )
        ),
    ),
    "order_positions_positive": (
        "positions",
        lambda fx: _refused(lambda: _order(fx, positions=0)),
    ),
    "order_age_range_ordered": (
        "max_age",
        lambda fx: _form_errors(_order_form(fx, min_age=40, max_age=25)),
    ),
    "order_no_one_under_18": ("min_age", lambda fx: _refused(lambda: _order(fx, min_age=16))),
    "order_sex_rule_has_reason": (
        "sex_reason",
        lambda fx: _refused(lambda: _order(fx, sex="P", sex_reason="  ")),
    ),
    "order_status_valid": (
        "status",
        lambda fx: _full_clean(_order(fx, positions=1), status="hilang"),
    ),
    "matching_run_status_valid": (
        "status",
        lambda fx: _full_clean(MatchingRun(created_by=fx("manager")), status="hilang"),
    ),
    "order_wage_positive": (
        "wage_amount",
        lambda fx: _refused(lambda: _order(fx, wage_amount=Decimal(0))),
    ),
    "order_eps_topik_in_range": (
        "eps_topik_min_score",
        lambda fx: _refused(lambda: _order(fx, eps_topik_min_score=250)),
    ),
    "order_jft_in_range": (
        "jft_min_score",
        lambda fx: _refused(lambda: _order(fx, jft_min_score=5)),
    ),
    "order_cost_not_negative": (
        "costs",
        lambda fx: _refused(lambda: _order_with_costs(fx, {"amount": Decimal(-5)})),
    ),
    "order_cost_payer_valid": (
        "costs",
        lambda fx: _refused(lambda: _order_with_costs(fx, {"paid_by": "tetangga"})),
    ),
    "order_cost_decision_has_reason": (
        "reason",
        lambda fx: _refused(
            lambda: services.job_order_cost_decide(
                actor=fx("manager"), cost=_worker_paid_other_cost(fx), decision="refused", reason=""
            )
        ),
    ),
    "application_status_valid": (
        "status",
        lambda fx: _full_clean(_shortlisted(fx), status="hilang"),
    ),
    "scheduled_interview_has_time": (
        "at",
        lambda fx: _refused(
            lambda: services.interview_schedule(
                actor=fx("agent"),
                application=_shortlisted(fx),
                at=None,
                mode="online",
                place="Zoom",
            )
        ),
    ),
    "offer_key_terms_complete": (
        "position_title",
        lambda fx: _refused(
            lambda: services.offer_make(
                actor=fx("agent"),
                application=_selected(fx),
                position_title="",
                wage_amount=None,
                contract_months=None,
                respond_by=days(7),
            )
        ),
    ),
}


def _placement_constraints():
    for model in apps.get_app_config("placement").get_models():
        for constraint in model._meta.constraints:
            yield model, constraint


def test_every_check_constraint_of_placement_has_a_case_below():
    names = {c.name for _m, c in _placement_constraints() if isinstance(c, models.CheckConstraint)}
    assert names == set(CASES)


def test_no_placement_constraint_can_surface_by_its_name():
    """Django says "Constraint “<name>” is violated." for any constraint without its own message
    (a unique constraint on plain fields says which values are taken instead)."""
    for model, constraint in _placement_constraints():
        plain_unique = isinstance(constraint, models.UniqueConstraint) and not (
            constraint.condition or constraint.expressions
        )
        assert plain_unique or (
            constraint.violation_error_message != constraint.default_violation_error_message
        ), constraint.name
        if isinstance(constraint, models.CheckConstraint):
            assert isinstance(constraint, FieldCheckConstraint), constraint.name
            read = {path[0] for path in model._get_expr_references(constraint.condition)}
            assert constraint.field in read, constraint.name


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_violating_input_is_refused_with_a_sentence_beside_its_field(request, name):
    field, refuse = CASES[name]
    errors = refuse(request.getfixturevalue)
    assert field in errors, errors
    for message in errors[field]:
        assert name not in message and "Batasan" not in message and "dilanggar" not in message
        assert len(message.split()) >= 4, message  # a sentence, not a code


# --- the job order page ----------------------------------------------------------------------------
def _order_page_data(ssw, industrial, **overrides) -> dict:
    return {
        **order_data(ssw.pk, industrial.pk),
        "deadline": days(30).isoformat(),
        "attache_verified_on": days(-5).isoformat(),
        "cost-TOTAL_FORMS": 0,
        "cost-INITIAL_FORMS": 0,
        **overrides,
    }


def test_the_order_page_says_what_to_fix_beside_each_field_and_asks_for_the_letter_again(
    client_for, agent, p3mi, pks, ssw, industrial
):
    data = _order_page_data(
        ssw,
        industrial,
        min_age=40,
        max_age=25,
        sip2mi_issued_on="2026-03-10",
        sip2mi_valid_until="2026-03-01",
        attache_file=pdf_upload(),
    )
    response = client_for(agent).post(reverse("placement:order_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["max_age"] == [AGE_RANGE]
    assert errors["sip2mi_valid_until"] == [
        "SIP2MI berlaku sampai harus sama dengan atau sesudah tanggal terbitnya (10-03-2026). "
        "Periksa kedua tanggal di SIP2MI."
    ]
    assert errors["attache_file"] == [UNSENT_FILE]
    html = response.content.decode()
    assert "dilanggar" not in html and "order_age_range_ordered" not in html
    assert "permit_dates_ordered" not in html
    assert not JobOrder.objects.exists()


def test_permit_dates_without_the_permits_number_are_not_dropped_silently(
    client_for, agent, p3mi, pks, ssw, industrial
):
    """QA: with no SIP2MI number, reversed SIP2MI dates were discarded without a word."""
    data = _order_page_data(
        ssw,
        industrial,
        sip2mi_number="",
        sip2mi_quota="",
        sip2mi_issued_on="2026-11-10",
        sip2mi_valid_until="2026-10-01",
    )
    response = client_for(agent).post(reverse("placement:order_create"), data)
    assert response.status_code == 200
    assert "Isi nomor SIP2MI" in response.context["form"].errors["sip2mi_number"][0]
    assert not JobOrder.objects.exists()


def test_a_refusal_by_the_service_also_asks_for_the_letter_again(
    client_for, agent, p3mi, pks, ssw, industrial
):
    """The form is fine; the service refuses (the destination is not the pathway's country)."""
    data = _order_page_data(ssw, industrial, employer_country="KR", attache_file=pdf_upload())
    response = client_for(agent).post(reverse("placement:order_create"), data)
    errors = response.context["form"].errors
    assert "employer_country" in errors and errors["attache_file"] == [UNSENT_FILE]


def test_a_letter_refused_for_itself_says_only_why(client_for, agent, p3mi, pks, ssw, industrial):
    letter = SimpleUploadedFile("surat.txt", b"bukan pdf", content_type="text/plain")
    data = _order_page_data(ssw, industrial, attache_file=letter)
    response = client_for(agent).post(reverse("placement:order_create"), data)
    [reason] = response.context["form"].errors["attache_file"]
    assert reason != UNSENT_FILE


def test_an_agreement_refused_asks_for_its_document_again(client_for, manager):
    data = {**_agreement_data(starts_on=days(10), ends_on=days(5)), "document_file": pdf_upload()}
    response = client_for(manager).post(reverse("placement:agreement_create"), data)
    errors = response.context["form"].errors
    assert errors["ends_on"] == [
        "Tanggal berakhir harus sama dengan atau sesudah tanggal mulai berlaku "
        f"({days(10):%d-%m-%Y})."
    ]
    assert errors["document_file"] == [UNSENT_FILE]
