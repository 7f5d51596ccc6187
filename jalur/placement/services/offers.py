"""Writes for offers: checking and making one, and the candidate's answer to it."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.candidates.models import Candidate
from jalur.candidates.services import candidate_stage_change
from jalur.candidates.stages import Stage
from jalur.rules.contracts import Terms, contract_differences

from ..models import Application, JobOrder
from ..states import APPLICATION_OPEN, OrderStatus, application_can_move
from ._shared import AS, _agency_staff, _application_move, _date, _notify_all, _order_move
from .applications import (
    _applications_end_open,
    _candidate_into_selection,
    _candidate_settle,
    _lock_application,
    _notify_candidate,
)


def _money(amount, currency: str) -> str:
    """JPY 215.000 (in the language's number format, as the pages show it)."""
    return f"{currency} {floatformat(amount, '-2g')}"


def _offer_problems(
    order: JobOrder,
    *,
    position_title: str | None,
    wage_amount: Decimal | None,
    contract_months: int | None,
    respond_by: datetime.date | None,
    on: datetime.date,
) -> dict[str, ValidationError]:
    """Every problem of an offer at once: a term left out, a reply-by date already past, and where
    the offer is worse for the worker than the job order Disnakertrans approved (a lower wage,
    another contract length or another position is contract substitution, judged by
    `jalur.rules.contracts`, the same comparison that holds the signed contract to the offer)."""
    problems = {}
    differences = contract_differences(
        Terms(
            position=order.position_title,
            wage=Decimal(str(order.wage_amount)),
            currency=order.wage_currency,
            contract_months=order.contract_months,
        ),
        Terms(
            position=position_title or None,
            wage=Decimal(str(wage_amount)) if wage_amount else None,
            currency=order.wage_currency,
            contract_months=contract_months or None,
        ),
    )
    worse = {d.term for d in differences if d.worse}
    if not (position_title or "").strip():
        problems["position_title"] = ValidationError(
            _("Tulis jabatan yang ditawarkan."), code="required"
        )
    elif "position" in worse:
        problems["position_title"] = ValidationError(
            _(
                "Jabatan yang ditawarkan harus jabatan lowongan yang disetujui Disnakertrans "
                "(%(approved)s). Jabatan lain adalah substitusi kontrak; ajukan lowongan baru untuk "
                "jabatan itu."
            )
            % {"approved": order.position_title},
            code="position_differs_from_order",
        )
    if wage_amount is None or wage_amount <= 0:
        problems["wage_amount"] = ValidationError(_("Tulis gaji yang ditawarkan."), code="required")
    elif "wage" in worse:
        problems["wage_amount"] = ValidationError(
            _(
                "Gaji yang ditawarkan (%(offered)s) lebih rendah dari gaji lowongan yang disetujui "
                "Disnakertrans (%(approved)s). Tawaran tidak boleh lebih buruk dari lowongan."
            )
            % {
                "offered": _money(wage_amount, order.wage_currency),
                "approved": _money(order.wage_amount, order.wage_currency),
            },
            code="wage_below_order",
        )
    if contract_months is None or contract_months <= 0:
        problems["contract_months"] = ValidationError(
            _("Tulis lama kontrak yang ditawarkan, dalam bulan."), code="required"
        )
    elif "contract_months" in worse:
        problems["contract_months"] = ValidationError(
            _(
                "Lama kontrak yang ditawarkan (%(offered)s bulan) berbeda dari lama kontrak "
                "lowongan yang disetujui Disnakertrans (%(approved)s bulan). Tawaran harus memakai "
                "lama kontrak lowongan."
            )
            % {"offered": contract_months, "approved": order.contract_months},
            code="contract_differs_from_order",
        )
    if respond_by is None:
        problems["respond_by"] = ValidationError(
            _("Isi tanggal paling lambat pencari kerja menjawab."), code="required"
        )
    elif respond_by < on:
        problems["respond_by"] = ValidationError(
            _("Batas jawaban tidak boleh sebelum hari ini (%(today)s).") % {"today": _date(on)},
            code="respond_by_past",
        )
    return problems


def offer_check(
    *,
    application: Application,
    position_title: str | None = None,
    wage_amount: Decimal | None = None,
    contract_months: int | None = None,
    respond_by: datetime.date | None = None,
    on: datetime.date | None = None,
) -> dict[str, ValidationError]:
    """What `offer_make` would refuse in these terms, without writing anything: for a form that
    could not read one of its fields (a date that does not exist), so the problems of the others
    are said in the same round instead of on the next submit."""
    return _offer_problems(
        application.order,
        position_title=position_title,
        wage_amount=wage_amount,
        contract_months=contract_months,
        respond_by=respond_by,
        on=on or timezone.localdate(),
    )


def offer_make(
    *,
    actor,
    application: Application,
    position_title: str,
    wage_amount: Decimal,
    contract_months: int,
    respond_by: datetime.date,
    terms: str = "",
    on=None,
) -> Application:
    """The agency offers the job. Its wage (in the order's currency and wage unit), contract length
    and position are recorded as fields; a wage below the approved order's or another contract
    length is refused, with every other problem of the offer in the same refusal. `terms` holds
    anything else (start date, housing)."""
    on = on or timezone.localdate()
    with transaction.atomic():
        order, locked = _lock_application(application)
        if order.status != OrderStatus.APPROVED:
            raise ValidationError(_("Lowongan ini tidak lagi dibuka."), code="order_closed")
        # A step out of order is refused as such by _application_move below. The terms are checked
        # against the locked order, which cannot change while the offer is written.
        if application_can_move(locked.status, AS.OFFERED):
            problems = _offer_problems(
                order,
                position_title=position_title,
                wage_amount=wage_amount,
                contract_months=contract_months,
                respond_by=respond_by,
                on=on,
            )
            if problems:
                raise ValidationError(problems)
        _application_move(
            locked,
            to_status=AS.OFFERED,
            actor=actor,
            offer_position_title=" ".join(position_title.split()),
            offer_wage_amount=wage_amount,
            offer_contract_months=contract_months,
            offer_terms=(terms or "").strip(),
            offer_respond_by=respond_by,
            offered_at=timezone.now(),
        )
        _notify_candidate(locked, "placement_offer")
    return locked


def offer_accept(*, actor, application: Application) -> Application:
    """The candidate accepts. One accepted offer at a time (the database holds that too); their other
    open applications end; the order is filled when every position is taken."""
    with transaction.atomic():
        # Accepting also ends the person's applications to other orders, so lock every order
        # involved first, lowest id first: two accepts by one person then queue instead of
        # deadlocking, and so do two people accepting the last position of one order.
        candidate_id = Application.objects.values_list("candidate_id", flat=True).get(
            pk=application.pk
        )
        involved = {application.order_id}
        involved |= set(
            Application.objects.filter(
                candidate_id=candidate_id, status__in=APPLICATION_OPEN
            ).values_list("order_id", flat=True)
        )
        list(JobOrder.objects.select_for_update().filter(pk__in=involved).order_by("pk"))
        order, locked = _lock_application(application)
        person = Candidate.objects.select_for_update().get(pk=locked.candidate_id)
        if order.status != OrderStatus.APPROVED:
            raise ValidationError(
                _("Lowongan ini sudah terisi atau ditutup; tawaran tidak bisa diterima lagi."),
                code="order_closed",
            )
        if locked.status != AS.OFFERED:
            raise ValidationError(
                _("Tawaran ini tidak bisa diterima lagi. Muat ulang halaman."),
                code="invalid_transition",
            )
        if Application.objects.filter(
            candidate=person, status=AS.ACCEPTED, returned_on__isnull=True
        ).exists():
            raise ValidationError(
                _(
                    "Anda sudah menerima tawaran kerja lain. Mundur dari tawaran itu dulu bila ingin menerima yang ini."
                ),
                code="already_accepted",
            )
        accepted = order.applications.filter(status=AS.ACCEPTED).count()
        if accepted >= order.positions:
            raise ValidationError(_("Semua lowongan sudah terisi."), code="order_full")
        _application_move(locked, to_status=AS.ACCEPTED, actor=actor, responded_at=timezone.now())
        # The stage history is read by every P3MI the person applied to: no order number in it (the
        # accepted application itself is on the person's page for those who may see it).
        reason = _("Menerima tawaran kerja")
        others = (
            Application.objects.select_for_update(of=("self",))
            .select_related("order")
            .filter(candidate=person, status__in=APPLICATION_OPEN)
            .exclude(pk=locked.pk)
            .order_by("order_id")
        )
        for other in others:
            # The other application's agency reads this reason: it learns that the person took
            # another offer, not which order or whose (a competitor's business).
            if other.order.agency_id == order.agency_id:
                why = _("Dibatalkan otomatis: menerima tawaran lowongan %(ref)s") % {
                    "ref": order.reference
                }
            else:
                why = _("Dibatalkan otomatis: menerima penawaran dari P3MI lain")
            _application_move(other, to_status=AS.CANCELLED, actor=actor, reason=why)
        _candidate_into_selection(person, actor=actor, order=order)
        person.refresh_from_db(fields=["stage"])
        candidate_stage_change(
            candidate=person,
            to_stage=Stage.PRE_DEPARTURE,
            actor=actor,
            reason=reason,
            notify_candidate=False,
        )
        _notify_all(
            _agency_staff(order.agency),
            key="placement_offer_answered",
            context={"order": order, "application": locked, "answer": AS.ACCEPTED.label},
            link=reverse("placement:application_detail", args=[locked.pk]),
        )
        if accepted + 1 >= order.positions:
            _order_move(
                order,
                to_status=OrderStatus.FILLED,
                actor=actor,
                reason=_("Semua %(n)s lowongan terisi") % {"n": order.positions},
            )
            _applications_end_open(
                order,
                actor=actor,
                reason=_("Dibatalkan otomatis: lowongan %(ref)s sudah terisi")
                % {"ref": order.reference},
            )
    return locked


def offer_decline(*, actor, application: Application, reason: str = "") -> Application:
    with transaction.atomic():
        order, locked = _lock_application(application)
        _application_move(
            locked, to_status=AS.DECLINED, actor=actor, reason=reason, responded_at=timezone.now()
        )
        _candidate_settle(
            locked.candidate,
            actor=actor,
            reason=_("Menolak tawaran kerja"),
        )
        _notify_all(
            _agency_staff(order.agency),
            key="placement_offer_answered",
            context={"order": order, "application": locked, "answer": AS.DECLINED.label},
            link=reverse("placement:application_detail", args=[locked.pk]),
        )
    return locked
