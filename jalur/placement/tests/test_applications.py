"""Applications: applying, shortlisting, interviews, the employer's choice, the offer and its answer;
the candidate's stage moving with them; one application per order and one accepted offer per person,
in the database too; and what an agency may see of a person."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from jalur.audit import transitions
from jalur.audit.models import AuditLog
from jalur.candidates.access import candidates_for
from jalur.candidates.models import StageHistory
from jalur.candidates.stages import Stage
from jalur.notifications.models import Notification
from jalur.placement import services
from jalur.placement.models import Application, ApplicationOrigin
from jalur.placement.states import ApplicationStatus, OrderStatus

from .conftest import after_the_interview

pytestmark = pytest.mark.django_db
AS = ApplicationStatus


def _stage(candidate) -> str:
    candidate.refresh_from_db()
    return candidate.stage


def _through_to_selection(application, agent):
    services.application_shortlist(actor=agent, application=application)
    services.interview_schedule(
        actor=agent,
        application=application,
        at=timezone.now() + datetime.timedelta(days=2),
        mode="online",
        place="https://meet.example/abc",
    )
    services.interview_record(
        actor=agent, application=application, result="passed", now=after_the_interview(application)
    )
    return services.application_select(actor=agent, application=application)


def _offer(application, agent, *, respond_in: int = 5, **terms):
    """Offer the job on the order's own terms, or on `terms` given."""
    order = application.order
    return services.offer_make(
        actor=agent,
        application=application,
        **{
            "position_title": order.position_title,
            "wage_amount": order.wage_amount,
            "contract_months": order.contract_months,
            "terms": "Mulai April, asrama disediakan",
            "respond_by": timezone.localdate() + datetime.timedelta(days=respond_in),
            **terms,
        },
    )


def _through_to_offer(application, agent, *, respond_in: int = 5):
    _through_to_selection(application, agent)
    return _offer(application, agent, respond_in=respond_in)


@pytest.fixture
def applied(make_trained, approved_order):
    """A trained candidate (with a log-in) who applied to an approved order of agency A."""
    order = approved_order()
    candidate = make_trained(user=True)
    application = services.application_apply(candidate=candidate, order=order, actor=candidate.user)
    return application


def test_applying_moves_a_trained_candidate_into_selection(applied, agent):
    assert applied.status == AS.APPLIED and applied.origin == ApplicationOrigin.APPLIED
    assert Notification.objects.filter(user=agent, key="placement_applied").exists()
    assert _stage(applied.candidate) == Stage.SELECTION
    move = StageHistory.objects.filter(candidate=applied.candidate).last()
    assert (move.from_stage, move.to_stage) == (Stage.TRAINED, Stage.SELECTION)
    # every P3MI the person applies to reads this history: no order number in it
    assert move.reason == "Melamar atau direkomendasikan ke lowongan resmi"
    assert applied.order.reference not in move.reason


def test_a_candidate_who_does_not_qualify_cannot_apply(make_trained, approved_order):
    order = approved_order()
    candidate = make_trained(jft=150, user=True)
    with pytest.raises(ValidationError) as caught:
        services.application_apply(candidate=candidate, order=order, actor=candidate.user)
    assert "JFT-Basic 150" in caught.value.messages[0]
    assert _stage(candidate) == Stage.TRAINED


def test_one_application_per_candidate_per_order(applied):
    with pytest.raises(ValidationError):
        services.application_apply(
            candidate=applied.candidate, order=applied.order, actor=applied.candidate.user
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            order=applied.order,
            candidate=applied.candidate,
            status=AS.RECOMMENDED,
            origin=ApplicationOrigin.RECOMMENDED,
        )


def test_the_database_holds_at_most_one_accepted_offer_per_person(applied, approved_order):
    other = approved_order(employer_name="Second K.K.", sip2mi_number="SIP2MI/2")
    Application.objects.filter(pk=applied.pk).update(status=AS.ACCEPTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            order=other,
            candidate=applied.candidate,
            status=AS.ACCEPTED,
            origin=ApplicationOrigin.APPLIED,
        )


def test_the_whole_way_to_an_accepted_offer(applied, agent):
    application = _through_to_offer(applied, agent)
    statuses = list(application.events.values_list("to_status", flat=True))
    assert statuses == ["applied", "shortlisted", "interview", "interviewed", "selected", "offered"]
    user = application.candidate.user
    keys = set(Notification.objects.filter(user=user).values_list("key", flat=True))
    assert {"placement_interview", "placement_offer"} <= keys
    services.offer_accept(actor=user, application=application)
    application.refresh_from_db()
    assert application.status == AS.ACCEPTED and application.responded_at
    assert _stage(application.candidate) == Stage.PRE_DEPARTURE
    assert Notification.objects.filter(user=agent, key="placement_offer_answered").exists()


def test_accepting_ends_the_persons_other_applications(applied, agent, approved_order):
    other = approved_order(employer_name="Second K.K.", sip2mi_number="SIP2MI/2")
    second = services.application_apply(
        candidate=applied.candidate, order=other, actor=applied.candidate.user
    )
    offer = _through_to_offer(applied, agent)
    services.offer_accept(actor=applied.candidate.user, application=offer)
    second.refresh_from_db()
    assert second.status == AS.CANCELLED and second.get_status_display() == "Dibatalkan otomatis"
    assert second.status_reason == (
        f"Dibatalkan otomatis: menerima tawaran lowongan {applied.order.reference}"
    )


def test_another_agencys_offer_is_cancelled_without_the_competitors_order_number(
    applied, agent, agent_b, p3mi_b, pks_b, make_order, manager, client_for
):
    """Accepting agency A's offer cancels agency B's: B reads that the person took an offer from
    another P3MI, not that they "withdrew", and never A's order number."""
    order_b = make_order(agency=p3mi_b, actor=agent_b, sip2mi_number="SIP2MI/B/1")
    services.job_order_submit(actor=agent_b, order=order_b)
    services.job_order_approve(actor=manager, order=order_b)
    at_b = services.application_apply(
        candidate=applied.candidate, order=order_b, actor=applied.candidate.user
    )
    at_b = _through_to_offer(at_b, agent_b)
    services.offer_accept(
        actor=applied.candidate.user, application=_through_to_offer(applied, agent)
    )
    at_b.refresh_from_db()
    assert at_b.status == AS.CANCELLED
    assert at_b.status_reason == "Dibatalkan otomatis: menerima penawaran dari P3MI lain"
    page = client_for(agent_b).get(reverse("placement:application_detail", args=[at_b.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Dibatalkan otomatis" in html and "penawaran dari P3MI lain" in html
    assert "Mengundurkan diri" not in html
    assert applied.order.reference not in html
    # nor on the person's page, whose stage history B reads too
    person = client_for(agent_b).get(reverse("candidates:detail", args=[applied.candidate_id]))
    assert person.status_code == 200
    assert applied.order.reference not in person.content.decode()


def test_a_second_offer_cannot_be_accepted(applied, agent, approved_order, make_trained):
    other = approved_order(employer_name="Second K.K.", sip2mi_number="SIP2MI/2")
    second = services.application_apply(
        candidate=applied.candidate, order=other, actor=applied.candidate.user
    )
    first_offer = _through_to_offer(applied, agent)
    second_offer = _through_to_offer(second, agent)
    services.offer_accept(actor=applied.candidate.user, application=first_offer)
    with pytest.raises(ValidationError):
        services.offer_accept(actor=applied.candidate.user, application=second_offer)
    assert Application.objects.filter(candidate=applied.candidate, status=AS.ACCEPTED).count() == 1


def test_the_order_is_filled_when_every_position_is_taken(make_trained, approved_order, agent):
    order = approved_order(positions=1)
    winner = make_trained(user=True)
    rival = make_trained(user=True)
    a = services.application_apply(candidate=winner, order=order, actor=winner.user)
    b = services.application_apply(candidate=rival, order=order, actor=rival.user)
    services.offer_accept(actor=winner.user, application=_through_to_offer(a, agent))
    order.refresh_from_db()
    b.refresh_from_db()
    assert order.status == OrderStatus.FILLED
    assert b.status == AS.CANCELLED
    assert b.status_reason == f"Dibatalkan otomatis: lowongan {order.reference} sudah terisi"
    assert _stage(rival) == Stage.TRAINED


def test_declining_goes_back_to_trained_unless_another_application_is_live(
    applied, agent, approved_order
):
    offer = _through_to_offer(applied, agent)
    services.offer_decline(actor=applied.candidate.user, application=offer, reason="Keluarga")
    assert _stage(applied.candidate) == Stage.TRAINED

    # with another live application the person stays in selection
    other = approved_order(employer_name="Second K.K.", sip2mi_number="SIP2MI/2")
    third = approved_order(employer_name="Third K.K.", sip2mi_number="SIP2MI/3")
    b = services.application_apply(
        candidate=applied.candidate, order=other, actor=applied.candidate.user
    )
    services.application_apply(
        candidate=applied.candidate, order=third, actor=applied.candidate.user
    )
    services.application_not_selected(actor=agent, application=b, reason="Kuota penuh")
    assert _stage(applied.candidate) == Stage.SELECTION


def test_not_selected_needs_a_reason_that_the_candidate_reads(applied, agent):
    with pytest.raises(ValidationError):
        services.application_not_selected(actor=agent, application=applied, reason="")
    services.application_not_selected(
        actor=agent, application=applied, reason="Tinggi badan tidak sesuai mesin"
    )
    note = Notification.objects.filter(
        user=applied.candidate.user, key="placement_application_update"
    ).last()
    assert "Tinggi badan tidak sesuai mesin" in note.body


def test_withdrawing_after_accepting_reopens_a_filled_order(make_trained, approved_order, agent):
    order = approved_order(positions=1)
    person = make_trained(user=True)
    application = services.application_apply(candidate=person, order=order, actor=person.user)
    services.offer_accept(actor=person.user, application=_through_to_offer(application, agent))
    services.application_withdraw(
        actor=agent, application=application, reason="Hasil medical tidak fit"
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    assert _stage(person) == Stage.TRAINED


def test_an_interview_in_the_past_and_a_choice_after_a_failed_interview_are_refused(applied, agent):
    services.application_shortlist(actor=agent, application=applied)
    with pytest.raises(ValidationError):
        services.interview_schedule(
            actor=agent,
            application=applied,
            at=timezone.now() - datetime.timedelta(hours=1),
            mode="in_person",
            place="Kantor P3MI",
        )
    services.interview_schedule(
        actor=agent,
        application=applied,
        at=timezone.now() + datetime.timedelta(days=1),
        mode="in_person",
        place="Kantor P3MI",
    )
    services.interview_record(
        actor=agent, application=applied, result="failed", now=after_the_interview(applied)
    )
    with pytest.raises(ValidationError):
        services.application_select(actor=agent, application=applied)


def test_steps_out_of_order_are_refused(applied, agent):
    with pytest.raises(ValidationError) as caught:
        _offer(applied, agent, wage_amount=Decimal("1"), respond_in=0)
    assert caught.value.code == "invalid_transition"


def test_every_application_move_goes_through_the_one_status_move_with_history_and_audit(
    applied, agent, monkeypatch
):
    moved = []
    real = transitions.status_move

    def watching(obj, **kwargs):
        moved.append((type(obj).__name__, kwargs["to_status"]))
        return real(obj, **kwargs)

    monkeypatch.setattr(transitions, "status_move", watching)
    services.application_shortlist(actor=agent, application=applied)
    services.application_not_selected(actor=agent, application=applied, reason="Kuota terisi")
    assert moved == [("Application", AS.SHORTLISTED), ("Application", AS.NOT_SELECTED)]
    applied.refresh_from_db()
    assert applied.status_reason == "Kuota terisi"
    event = applied.events.last()
    assert (event.from_status, event.to_status, event.actor) == (
        AS.SHORTLISTED,
        AS.NOT_SELECTED,
        agent,
    )
    assert event.reason == "Kuota terisi"
    log = AuditLog.objects.get(action="application.not_selected")
    assert (
        log.changes["status"] == [AS.SHORTLISTED, AS.NOT_SELECTED] and log.reason == "Kuota terisi"
    )
    with pytest.raises(ValidationError) as caught:
        services.application_shortlist(actor=agent, application=applied)
    assert caught.value.code == "invalid_transition"


# --- what each side sees ---------------------------------------------------------------------------
def test_an_agency_sees_only_people_who_applied_to_or_were_recommended_for_its_orders(
    applied, agent, agent_b, make_trained, p3mi_b
):
    stranger = make_trained()
    mine = candidates_for(agent)
    assert applied.candidate in mine and stranger not in mine
    assert not candidates_for(agent_b).exists()


def test_another_agency_gets_404_on_the_application(applied, client_for, agent_b, p3mi_b):
    client = client_for(agent_b)
    assert client.get(reverse("placement:application_detail", args=[applied.pk])).status_code == 404
    url = reverse("placement:application_action", args=[applied.pk, "shortlist"])
    assert client.post(url).status_code == 404


def test_the_agency_page_hides_nik_and_shows_the_phone_only_after_shortlisting(
    applied, client_for, agent
):
    client = client_for(agent)
    url = reverse("placement:application_detail", args=[applied.pk])
    candidate = applied.candidate
    page = client.get(url).content.decode()
    assert candidate.full_name in page
    assert candidate.nik not in page and candidate.kk_number not in page
    assert "0812-" not in page
    client.post(reverse("placement:application_action", args=[applied.pk, "shortlist"]))
    page = client.get(url).content.decode()
    assert "0812-" in page and candidate.nik not in page


def test_the_score_explanation_shows_each_part_with_the_precision_multiplied(
    applied, client_for, agent
):
    Application.objects.filter(pk=applied.pk).update(
        score=Decimal("56.4"),
        score_parts={
            "language": 80.5,
            "skill": 60.0,
            "attendance": 90.0,
            "waiting": 12.3,
            "preference": 0.0,
        },
    )
    page = client_for(agent).get(reverse("placement:application_detail", args=[applied.pk]))
    html = " ".join(page.content.decode().split())
    assert '<span>Bahasa</span> <b>80,5</b> <small class="muted">× 40% = 32,2</small>' in html
    assert '<span>Uji keterampilan</span> <b>60</b> <small class="muted">× 20% = 12</small>' in html
    assert '<b>12,3</b> <small class="muted">× 15% = 1,8</small>' in html


def test_the_office_reads_but_does_not_act_on_applications(applied, client_for, manager):
    client = client_for(manager)
    assert client.get(reverse("placement:application_detail", args=[applied.pk])).status_code == 200
    url = reverse("placement:application_action", args=[applied.pk, "shortlist"])
    assert client.post(url).status_code == 403


def test_the_agency_schedules_an_interview_through_the_page(applied, client_for, agent):
    client = client_for(agent)
    client.post(reverse("placement:application_action", args=[applied.pk, "shortlist"]))
    at = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("placement:application_action", args=[applied.pk, "interview"]),
        {"interview-at": at, "interview-mode": "in_person", "interview-place": "Kantor Serang"},
    )
    assert response.status_code == 302
    applied.refresh_from_db()
    assert applied.status == AS.INTERVIEW_SCHEDULED and applied.interview_place == "Kantor Serang"
    bad = client.post(
        reverse("placement:application_action", args=[applied.pk, "interview"]),
        {"interview-at": at, "interview-mode": "in_person", "interview-place": ""},
    )
    assert bad.status_code == 400


def test_an_interview_result_waits_for_the_scheduled_time(applied, client_for, agent):
    client = client_for(agent)
    services.application_shortlist(actor=agent, application=applied)
    at = timezone.localtime() + datetime.timedelta(days=3)
    services.interview_schedule(
        actor=agent, application=applied, at=at, mode="in_person", place="Kantor Serang"
    )
    response = client.post(
        reverse("placement:application_action", args=[applied.pk, "result"]),
        {"result-result": "passed", "result-notes": "Komunikasi baik"},
    )
    assert response.status_code == 400
    assert (
        f"Wawancara dijadwalkan {at:%d-%m-%Y %H.%M}; hasilnya bisa dicatat sesudah itu."
        in response.content.decode()
    )
    applied.refresh_from_db()
    assert applied.status == AS.INTERVIEW_SCHEDULED and applied.interview_result == ""
    services.interview_record(
        actor=agent, application=applied, result="passed", now=after_the_interview(applied)
    )
    applied.refresh_from_db()
    assert applied.status == AS.INTERVIEWED


def test_the_candidate_applies_and_answers_the_offer_in_their_account(
    make_trained, approved_order, client_for, agent
):
    order = approved_order()
    person = make_trained(user=True)
    client = client_for(person.user)
    page = client.get(reverse("placement:my_order", args=[order.pk]))
    assert "Lamar lowongan ini" in page.content.decode()
    response = client.post(reverse("placement:my_order", args=[order.pk]))
    application = Application.objects.get(candidate=person, order=order)
    assert response.status_code == 302
    _through_to_offer(application, agent)
    url = reverse("placement:my_application", args=[application.pk])
    page = client.get(url).content.decode()
    assert "Terima tawaran" in page
    # declining cannot be undone, so a thumb slip asks first, as accepting does
    assert 'data-confirm="Tolak tawaran ini? Keputusan ini tidak bisa dibatalkan."' in page
    client.post(url, {"answer": "accept"})
    application.refresh_from_db()
    assert application.status == AS.ACCEPTED
    assert "persiapan keberangkatan" in client.get(url).content.decode()


def test_a_candidate_cannot_open_someone_elses_application(applied, make_trained, client_for):
    other = make_trained(user=True)
    client = client_for(other.user)
    url = reverse("placement:my_application", args=[applied.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "accept"}).status_code == 404


def test_the_candidate_sees_open_orders_with_what_they_still_lack(
    make_trained, approved_order, client_for
):
    approved_order()
    person = make_trained(jft=190, user=True)
    page = client_for(person.user).get(reverse("placement:my_placement")).content.decode()
    assert "Belum memenuhi syarat" in page and "JFT-Basic 190" in page


def test_after_accepting_an_offer_the_person_is_not_told_to_finish_training(
    applied, agent, approved_order, client_for
):
    approved_order(employer_name="Second K.K.", sip2mi_number="SIP2MI/2")
    offer = _through_to_offer(applied, agent)
    services.offer_accept(actor=applied.candidate.user, application=offer)
    client = client_for(applied.candidate.user)
    page = client.get(reverse("placement:my_placement")).content.decode()
    assert "Anda sudah menerima tawaran kerja" in page
    assert "lulus pelatihan" not in page and "Belum memenuhi syarat" not in page
    other = client.get(reverse("placement:my_order", args=[applied.order.pk])).content.decode()
    assert "Tanyakan ke petugas" not in other


def test_a_candidate_without_a_registration_is_told_to_register(client_for, candidate_user):
    page = client_for(candidate_user).get(reverse("placement:my_placement"))
    assert page.status_code == 200 and "pendaftaran" in page.content.decode()


def test_the_candidate_page_section_lists_applications(applied, agent):
    from django.apps import apps

    config = apps.get_app_config("placement")
    [own] = config.candidate_sections(applied.candidate, applied.candidate.user)
    assert own["context"]["applications"] == [applied]
    [for_agency] = config.candidate_sections(applied.candidate, agent)
    assert for_agency["context"]["applications"] == [applied]


# --- the offer's terms against the approved job order (contract substitution) ----------------------
WAGE_BELOW = (
    "Gaji yang ditawarkan (JPY 150.000) lebih rendah dari gaji lowongan yang disetujui "
    "Disnakertrans (JPY 215.000). Tawaran tidak boleh lebih buruk dari lowongan."
)


@pytest.fixture
def selected(make_trained, approved_order, agent):
    """Yuli, chosen by the employer for an order approved at JPY 215.000 a month for 36 months."""
    order = approved_order(
        wage_amount=Decimal("215000"), contract_months=36, position_title="Operator CNC"
    )
    person = make_trained(user=True, full_name="Yuli Setiawan")
    application = services.application_apply(candidate=person, order=order, actor=person.user)
    return _through_to_selection(application, agent)


def _not_offered(application) -> bool:
    application.refresh_from_db()
    return (
        application.status == AS.SELECTED
        and application.offered_at is None
        and not Notification.objects.filter(key="placement_offer").exists()
        and not AuditLog.objects.filter(action="application.offered").exists()
    )


def test_an_offer_below_the_approved_wage_is_refused_naming_both_figures(selected, agent):
    with pytest.raises(ValidationError) as caught:
        _offer(selected, agent, wage_amount=Decimal("150000"))
    [error] = caught.value.error_dict["wage_amount"]
    assert error.code == "wage_below_order" and error.message == WAGE_BELOW
    assert _not_offered(selected)


@pytest.mark.parametrize("months", [24, 48])
def test_an_offer_with_another_contract_length_than_the_order_is_refused(selected, agent, months):
    with pytest.raises(ValidationError) as caught:
        _offer(selected, agent, contract_months=months)
    [error] = caught.value.error_dict["contract_months"]
    assert error.code == "contract_differs_from_order"
    assert error.message == (
        f"Lama kontrak yang ditawarkan ({months} bulan) berbeda dari lama kontrak lowongan yang "
        "disetujui Disnakertrans (36 bulan). Tawaran harus memakai lama kontrak lowongan."
    )
    assert _not_offered(selected)


@pytest.mark.parametrize("wage", [Decimal("215000"), Decimal("230000.50")])
def test_an_offer_at_or_above_the_approved_wage_is_made_with_its_terms_recorded(
    selected, agent, wage
):
    offer = _offer(selected, agent, wage_amount=wage, position_title="  operator   CNC ")
    offer.refresh_from_db()
    assert offer.status == AS.OFFERED
    assert (offer.offer_wage_amount, offer.offer_contract_months) == (wage, 36)
    assert offer.offer_position_title == "operator CNC"  # spacing tidied, same position
    assert offer.offer_terms == "Mulai April, asrama disediakan"
    audit = AuditLog.objects.get(action="application.offered")
    assert audit.changes["offer_wage_amount"][1] == str(wage)
    assert audit.changes["offer_contract_months"] == [None, 36]
    # the message tells the person the figures too
    body = selected.candidate.user.notifications.get(key="placement_offer").body
    assert "kontrak 36 bulan" in body and "JPY" in body


def test_an_offer_for_another_position_is_refused(selected, agent):
    """A cleaner's contract for a CNC operator's job order is contract substitution too."""
    with pytest.raises(ValidationError) as error:
        _offer(selected, agent, position_title="Pembersih pabrik")
    assert error.value.error_dict["position_title"][0].code == "position_differs_from_order"
    assert "(Operator CNC)" in error.value.message_dict["position_title"][0]
    selected.refresh_from_db()
    assert selected.status != AS.OFFERED


def test_every_problem_of_an_offer_shows_in_one_round(selected, agent):
    with pytest.raises(ValidationError) as error:
        _offer(
            selected,
            agent,
            wage_amount=Decimal("200000"),
            contract_months=24,
            respond_in=-3,
        )
    assert {"wage_amount", "contract_months", "respond_by"} <= set(error.value.error_dict)


def test_the_database_keeps_an_offers_key_terms_together(selected):
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=selected.pk).update(offer_wage_amount=Decimal("215000"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=selected.pk).update(
            offer_wage_amount=Decimal("0"), offer_contract_months=36, offer_position_title="CNC"
        )


def test_the_offer_form_is_prefilled_from_the_order_and_shows_a_refusal_beside_the_wage(
    selected, client_for, agent
):
    client = client_for(agent)
    page = client.get(reverse("placement:application_detail", args=[selected.pk])).content.decode()
    assert 'name="offer-wage_amount"' in page and 'value="215000.00"' in page
    assert 'name="offer-contract_months"' in page and 'value="36"' in page
    assert 'name="offer-position_title"' in page and 'value="Operator CNC"' in page
    assert "Gaji yang ditawarkan (JPY per bulan)" in page
    respond_by = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    response = client.post(
        reverse("placement:application_action", args=[selected.pk, "offer"]),
        {
            "offer-position_title": "Operator CNC",
            "offer-wage_amount": "150000",
            "offer-contract_months": "36",
            "offer-terms": "Operator CNC; JPY 150.000/bulan; kontrak 36 bulan",
            "offer-respond_by": respond_by,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<p class="error" id="id_offer-wage_amount_error">{WAGE_BELOW}</p>' in html
    assert 'value="150000"' in html  # what was typed is kept
    assert _not_offered(selected)


def test_only_the_orders_agency_makes_the_offer(selected, client_for, agent, agent_b, p3mi_b):
    url = reverse("placement:application_action", args=[selected.pk, "offer"])
    data = {
        "offer-position_title": "Operator CNC",
        "offer-wage_amount": "215.000",  # as the page shows the order's wage (QA: was refused)
        "offer-contract_months": "36",
        "offer-respond_by": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
    }
    assert client_for(agent_b).post(url, data).status_code == 404
    assert _not_offered(selected)
    assert client_for(agent).post(url, data).status_code == 302
    selected.refresh_from_db()
    assert selected.status == AS.OFFERED and selected.offer_wage_amount == Decimal("215000")


def test_the_candidate_sees_the_offered_wage_and_contract_beside_the_orders(
    selected, client_for, agent
):
    _offer(selected, agent, wage_amount=Decimal("220000"))
    client = client_for(selected.candidate.user)
    url = reverse("placement:my_application", args=[selected.pk])
    html = " ".join(client.get(url).content.decode().split())
    assert "<th>Tawaran ini</th><th>Lowongan yang disetujui Disnakertrans</th>" in html
    offered = '<td data-label="Tawaran ini">'
    approved = '<td data-label="Lowongan yang disetujui Disnakertrans">'
    assert (
        f'<th scope="row">Gaji</th>{offered}<strong>JPY 220.000 per bulan</strong> '
        '<span class="tag tag-ok">lebih tinggi dari lowongan</span></td>'
        f"{approved}JPY 215.000 per bulan</td>"
    ) in html
    assert (
        f'<th scope="row">Lama kontrak</th>{offered}<strong>36 bulan</strong></td>'
        f"{approved}36 bulan</td>"
    ) in html
    # after accepting, the person can still read what they accepted
    client.post(url, {"answer": "accept"})
    assert "<strong>JPY 220.000 per bulan</strong>" in client.get(url).content.decode()


def test_an_offer_made_before_its_terms_were_recorded_stays_readable(selected, client_for):
    Application.objects.filter(pk=selected.pk).update(
        status=AS.OFFERED,
        offer_terms="Operator CNC; JPY 215.000/bulan; kontrak 36 bulan",
        offer_respond_by=timezone.localdate(),
        offered_at=timezone.now(),
    )
    client = client_for(selected.candidate.user)
    page = client.get(reverse("placement:my_application", args=[selected.pk])).content.decode()
    assert "Operator CNC; JPY 215.000/bulan; kontrak 36 bulan" in page
    assert (
        "Tawaran ini dibuat sebelum gaji dan lama kontrak dicatat tersendiri. Lowongan yang "
        "disetujui Disnakertrans: gaji JPY 215.000 per bulan, kontrak 36 bulan."
    ) in page
    assert "Terima tawaran" in page


# --- an interview entered after it took place ------------------------------------------------------
def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _existing_since(application, days: int):
    """The application as if the person had applied `days` days ago."""
    Application.objects.filter(pk=application.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )
    application.refresh_from_db()
    return application


def test_yesterdays_interview_is_recorded_with_its_result_and_no_upcoming_interview_message(
    applied, client_for, agent
):
    """A P3MI entering yesterday's 09:00 interview does it in one step, without scheduling a few
    minutes ahead and waiting; the candidate is not told about an interview that is over."""
    _existing_since(applied, 5)
    services.application_shortlist(actor=agent, application=applied)
    yesterday_9 = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    yesterday_9 -= datetime.timedelta(days=1)
    client = client_for(agent)
    page = client.get(reverse("placement:application_detail", args=[applied.pk])).content.decode()
    assert "Catat wawancara yang sudah berlangsung" in page
    response = client.post(
        reverse("placement:application_action", args=[applied.pk, "held"]),
        {
            "held-held_at": _local(yesterday_9),
            "held-mode": "in_person",
            "held-place": "Kantor P3MI Serang",
            "held-result": "passed",
            "held-notes": "Komunikasi baik",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    applied.refresh_from_db()
    assert applied.status == AS.INTERVIEWED and applied.interview_result == "passed"
    assert applied.interview_at == yesterday_9 and applied.interview_place == "Kantor P3MI Serang"
    assert not Notification.objects.filter(key="placement_interview").exists()
    event = applied.events.get(to_status=AS.INTERVIEWED)
    assert event.from_status == AS.SHORTLISTED
    assert event.reason == f"Wawancara {yesterday_9:%d-%m-%Y %H.%M} dicatat sesudah berlangsung"
    audit = AuditLog.objects.get(action="application.interviewed")
    assert audit.changes["interview_result"] == [None, "passed"] and audit.changes["interview_at"]
    services.application_select(actor=agent, application=applied)  # the way on is open


@pytest.mark.parametrize(
    ("held", "says"),
    [
        (datetime.timedelta(minutes=10), "tidak boleh sesudah sekarang"),
        (-datetime.timedelta(days=31), "bisa dicatat sampai 30 hari sesudahnya"),
        (-datetime.timedelta(days=6), "tidak boleh sebelum lamaran ini ada di Jalur"),
    ],
)
def test_an_interview_entered_afterwards_is_not_in_the_future_too_old_or_before_the_application(
    applied, agent, held, says
):
    _existing_since(applied, 5)
    services.application_shortlist(actor=agent, application=applied)
    with pytest.raises(ValidationError) as caught:
        services.interview_record(
            actor=agent,
            application=applied,
            result="passed",
            held_at=timezone.now() + held,
            mode="online",
            place="Zoom",
        )
    [message] = caught.value.message_dict["held_at"]
    assert says in message
    applied.refresh_from_db()
    assert applied.status == AS.SHORTLISTED and applied.interview_at is None


def test_an_interview_in_the_same_minute_as_the_application_is_accepted(applied, client_for, agent):
    """The form sends minutes; an application made at 10.05.37 and interviewed at 10.05 is fine."""
    created = (timezone.now() - datetime.timedelta(minutes=3)).replace(second=37)
    Application.objects.filter(pk=applied.pk).update(created_at=created)
    services.application_shortlist(actor=agent, application=applied)
    response = client_for(agent).post(
        reverse("placement:application_action", args=[applied.pk, "held"]),
        {
            "held-held_at": _local(created),
            "held-mode": "in_person",
            "held-place": "Kantor P3MI",
            "held-result": "passed",
        },
    )
    assert response.status_code == 302, response.context["forms"]["held"].errors
    applied.refresh_from_db()
    assert applied.status == AS.INTERVIEWED
    assert applied.interview_at == created.replace(second=0, microsecond=0)
    # a minute earlier is still before the application
    other = (created - datetime.timedelta(minutes=1)).replace(second=0, microsecond=0)
    assert "tidak boleh sebelum lamaran" in services.interviews._held_at_problem(
        other, now=timezone.now(), created=created
    )


def test_an_interview_held_earlier_than_scheduled_is_recorded_at_its_real_time(applied, agent):
    _existing_since(applied, 1)
    services.application_shortlist(actor=agent, application=applied)
    scheduled = timezone.now() + datetime.timedelta(hours=5)
    services.interview_schedule(
        actor=agent, application=applied, at=scheduled, mode="online", place="Zoom"
    )
    held = timezone.now() - datetime.timedelta(minutes=30)
    services.interview_record(actor=agent, application=applied, result="failed", held_at=held)
    applied.refresh_from_db()
    assert applied.status == AS.INTERVIEWED and applied.interview_at == held
    reason = applied.events.get(to_status=AS.INTERVIEWED).reason
    assert timezone.localtime(held).strftime("%d-%m-%Y %H.%M") in reason
    assert timezone.localtime(scheduled).strftime("%d-%m-%Y %H.%M") in reason


def test_the_result_form_left_at_a_scheduled_time_still_ahead_says_when_it_is(
    applied, client_for, agent
):
    services.application_shortlist(actor=agent, application=applied)
    at = timezone.localtime() + datetime.timedelta(hours=3)
    services.interview_schedule(
        actor=agent, application=applied, at=at, mode="online", place="Zoom"
    )
    client = client_for(agent)
    page = client.get(reverse("placement:application_detail", args=[applied.pk]))
    prefilled = page.context["forms"]["result"]["held_at"].value()  # as shown: local, to the minute
    response = client.post(
        reverse("placement:application_action", args=[applied.pk, "result"]),
        {"result-held_at": prefilled.strftime("%Y-%m-%dT%H:%M"), "result-result": "passed"},
    )
    assert response.status_code == 400
    [message] = response.context["forms"]["result"].errors["held_at"]
    assert message.startswith(f"Wawancara dijadwalkan {at:%d-%m-%Y %H.%M}; hasilnya bisa dicatat")
    applied.refresh_from_db()
    assert applied.status == AS.INTERVIEW_SCHEDULED


def test_scheduling_a_time_already_past_says_beside_it_where_to_record_a_held_interview(
    applied, client_for, agent
):
    services.application_shortlist(actor=agent, application=applied)
    response = client_for(agent).post(
        reverse("placement:application_action", args=[applied.pk, "interview"]),
        {
            "interview-at": _local(timezone.now() - datetime.timedelta(hours=2)),
            "interview-mode": "in_person",
            "interview-place": "Kantor Serang",
        },
    )
    assert response.status_code == 400
    assert response.context["forms"]["interview"].errors["at"] == [
        "Jadwal wawancara harus di masa depan. Wawancara yang sudah berlangsung dicatat bersama "
        "hasilnya, di bagian “Catat wawancara yang sudah berlangsung”."
    ]


# --- every problem of an offer in one round --------------------------------------------------------
def test_an_offer_with_an_impossible_date_shows_the_other_problems_in_the_same_round(
    selected, client_for, agent
):
    response = client_for(agent).post(
        reverse("placement:application_action", args=[selected.pk, "offer"]),
        {
            "offer-position_title": "Tukang las",
            "offer-wage_amount": "180000",
            "offer-contract_months": "24",
            "offer-respond_by": "2026-02-31",
        },
    )
    assert response.status_code == 400
    errors = response.context["forms"]["offer"].errors.as_data()
    assert [e.code for e in errors["position_title"]] == ["position_differs_from_order"]
    assert [e.code for e in errors["wage_amount"]] == ["wage_below_order"]
    assert [e.code for e in errors["contract_months"]] == ["contract_differs_from_order"]
    assert len(errors["respond_by"]) == 1  # the form's own: that date does not exist
    assert _not_offered(selected)


def test_an_offer_refused_by_the_service_names_every_problem_at_once(selected, agent):
    with pytest.raises(ValidationError) as caught:
        _offer(
            selected,
            agent,
            position_title="Tukang las",
            wage_amount=Decimal("180000"),
            contract_months=24,
            respond_in=-1,
        )
    assert set(caught.value.error_dict) == {
        "position_title",
        "wage_amount",
        "contract_months",
        "respond_by",
    }
    assert _not_offered(selected)
