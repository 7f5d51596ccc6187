"""Writes for applications: recommendations, applying, the shortlist, interviews, the employer's
choice, offers and the answers to them, and an application's end."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.roles import Role
from jalur.audit.services import audit_record
from jalur.candidates.models import Candidate
from jalur.candidates.services import candidate_stage_change
from jalur.candidates.stages import Stage
from jalur.notifications.services import notify
from jalur.rules.contracts import Terms, contract_differences

from ..eligibility import order_eligibility
from ..models import (
    Application,
    ApplicationEvent,
    ApplicationOrigin,
    InterviewMode,
    InterviewResult,
    JobOrder,
)
from ..models.applications import INTERVIEW_RECORD_DAYS_BACK, INTERVIEW_TIME_MISSING
from ..selection import ranked, score_snapshot
from ..states import (
    APPLICATION_LIVE,
    APPLICATION_OPEN,
    OrderStatus,
    application_can_move,
)
from ._shared import (
    AS,
    _actor_or_none,
    _agency_staff,
    _application_move,
    _date,
    _notify_all,
    _order_move,
    _reason_required,
)

# --- recommendations and applications --------------------------------------------------------------


def recommendation_create(
    *,
    actor,
    order: JobOrder,
    candidate: Candidate,
    rank: int,
    score: float,
    score_parts: dict,
    origin: str,
    reason: str,
    now,
    reason_values: dict | None = None,
    audit: dict | None = None,
) -> Application:
    """One recommendation of `candidate` to `order`, as the per-order fill and a published
    programme-wide matching both make it: the application, its first event (`reason`, filled in
    with rank, score and `reason_values`), the audit row (plus `audit`) and the candidate's notice."""
    application = Application.objects.create(
        order=order,
        candidate=candidate,
        status=AS.RECOMMENDED,
        origin=origin,
        score=round(score, 1),
        score_parts=score_parts,
        rank=rank,
        recommended_at=now,
        status_changed_at=now,
    )
    ApplicationEvent.objects.create(
        application=application,
        from_status="",
        to_status=AS.RECOMMENDED,
        actor=_actor_or_none(actor),
        reason=reason % {"rank": rank, "score": application.score, **(reason_values or {})},
        created_at=now,
    )
    audit_record(
        actor=actor,
        action="application.recommend",
        target=application,
        changes={
            "status": [None, AS.RECOMMENDED],
            "rank": [None, rank],
            "score": [None, str(application.score)],
            **(audit or {}),
        },
    )
    if candidate.user_id:
        notify(
            user=candidate.user,
            key="placement_recommended",
            context={"order": order},
            link=reverse("placement:my_order", args=[order.pk]),
        )
    return application


def recommendations_fill(
    *, actor, order: JobOrder, on: datetime.date | None = None, now=None
) -> list[Application]:
    """Recommend the best-ranked eligible candidates until the order has three times its positions
    in open applications. People who already had an application for it are not recommended again."""
    on = on or timezone.localdate()
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            JobOrder.objects.select_for_update(of=("self",))
            .select_related("pathway", "job_type")
            .get(pk=order.pk)
        )
        if locked.status != OrderStatus.APPROVED:
            raise ValidationError(
                _("Rekomendasi hanya untuk lowongan yang sudah disetujui dan masih dibuka.")
            )
        held = locked.applications.filter(status__in=[*APPLICATION_OPEN, AS.ACCEPTED]).count()
        need = locked.recommendation_target - held
        if need <= 0:
            return []
        taken = set(locked.applications.values_list("candidate_id", flat=True))
        picked = []
        rank = 0
        for candidate in ranked(locked, on=on, now=now).iterator(chunk_size=200):
            rank += 1
            if candidate.pk in taken:
                continue
            picked.append((rank, candidate))
            if len(picked) >= need:
                break
        reason = _("Peringkat %(rank)s, skor %(score)s")
        created = [
            recommendation_create(
                actor=actor,
                order=locked,
                candidate=candidate,
                rank=rank,
                score=candidate.score,
                score_parts=score_snapshot(candidate),
                origin=ApplicationOrigin.RECOMMENDED,
                reason=reason,
                now=now,
            )
            for rank, candidate in picked
        ]
    return created


def _candidate_into_selection(candidate: Candidate, *, actor, order: JobOrder) -> None:
    if candidate.stage == Stage.TRAINED:
        candidate_stage_change(
            candidate=candidate,
            to_stage=Stage.SELECTION,
            actor=actor,
            # no order number: every P3MI the person applies to reads the stage history
            reason=_("Melamar atau direkomendasikan ke lowongan resmi"),
            notify_candidate=False,
        )


def _candidate_settle(candidate: Candidate, *, actor, reason: str) -> None:
    """After an application ends: back to "trained" when nothing is left in progress."""
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    # an offer worked in an earlier cycle (the worker came home) holds nothing now
    statuses = set(
        locked.applications.filter(returned_on__isnull=True).values_list("status", flat=True)
    )
    if AS.ACCEPTED in statuses:
        return
    if locked.stage == Stage.PRE_DEPARTURE:
        candidate_stage_change(
            candidate=locked,
            to_stage=Stage.TRAINED,
            actor=actor,
            reason=reason,
            notify_candidate=False,
        )
        locked.refresh_from_db(fields=["stage"])
        if statuses & APPLICATION_LIVE:
            candidate_stage_change(
                candidate=locked,
                to_stage=Stage.SELECTION,
                actor=actor,
                reason=reason,
                notify_candidate=False,
            )
        return
    if locked.stage == Stage.SELECTION and not statuses & APPLICATION_LIVE:
        candidate_stage_change(
            candidate=locked,
            to_stage=Stage.TRAINED,
            actor=actor,
            reason=reason,
            notify_candidate=False,
        )


def _notify_candidate(application: Application, key: str, **context) -> None:
    user = application.candidate.user
    if user is not None:
        notify(
            user=user,
            key=key,
            context={"order": application.order, "application": application, **context},
            link=reverse("placement:my_application", args=[application.pk]),
        )


def _lock_application(application: Application) -> tuple[JobOrder, Application]:
    order = JobOrder.objects.select_for_update().get(pk=application.order_id)
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related(
            "candidate__user", "order__pathway", "order__job_type", "order__agency__organisation"
        )
        .get(pk=application.pk)
    )
    return order, locked


def _eligibility_problems(candidate: Candidate, order: JobOrder, on: datetime.date) -> list[str]:
    outcome = order_eligibility(candidate=candidate, order=order, on=on)
    return [f"{r.label}: {r.message}" for r in outcome.failures]


def _require_open(order: JobOrder, on: datetime.date) -> None:
    if order.status != OrderStatus.APPROVED or order.deadline < on:
        raise ValidationError(
            _("Lowongan %(ref)s tidak lagi menerima pelamar.") % {"ref": order.reference},
            code="order_closed",
        )


def application_apply(*, candidate: Candidate, order: JobOrder, actor, on=None) -> Application:
    """The candidate applies (or answers a recommendation). Only orders they qualify for."""
    on = on or timezone.localdate()
    with transaction.atomic():
        locked_order = (
            JobOrder.objects.select_for_update(of=("self",))
            .select_related("pathway", "job_type")
            .get(pk=order.pk)
        )
        _require_open(locked_order, on)
        existing = (
            Application.objects.select_for_update()
            .filter(order=locked_order, candidate_id=candidate.pk)
            .first()
        )
        person = Candidate.objects.select_for_update().get(pk=candidate.pk)
        failing = _eligibility_problems(person, locked_order, on)
        if failing:
            raise ValidationError(
                _("Anda belum memenuhi syarat lowongan ini: %(rules)s.")
                % {"rules": "; ".join(failing)},
                code="not_eligible",
            )
        now = timezone.now()
        if existing is None:
            application = Application.objects.create(
                order=locked_order,
                candidate=person,
                status=AS.APPLIED,
                origin=ApplicationOrigin.APPLIED,
                applied_at=now,
                status_changed_at=now,
            )
            ApplicationEvent.objects.create(
                application=application,
                from_status="",
                to_status=AS.APPLIED,
                actor=_actor_or_none(actor),
                created_at=now,
            )
            audit_record(
                actor=actor,
                action="application.applied",
                target=application,
                changes={"status": [None, AS.APPLIED]},
            )
        elif existing.status == AS.RECOMMENDED:
            application = _application_move(
                existing, to_status=AS.APPLIED, actor=actor, applied_at=now
            )
        else:
            raise ValidationError(
                _('Anda sudah punya lamaran untuk lowongan ini (status "%(status)s").')
                % {"status": existing.get_status_display()},
                code="duplicate",
            )
        _candidate_into_selection(person, actor=actor, order=locked_order)
        _notify_all(
            _agency_staff(locked_order.agency),
            key="placement_applied",
            context={"order": locked_order, "application": application},
            link=reverse("placement:application_detail", args=[application.pk]),
        )
    return application


def application_shortlist(*, actor, application: Application, on=None) -> Application:
    on = on or timezone.localdate()
    with transaction.atomic():
        order, locked = _lock_application(application)
        _require_open(order, on)
        person = Candidate.objects.select_for_update().get(pk=locked.candidate_id)
        failing = _eligibility_problems(person, locked.order, on)
        if failing:
            raise ValidationError(
                _("Pencari kerja ini tidak lagi memenuhi syarat: %(rules)s.")
                % {"rules": "; ".join(failing)},
                code="not_eligible",
            )
        _application_move(locked, to_status=AS.SHORTLISTED, actor=actor)
        _candidate_into_selection(person, actor=actor, order=order)
        _notify_candidate(locked, "placement_application_update", status=AS.SHORTLISTED.label)
    return locked


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y %H.%M")


def _past_interview_section(application: Application) -> str:
    """The heading of the part of the application page where a held interview is recorded."""
    if application.status == AS.INTERVIEW_SCHEDULED:
        return _("Catat hasil wawancara")
    return _("Catat wawancara yang sudah berlangsung")


def _held_at_problem(
    held_at: datetime.datetime, *, now: datetime.datetime, created: datetime.datetime
) -> str:
    """What is wrong with the time typed for an interview that has taken place, if anything."""
    if held_at > now:
        return _(
            "Waktu wawancara yang sudah berlangsung tidak boleh sesudah sekarang (%(now)s)."
        ) % {"now": _when(now)}
    if held_at < now - datetime.timedelta(days=INTERVIEW_RECORD_DAYS_BACK):
        return _(
            "Wawancara yang sudah berlangsung bisa dicatat sampai %(days)s hari sesudahnya; "
            "%(at)s lebih lama dari itu. Periksa tanggal dan tahunnya."
        ) % {"days": INTERVIEW_RECORD_DAYS_BACK, "at": _when(held_at)}
    # Times are typed to the minute: an interview in the minute the application was made is after it.
    if held_at < created.replace(second=0, microsecond=0):
        return _("Waktu wawancara tidak boleh sebelum lamaran ini ada di Jalur (%(created)s).") % {
            "created": _when(created)
        }
    return ""


def interview_schedule(
    *,
    actor,
    application: Application,
    at: datetime.datetime,
    mode: str,
    place: str,
    now: datetime.datetime | None = None,
) -> Application:
    """An upcoming interview, which the candidate is told about. One already held is recorded with
    its result instead (`interview_record`). `now`: when it was scheduled (the demo's and tests'
    history); the time must be after it."""
    errors = {}
    if at is None:
        errors["at"] = INTERVIEW_TIME_MISSING
    elif at <= (now or timezone.now()):
        errors["at"] = _(
            "Jadwal wawancara harus di masa depan. Wawancara yang sudah berlangsung dicatat "
            "bersama hasilnya, di bagian “%(section)s”."
        ) % {"section": _past_interview_section(application)}
    if not (place or "").strip():
        errors["place"] = _("Tulis alamat tempat wawancara atau tautan rapat daring.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _order, locked = _lock_application(application)
        rescheduled = locked.status == AS.INTERVIEW_SCHEDULED
        _application_move(
            locked,
            to_status=AS.INTERVIEW_SCHEDULED,
            actor=actor,
            reason=_("Jadwal diubah") if rescheduled else "",
            interview_at=at,
            interview_mode=mode,
            interview_place=place.strip(),
        )
        _notify_candidate(locked, "placement_interview")
    return locked


def interview_record(
    *,
    actor,
    application: Application,
    result: str,
    notes: str = "",
    held_at: datetime.datetime | None = None,
    mode: str = "",
    place: str = "",
    now: datetime.datetime | None = None,
) -> Application:
    """The result of an interview that has taken place, never dated after `now` (nor more than
    INTERVIEW_RECORD_DAYS_BACK days before it, nor before the application existed).

    A scheduled interview is held at its scheduled time unless `held_at` says otherwise (it took
    place earlier). One held before anything was entered in Jalur (the application is shortlisted)
    needs `held_at`, `mode` and `place`, and is recorded in one step with its result: the candidate
    is not told about an "upcoming" interview that is already over. Every problem shows at once.
    """
    now = now or timezone.now()
    errors: dict = {}
    if result not in InterviewResult.values:
        errors["result"] = _("Pilih hasil wawancara.")
    with transaction.atomic():
        _order, locked = _lock_application(application)
        unscheduled = locked.status == AS.SHORTLISTED
        if held_at and locked.interview_at and _when(held_at) == _when(locked.interview_at):
            held_at = None  # the scheduled time, as the result form shows it (to the minute)
        at = held_at or locked.interview_at
        if unscheduled:
            if held_at is None:
                errors["held_at"] = INTERVIEW_TIME_MISSING
            if mode not in InterviewMode.values:
                errors["mode"] = _("Pilih cara wawancara.")
            if not (place or "").strip():
                errors["place"] = _("Tulis tempat wawancara atau tautan rapat daring yang dipakai.")
        if held_at is not None:
            problem = _held_at_problem(held_at, now=now, created=locked.created_at)
            if problem:
                errors["held_at"] = problem
        elif at is not None and at > now:
            errors["held_at"] = _(
                "Wawancara dijadwalkan %(at)s; hasilnya bisa dicatat sesudah itu. Bila wawancara "
                "sudah berlangsung lebih awal, isi waktu berlangsungnya."
            ) % {"at": _when(at)}
        if errors:
            raise ValidationError(errors)
        fields = {"interview_result": result, "interview_notes": (notes or "").strip()}
        reason = ""
        if unscheduled:
            fields |= {
                "interview_at": at,
                "interview_mode": mode,
                "interview_place": place.strip(),
            }
            reason = _("Wawancara %(at)s dicatat sesudah berlangsung") % {"at": _when(at)}
        elif at != locked.interview_at:
            fields["interview_at"] = at
            reason = _("Wawancara berlangsung %(at)s, bukan %(scheduled)s seperti dijadwalkan") % {
                "at": _when(at),
                "scheduled": _when(locked.interview_at),
            }
        _application_move(locked, to_status=AS.INTERVIEWED, actor=actor, reason=reason, **fields)
    return locked


def application_select(*, actor, application: Application, on=None) -> Application:
    """Record that the employer chose this person."""
    on = on or timezone.localdate()
    with transaction.atomic():
        order, locked = _lock_application(application)
        if order.status != OrderStatus.APPROVED:
            raise ValidationError(_("Lowongan ini tidak lagi dibuka."), code="order_closed")
        if locked.interview_result == InterviewResult.FAILED:
            raise ValidationError(
                _(
                    "Hasil wawancara tercatat tidak lulus; perbaiki hasil wawancara bila pemberi kerja tetap memilihnya."
                )
            )
        _application_move(locked, to_status=AS.SELECTED, actor=actor, selected_at=timezone.now())
        _notify_candidate(locked, "placement_application_update", status=AS.SELECTED.label)
    return locked


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


def application_not_selected(*, actor, application: Application, reason: str) -> Application:
    reason = _reason_required(reason, _("Tulis alasan tidak terpilih; pencari kerja membacanya."))
    with transaction.atomic():
        order, locked = _lock_application(application)
        _application_move(locked, to_status=AS.NOT_SELECTED, actor=actor, reason=reason)
        _candidate_settle(locked.candidate, actor=actor, reason=reason)
        _notify_candidate(
            locked, "placement_application_update", status=AS.NOT_SELECTED.label, reason=reason
        )
    return locked


def application_withdraw(*, actor, application: Application, reason: str) -> Application:
    """The candidate steps back (or the agency records it for them, e.g. after an unfit medical).

    Withdrawing after accepting frees the place: a filled order opens again if its deadline allows.
    """
    reason = _reason_required(reason, _("Tulis alasan mengundurkan diri."))
    with transaction.atomic():
        order, locked = _lock_application(application)
        was_accepted = locked.status == AS.ACCEPTED
        _application_move(locked, to_status=AS.WITHDRAWN, actor=actor, reason=reason)
        _candidate_settle(locked.candidate, actor=actor, reason=reason)
        if (
            was_accepted
            and order.status == OrderStatus.FILLED
            and order.deadline >= timezone.localdate()
        ):
            _order_move(
                order,
                to_status=OrderStatus.APPROVED,
                actor=actor,
                reason=_("Dibuka kembali: pekerja yang menerima tawaran mengundurkan diri"),
            )
        recipients = (
            _agency_staff(order.agency) if getattr(actor, "role", None) == Role.CANDIDATE else []
        )
        _notify_all(
            recipients,
            key="placement_offer_answered",
            context={"order": order, "application": locked, "answer": AS.WITHDRAWN.label},
            link=reverse("placement:application_detail", args=[locked.pk]),
        )
    return locked


def _applications_end_open(order: JobOrder, *, actor, reason: str) -> None:
    """End every open application of an order that is filled or closed (order row already locked)."""
    rows = list(
        Application.objects.select_for_update(of=("self",))
        .select_related("candidate__user", "order")
        .filter(order=order, status__in=APPLICATION_OPEN)
        .order_by("candidate_id")
    )
    for application in rows:
        _application_move(application, to_status=AS.CANCELLED, actor=actor, reason=reason)
        _candidate_settle(application.candidate, actor=actor, reason=reason)
        _notify_candidate(
            application, "placement_application_update", status=AS.CANCELLED.label, reason=reason
        )
