"""Writes for job orders: the SIP2MI permits they recruit under (and the reviewed changes of a
permit's figures), the orders themselves with their cost lines, and their legal gate (submission,
the labour office's review, closing)."""

import datetime
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record, diff, snapshot
from jalur.pathways.models import Pathway, PlacingParty
from jalur.rules import fees
from jalur.rules import placement as permit_rules

from ..models import (
    PERMIT_CHANGE_PENDING,
    PERMIT_ORDER_FIELDS,
    Agency,
    AgencyState,
    Agreement,
    AgreementKind,
    Application,
    AttacheStatus,
    CostDecision,
    JobOrder,
    JobOrderCost,
    JobOrderEvent,
    PermitChange,
    PermitChangeStatus,
    RecruitmentPermit,
    cost_line_key,
)
from ..states import (
    ORDER_EDITABLE,
    ORDER_HOLDS_QUOTA,
    OrderStatus,
)
from ._shared import (
    AS,
    _actor_or_none,
    _agency_staff,
    _date,
    _managers,
    _model_errors,
    _notify_all,
    _order_move,
    _reason_required,
    _stored_file,
)
from .applications import _applications_end_open, recommendations_fill

# --- SIP2MI permits and quotas ---------------------------------------------------------------------


def positions_used(*, permit=None, agreement=None, exclude_order_id=None) -> int:
    """Positions held against a permit or a PKS by the orders that hold quota (see states.py)."""
    orders = JobOrder.objects.filter(**({"permit": permit} if permit else {"agreement": agreement}))
    if exclude_order_id is not None:
        orders = orders.exclude(pk=exclude_order_id)
    held = orders.filter(status__in=ORDER_HOLDS_QUOTA).aggregate(n=Sum("positions"))["n"] or 0
    placed = Application.objects.filter(
        order__in=orders.filter(status=OrderStatus.CLOSED), status=AS.ACCEPTED
    ).count()
    return held + placed


def _permit_fields(data: dict) -> dict:
    return {
        "number": (data.get("sip2mi_number") or "").strip().upper(),
        "quota": data.get("sip2mi_quota"),
        "issued_on": data.get("sip2mi_issued_on"),
        "valid_until": data.get("sip2mi_valid_until"),
    }


def _permit_errors(*, agency: Agency, data: dict, errors: dict) -> None:
    """What is wrong with the SIP2MI typed on the order form (its quota, its dates: the permit's
    own constraints), named as the form names it. Whether the number is another agency's, and the
    quota already used, are checked under lock in `_permit_resolve`."""
    fields = _permit_fields(data)
    if not fields["number"]:
        return
    if fields["quota"] is None:
        errors.setdefault("sip2mi_quota", []).append(_("Isi kuota yang tertulis di SIP2MI."))
    permit = RecruitmentPermit(agency=agency, **fields)
    _model_errors(
        permit,
        errors,
        rename=PERMIT_ORDER_FIELDS,
        exclude=["quota"] if fields["quota"] is None else [],
        validate_unique=False,
    )


def _permit_resolve(*, actor, agency: Agency, data: dict) -> RecruitmentPermit | None:
    """The SIP2MI named on the order form: found (and corrected) or recorded for this agency.
    Its own fields are checked first, with the order's (`_permit_errors`)."""
    fields = _permit_fields(data)
    number = fields.pop("number")
    if not number:
        return None
    permit = RecruitmentPermit.objects.select_for_update().filter(number=number).first()
    if permit is None:
        permit = RecruitmentPermit(agency=agency, number=number, **fields)
        _permit_clean(permit)
        permit.save()
        audit_record(
            actor=actor,
            action="permit.create",
            target=permit,
            changes=diff({}, snapshot(permit, ["number", "quota", "issued_on", "valid_until"])),
        )
        return permit
    if permit.agency_id != agency.pk:
        raise ValidationError(
            {
                "sip2mi_number": _(
                    "Nomor SIP2MI ini tercatat atas nama P3MI lain. Periksa kembali nomornya."
                )
            }
        )
    _permit_figures_unchanged(permit, fields)
    return permit


def _permit_figures_unchanged(permit: RecruitmentPermit, typed: dict) -> None:
    """A permit on record is the government's document: its figures are never changed by typing
    other ones on a job order. Each figure typed otherwise is refused beside its field, saying what
    is on record and how the figures do change (a change request with the new permit's scan)."""
    pending = permit.changes.filter(status=PermitChangeStatus.PENDING).exists()
    how = (
        _(
            "Perubahan SIP2MI ini sudah diajukan dan menunggu pemeriksaan Disnakertrans; sampai "
            "disetujui, angka yang tercatat yang berlaku. Tulis angka yang tercatat."
        )
        if pending
        else _(
            "Angka SIP2MI tidak diubah dari lowongan. Bila kementerian menerbitkan SIP2MI baru "
            "atau perubahannya, ajukan perubahan SIP2MI dengan scan SIP2MI baru di halaman SIP2MI "
            "%(number)s (Lowongan → SIP2MI); angka baru berlaku setelah Disnakertrans "
            "menyetujuinya. Untuk lowongan ini, tulis angka yang tercatat."
        )
        % {"number": permit.number}
    )
    errors = {}
    for key in PERMIT_FIGURES:
        value = typed.get(key)
        if value is None or value == getattr(permit, key):
            continue
        recorded = getattr(permit, key)
        shown = _date(recorded) if key != "quota" else str(recorded)
        errors[PERMIT_ORDER_FIELDS[key]] = ValidationError(
            _("%(field)s SIP2MI %(number)s tercatat %(recorded)s, bukan %(typed)s. %(how)s")
            % {
                "field": RecruitmentPermit._meta.get_field(key).verbose_name.capitalize(),
                "number": permit.number,
                "recorded": shown if recorded is not None else _("kosong"),
                "typed": _date(value) if key != "quota" else value,
                "how": how,
            },
            code="permit_figures_on_record",
        )
    if errors:
        raise ValidationError(errors)


def _permit_clean(permit: RecruitmentPermit) -> None:
    errors: dict = {}
    _model_errors(permit, errors, rename=PERMIT_ORDER_FIELDS)
    if errors:
        raise ValidationError(errors)


PERMIT_FIGURES = ["quota", "issued_on", "valid_until"]


def permit_change_request(
    *,
    actor,
    permit: RecruitmentPermit,
    quota: int | None,
    issued_on: datetime.date | None,
    valid_until: datetime.date | None,
    document,
    note: str = "",
) -> PermitChange:
    """The P3MI asks to change its SIP2MI's figures, with the new permit's scan (checked by content,
    stored privately). The permit keeps its figures until the labour office approves the change;
    one change waits at a time. Every problem is said at once."""
    errors: dict[str, list] = {}
    with transaction.atomic():
        locked = RecruitmentPermit.objects.select_for_update().get(pk=permit.pk)
        if locked.changes.filter(status=PermitChangeStatus.PENDING).exists():
            raise ValidationError(PERMIT_CHANGE_PENDING, code="change_pending")
        change = PermitChange(
            permit=locked,
            quota=quota,
            issued_on=issued_on,
            valid_until=valid_until,
            previous_quota=locked.quota,
            previous_issued_on=locked.issued_on,
            previous_valid_until=locked.valid_until,
            note=(note or "").strip(),
            requested_by=_actor_or_none(actor),
        )
        if quota is None:
            errors["quota"] = [_("Isi kuota yang tertulis di SIP2MI baru.")]
        else:
            used = positions_used(permit=locked)
            if quota < used:
                errors["quota"] = [
                    _(
                        "Kuota baru (%(quota)s) lebih kecil dari yang sudah dipakai lowongan dengan "
                        "SIP2MI ini (%(used)s). Periksa kuota di SIP2MI baru."
                    )
                    % {"quota": quota, "used": used}
                ]
            elif [quota, issued_on, valid_until] == [getattr(locked, k) for k in PERMIT_FIGURES]:
                errors["quota"] = [
                    _(
                        "Angka ini sama dengan yang tercatat. Tulis kuota dan tanggal yang tertulis "
                        "di SIP2MI baru."
                    )
                ]
        if document is None:
            errors["document"] = [
                _(
                    "Unggah scan SIP2MI baru (PDF, JPEG atau PNG): Disnakertrans memeriksa angka "
                    "baru dengan dokumen ini."
                )
            ]
        _model_errors(
            change,
            errors,
            exclude=["document", "content_type", "document_sha256", *errors],
            validate_unique=False,
        )
        if document is not None:
            try:
                content, content_type, sha256 = _stored_file(document, field="document")
            except ValidationError as error:
                for name, found in error.error_dict.items():
                    errors.setdefault(name, []).extend(found)
        if errors:
            raise ValidationError(errors)
        change.content_type = content_type
        change.document_sha256 = sha256
        change.document.save("sip2mi", content, save=False)
        change.save()
        audit_record(
            actor=actor,
            action="permit.change_request",
            target=locked,
            changes=diff(snapshot(locked, PERMIT_FIGURES), snapshot(change, PERMIT_FIGURES))
            | {"change": [None, change.pk], "document_sha256": [None, sha256]},
            reason=change.note,
        )
        _notify_all(
            _managers(),
            key="placement_permit_change",
            context={"permit": locked, "change": change, "agency": locked.agency.name},
            link=reverse("placement:permit_detail", args=[locked.pk]),
        )
    return change


def permit_change_decide(
    *, actor, change: PermitChange, approve: bool, reason: str = ""
) -> PermitChange:
    """The labour office, having checked the new permit's scan, approves the change (the permit takes
    the new figures, the old ones stay on the change as its history) or refuses it with a reason
    (the permit keeps its figures). The agency is told either way."""
    reason = (reason or "").strip()
    with transaction.atomic():
        permit = RecruitmentPermit.objects.select_for_update().get(pk=change.permit_id)
        locked = PermitChange.objects.select_for_update().get(pk=change.pk)
        if not locked.is_pending:
            raise ValidationError(
                _("Perubahan SIP2MI ini sudah diputuskan. Muat ulang halaman."),
                code="invalid_transition",
            )
        locked.status = PermitChangeStatus.APPROVED if approve else PermitChangeStatus.REFUSED
        locked.decision_reason = reason
        locked.decided_by = _actor_or_none(actor)
        locked.decided_at = timezone.now()
        errors: dict = {}
        _model_errors(
            locked,
            errors,
            rename={"decision_reason": "reason"},
            exclude=["document"],
            validate_unique=False,
        )
        if approve:
            used = positions_used(permit=permit)
            if locked.quota < used:
                errors.setdefault("reason", []).append(
                    _(
                        "Kuota baru (%(quota)s) lebih kecil dari yang sudah dipakai lowongan dengan "
                        "SIP2MI ini (%(used)s). Tolak perubahan ini dengan alasannya."
                    )
                    % {"quota": locked.quota, "used": used}
                )
        if errors:
            raise ValidationError(errors)
        if approve:
            before = snapshot(permit, PERMIT_FIGURES)
            locked.previous_quota = permit.quota
            locked.previous_issued_on = permit.issued_on
            locked.previous_valid_until = permit.valid_until
            for key in PERMIT_FIGURES:
                setattr(permit, key, getattr(locked, key))
            _permit_clean(permit)
            permit.save(update_fields=PERMIT_FIGURES)
        locked.save()
        audit_record(
            actor=actor,
            action=f"permit.change_{locked.status}",
            target=permit,
            changes={
                "change": [None, locked.pk],
                "status": [PermitChangeStatus.PENDING, locked.status],
            }
            | (diff(before, snapshot(permit, PERMIT_FIGURES)) if approve else {}),
            reason=reason,
        )
        _notify_all(
            _agency_staff(permit.agency),
            key="placement_permit_change_decided",
            context={"permit": permit, "change": locked, "decision": locked.get_status_display()},
            link=reverse("placement:permit_detail", args=[permit.pk]),
        )
    return locked


# --- job orders ------------------------------------------------------------------------------------


ORDER_FIELDS = [
    "employer_name",
    "employer_country",
    "employer_city",
    "employer_sector",
    "pathway_id",
    "job_type_id",
    "position_title",
    "positions",
    "description",
    "min_age",
    "max_age",
    "sex",
    "sex_reason",
    "min_education",
    "min_height_cm",
    "min_experience_years",
    "eps_topik_min_score",
    "jft_min_score",
    "jlpt_min_level",
    "licence_required",
    "licence_name",
    "other_requirements",
    "wage_amount",
    "wage_currency",
    "wage_period",
    "hours_per_week",
    "contract_months",
    "benefits",
    "attache_status",
    "attache_reference",
    "attache_verified_on",
    "deadline",
]


_ORDER_SETTABLE = {*ORDER_FIELDS, "pathway", "job_type"}


COST_FIELDS = ["item", "description", "amount", "paid_by"]


def _order_snapshot(order: JobOrder) -> dict:
    data = snapshot(order, [*ORDER_FIELDS, "permit_id", "agreement_id", "status"])
    data["costs"] = [f"{c.item}:{c.amount}:{c.paid_by}" for c in order.costs.order_by("pk")]
    data["attache_document"] = order.attache_document.name or ""
    return data


def _order_fill(order: JobOrder, data: dict) -> None:
    for key, value in data.items():
        if key in _ORDER_SETTABLE:
            setattr(order, key, value)
    if not order.sex:
        order.sex_reason = ""
    if not order.licence_required:
        order.licence_name = ""
    order.sex_reason = (order.sex_reason or "").strip()


def _pathway_problems(pathway, on: datetime.date) -> list[tuple[str, str]]:
    """Why a P3MI may not use `pathway` for a job order on `on`, by `jalur.rules.pathways`: it is not
    open (its stored reason and legal basis), or a P3MI may not place on it."""
    problems = []
    closed = pathway.open_problem(on)
    if closed:
        problems.append(("pathway_closed", closed))
    party = pathway.placing_problem(PlacingParty.P3MI)
    if party:
        problems.append(("pathway_party", party))
    return problems


def _order_validate(
    order: JobOrder,
    costs: list[dict],
    *,
    agency: Agency,
    permit_data: dict | None,
    pathway_before: int | None = None,
) -> None:
    """What makes the order's content coherent, every problem at once: the rules here, the model's
    own (each constraint's message beside its field), the pathway when it is chosen (not
    `pathway_before`), the SIP2MI typed with it (`permit_data`) and the cost lines. The legal gates
    are checked on submission."""
    errors: dict[str, list] = {}

    def add(field: str, message) -> None:
        errors.setdefault(field, []).append(message)

    if order.licence_required and not order.licence_name.strip():
        add("licence_name", _("Tulis nama lisensi yang diwajibkan, misalnya SIM Jepang."))
    if order.pathway_id and order.pathway_id != pathway_before:
        # Nothing new is put on a pathway a P3MI may not use; an order already on a pathway that
        # closed since keeps it (its gate says so) so the draft's other changes are not lost.
        pathway = Pathway.objects.get(pk=order.pathway_id)  # as it stands now, not as shown
        for code, message in _pathway_problems(pathway, timezone.localdate()):
            errors.setdefault("pathway", []).append(ValidationError(message, code=code))
    if (
        order.pathway_id
        and order.employer_country
        and order.pathway.country != order.employer_country
    ):
        add(
            "employer_country",
            _('Negara pemberi kerja harus sama dengan negara skema "%(pathway)s".')
            % {"pathway": order.pathway.name},
        )
    if (
        order.pathway_id
        and order.job_type_id
        and not order.pathway.job_types.filter(pk=order.job_type_id).exists()
    ):
        add(
            "job_type",
            _('Skema "%(pathway)s" tidak mencakup jenis pekerjaan "%(job)s".')
            % {"pathway": order.pathway.name, "job": order.job_type.name},
        )
    if order.attache_status == AttacheStatus.VERIFIED and not order.attache_reference.strip():
        add("attache_reference", _("Tulis nomor surat verifikasi dari atase ketenagakerjaan."))
    _model_errors(order, errors, exclude=["attache_document", "reference", *errors])
    if permit_data is not None:
        _permit_errors(agency=agency, data=permit_data, errors=errors)
    zero_cost = order.job_type.zero_cost if order.job_type_id else None
    for number, line in enumerate(costs, start=1):
        found: dict[str, list] = {}
        _model_errors(
            JobOrderCost(order=order, **{k: line[k] for k in COST_FIELDS}), found, exclude=["order"]
        )
        if not found and zero_cost is not None:
            _cost_line_errors(line, index=number - 1, zero_cost=zero_cost, errors=errors)
        for name, problems in found.items():
            for problem in problems:
                add(
                    "costs",
                    _("Biaya baris %(n)s, %(field)s: %(problem)s")
                    % {
                        "n": number,
                        "field": JobOrderCost._meta.get_field(name).verbose_name,
                        "problem": " ".join(problem.messages),
                    },
                )
    if errors:
        raise ValidationError(errors)


def _cost_line_errors(line: dict, *, index: int, zero_cost: bool, errors: dict) -> None:
    """Who may pay is `jalur.rules.fees`': a payer it forbids is refused beside the line's payer,
    with the rule's own words; a worker-paid cost it leaves to the labour office ("Lainnya") must
    say what it is, so the office can decide on it."""
    ruling = fees.payer_may_pay(line["item"], line["paid_by"], zero_cost=zero_cost)
    if ruling.verdict == fees.Verdict.FORBIDDEN:
        errors.setdefault(cost_line_key(index, "paid_by"), []).append(
            ValidationError(ruling.message, code="cost_forbidden")
        )
    elif ruling.verdict == fees.Verdict.DECIDE and not (line.get("description") or "").strip():
        errors.setdefault(cost_line_key(index, "description"), []).append(
            ValidationError(
                _(
                    "Biaya ini dibayar pekerja dan tidak ada dalam daftar aturan: tulis uraiannya "
                    "(apa yang dibayar dan untuk apa). Disnakertrans memutuskan boleh atau tidak "
                    "saat meninjau lowongan."
                ),
                code="cost_needs_description",
            )
        )


def _costs_replace(order: JobOrder, costs: list[dict]) -> None:
    """The order's cost lines become `costs`. The office's decision on a line stays with a line that
    is still the same (item, description, amount and payer); a changed line is decided anew."""
    decided: dict[tuple, list[JobOrderCost]] = {}
    for old in order.costs.exclude(office_decision=""):
        decided.setdefault(old.decision_key, []).append(old)
    order.costs.all().delete()
    rows = []
    for line in costs:
        row = JobOrderCost(order=order, **{k: line[k] for k in COST_FIELDS})
        row.description = " ".join((row.description or "").split())
        kept = decided.get(row.decision_key)
        if kept:
            old = kept.pop(0)
            row.office_decision = old.office_decision
            row.office_reason = old.office_reason
            row.office_decided_by_id = old.office_decided_by_id
            row.office_decided_at = old.office_decided_at
        rows.append(row)
    JobOrderCost.objects.bulk_create(rows)


def _attache_attach(order: JobOrder, upload) -> None:
    content, content_type, _sha = _stored_file(upload, field="attache_file")
    order.attache_content_type = content_type
    order.attache_document.save("atase", content, save=False)


def job_order_create(
    *, actor, agency: Agency, data: dict, costs: list[dict], attache_file=None
) -> JobOrder:
    """A new draft job order of `agency`. Only the agency's own staff create orders."""
    with transaction.atomic():
        order = JobOrder(
            agency=agency,
            reference=f"tmp-{secrets.token_hex(6)}",
            created_by=_actor_or_none(actor),
        )
        _order_fill(order, data)
        _order_validate(order, costs, agency=agency, permit_data=data)
        order.permit = _permit_resolve(actor=actor, agency=agency, data=data)
        if attache_file is not None:
            _attache_attach(order, attache_file)
        order.save()
        order.reference = f"LK-{order.created_at:%Y}-{order.pk:05d}"
        order.save(update_fields=["reference"])
        _costs_replace(order, costs)
        JobOrderEvent.objects.create(
            order=order, from_status="", to_status=OrderStatus.DRAFT, actor=_actor_or_none(actor)
        )
        audit_record(
            actor=actor,
            action="job_order.create",
            target=order,
            changes=diff({}, _order_snapshot(order)),
        )
    return order


def job_order_update(
    *, actor, order: JobOrder, data: dict, costs: list[dict], attache_file=None
) -> JobOrder:
    with transaction.atomic():
        locked = JobOrder.objects.select_for_update().get(pk=order.pk)
        if locked.status not in ORDER_EDITABLE:
            raise ValidationError(
                _(
                    'Lowongan berstatus "%(status)s" tidak bisa diubah. Hanya draf atau lowongan yang dikembalikan untuk perbaikan.'
                )
                % {"status": locked.get_status_display()}
            )
        before = _order_snapshot(locked)
        pathway_before = locked.pathway_id
        _order_fill(locked, data)
        _order_validate(
            locked,
            costs,
            agency=locked.agency,
            permit_data=data if "sip2mi_number" in data else None,
            pathway_before=pathway_before,
        )
        if "sip2mi_number" in data:
            locked.permit = _permit_resolve(actor=actor, agency=locked.agency, data=data)
        if attache_file is not None:
            _attache_attach(locked, attache_file)
        locked.save()
        _costs_replace(locked, costs)
        audit_record(
            actor=actor,
            action="job_order.update",
            target=locked,
            changes=diff(before, _order_snapshot(locked)),
        )
    return locked


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


def _covering_agreements(order: JobOrder, on: datetime.date) -> list[Agreement]:
    candidates = (
        Agreement.objects.filter(kind=AgreementKind.PKS, agency_id=order.agency_id)
        .select_related("mou")
        .prefetch_related("job_types", "pathways")
        .order_by("-ends_on")
    )
    return [
        a
        for a in candidates
        if a.covers(
            country=order.employer_country,
            job_type_id=order.job_type_id,
            pathway_id=order.pathway_id,
        )
    ]


def order_problems(
    order: JobOrder, *, on: datetime.date, for_approval: bool = False
) -> list[Problem]:
    """Every legal gate the order fails on `on`, each with what to do about it.

    Submission needs an empty list; approval also needs the labour attaché's verification. Quotas
    are checked here for display and again under row locks in `job_order_submit`.
    """
    problems: list[Problem] = []
    agency = order.agency
    state = agency.state(on)
    if state == AgencyState.SUSPENDED:
        suspension = agency.current_suspension(on)
        problems.append(
            Problem(
                "agency_suspended",
                _(
                    "%(name)s dibekukan sejak %(date)s: %(reason)s. Lowongan tidak bisa diajukan selama dibekukan."
                )
                % {
                    "name": agency.name,
                    "date": _date(suspension.starts_on),
                    "reason": suspension.reason,
                },
            )
        )
    elif state == AgencyState.EXPIRED:
        problems.append(
            Problem(
                "licence_expired",
                _(
                    "SIP3MI %(number)s berakhir pada %(date)s. Perpanjang izin dan minta Disnakertrans memperbarui data P3MI sebelum mengajukan lowongan."
                )
                % {"number": agency.licence_number, "date": _date(agency.licence_valid_until)},
            )
        )
    elif state == AgencyState.NOT_YET_VALID:
        problems.append(
            Problem(
                "licence_not_yet_valid",
                _("SIP3MI %(number)s baru berlaku mulai %(date)s.")
                % {"number": agency.licence_number, "date": _date(agency.licence_valid_from)},
            )
        )
    pathway = order.pathway
    for code, message in _pathway_problems(pathway, on):
        problems.append(Problem(code, message))
    covering = _covering_agreements(order, on)
    active = [
        a for a in covering if a.is_active_on(on) and (a.mou is None or a.mou.is_active_on(on))
    ]
    if not active:
        if covering:
            latest = covering[0]
            if latest.mou is not None and not latest.mou.is_active_on(on):
                message = _(
                    "MoU induk %(mou)s dari PKS %(number)s tidak berlaku pada %(date)s."
                ) % {
                    "mou": latest.mou.number,
                    "number": latest.number,
                    "date": _date(on),
                }
            else:
                message = _(
                    "PKS %(number)s berlaku %(start)s sampai %(end)s, jadi tidak berlaku pada %(date)s. Perpanjang PKS dengan Pemkot sebelum mengajukan lowongan."
                ) % {
                    "number": latest.number,
                    "start": _date(latest.starts_on),
                    "end": _date(latest.ends_on),
                    "date": _date(on),
                }
        else:
            message = _(
                'Belum ada PKS antara Pemkot dan %(name)s yang mencakup %(country)s, jenis pekerjaan "%(job)s" dan skema "%(pathway)s". Ajukan PKS atau adendum ke Disnakertrans.'
            ) % {
                "name": agency.name,
                "country": order.get_employer_country_display(),
                "job": order.job_type.name,
                "pathway": pathway.name,
            }
        problems.append(Problem("agreement", message))
    else:
        pks = active[0]
        if pks.quota is not None:
            used = positions_used(agreement=pks, exclude_order_id=order.pk)
            if order.positions > pks.quota - used:
                problems.append(
                    Problem(
                        "agreement_quota",
                        _(
                            "Kuota PKS %(number)s tinggal %(left)s (kuota %(quota)s, terpakai %(used)s); lowongan ini meminta %(positions)s."
                        )
                        % {
                            "number": pks.number,
                            "left": max(pks.quota - used, 0),
                            "quota": pks.quota,
                            "used": used,
                            "positions": order.positions,
                        },
                    )
                )
    problems += _cost_problems(order, for_approval=for_approval)
    permit = order.permit
    if permit is None:
        problems.append(
            Problem("permit_missing", _("Isi nomor dan kuota SIP2MI untuk lowongan ini."))
        )
    else:
        # The figures on record: a change asked for counts only once the office has approved it.
        problems += [
            Problem(found.code, found.message)
            for found in permit_rules.permit_problems(
                number=permit.number,
                quota=permit.quota,
                used=positions_used(permit=permit, exclude_order_id=order.pk),
                positions=order.positions,
                on=on,
                issued_on=permit.issued_on,
                valid_until=permit.valid_until,
            )
        ]
    if order.attache_status == AttacheStatus.REFUSED:
        problems.append(
            Problem(
                "attache_refused",
                _("Atase ketenagakerjaan menolak permintaan ini; lowongan tidak bisa diajukan."),
            )
        )
    elif for_approval and (
        order.attache_status != AttacheStatus.VERIFIED or not order.attache_document
    ):
        problems.append(
            Problem(
                "attache_unverified",
                _(
                    "Permintaan belum diverifikasi atase ketenagakerjaan (UU 18/2017 Pasal 9–10). Lowongan disetujui setelah nomor dan dokumen verifikasi atase diunggah."
                ),
            )
        )
    if order.deadline < on:
        problems.append(
            Problem(
                "deadline",
                _("Batas akhir lamaran (%(date)s) sudah lewat. Ubah tanggalnya.")
                % {"date": _date(order.deadline)},
            )
        )
    return problems


def _cost_line_label(number: int, cost: JobOrderCost) -> str:
    line = cost.get_item_display()
    if cost.description:
        line = f"{line}: {cost.description}"
    return _("Biaya baris %(n)s (%(line)s)") % {"n": number, "line": line}


def _cost_problems(order: JobOrder, *, for_approval: bool) -> list[Problem]:
    """Every cost line the worker may not pay, by `jalur.rules.fees`; and every worker-paid line the
    rule leaves to the labour office that it refused, or (for approval) has not decided yet."""
    problems = []
    zero_cost = order.job_type.zero_cost
    for number, cost in enumerate(order.costs.all(), start=1):
        ruling = cost.ruling(zero_cost=zero_cost)
        if ruling.verdict == fees.Verdict.FORBIDDEN:
            problems.append(
                Problem(
                    "cost_forbidden",
                    _("%(line)s: %(rule)s")
                    % {"line": _cost_line_label(number, cost), "rule": ruling.message},
                )
            )
        elif ruling.verdict == fees.Verdict.DECIDE:
            if cost.office_decision == CostDecision.REFUSED:
                problems.append(
                    Problem(
                        "cost_refused",
                        _(
                            "%(line)s: Disnakertrans memutuskan pekerja tidak boleh membayarnya "
                            "(%(reason)s). Ubah pembayarnya menjadi pemberi kerja, P3MI atau APBD."
                        )
                        % {"line": _cost_line_label(number, cost), "reason": cost.office_reason},
                    )
                )
            elif for_approval and cost.office_decision != CostDecision.ALLOWED:
                problems.append(
                    Problem(
                        "cost_undecided",
                        _(
                            "%(line)s dibayar pekerja dan tidak ada dalam daftar aturan (%(basis)s): "
                            "Disnakertrans memutuskan boleh atau tidak, dengan alasan, di halaman "
                            "tinjauan sebelum lowongan disetujui."
                        )
                        % {"line": _cost_line_label(number, cost), "basis": ruling.basis},
                    )
                )
    return problems


def job_order_cost_decide(*, actor, cost: JobOrderCost, decision: str, reason: str) -> JobOrderCost:
    """The labour office decides, with a reason, whether the worker may pay a cost line the rules of
    `jalur.rules.fees` leave to it (a worker-paid "Lainnya"), while it reviews the order. A refused
    line blocks the order until the P3MI changes who pays it."""
    reason = (reason or "").strip()
    with transaction.atomic():
        order = (
            JobOrder.objects.select_for_update(of=("self",))
            .select_related("job_type")
            .get(pk=cost.order_id)
        )
        locked = JobOrderCost.objects.select_for_update().get(pk=cost.pk)
        if order.status != OrderStatus.SUBMITTED:
            raise ValidationError(
                _(
                    "Biaya diputuskan saat lowongan ditinjau; lowongan ini berstatus "
                    '"%(status)s". Muat ulang halaman.'
                )
                % {"status": order.get_status_display()},
                code="invalid_transition",
            )
        if locked.ruling(zero_cost=order.job_type.zero_cost).verdict != fees.Verdict.DECIDE:
            raise ValidationError(
                _(
                    "Biaya ini tidak diputuskan Disnakertrans: aturan biaya sudah menentukan siapa "
                    "yang boleh membayarnya."
                ),
                code="not_for_the_office",
            )
        errors: dict = {}
        if decision not in CostDecision.values:
            errors["decision"] = [_("Pilih: boleh atau tidak boleh dibayar pekerja.")]
        before = snapshot(locked, ["office_decision", "office_reason"])
        locked.office_decision = decision if decision in CostDecision.values else ""
        locked.office_reason = reason
        locked.office_decided_by = _actor_or_none(actor)
        locked.office_decided_at = timezone.now()
        _model_errors(
            locked,
            errors,
            rename={"office_reason": "reason", "office_decision": "decision"},
            exclude=["order"],
        )
        if errors:
            raise ValidationError(errors)
        locked.save(
            update_fields=[
                "office_decision",
                "office_reason",
                "office_decided_by",
                "office_decided_at",
            ]
        )
        audit_record(
            actor=actor,
            action="job_order.cost_decide",
            target=order,
            changes={
                "cost_line": [None, locked.pk],
                "item": [None, locked.item],
                "description": [None, locked.description],
                **diff(before, snapshot(locked, ["office_decision", "office_reason"])),
            },
            reason=reason,
        )
    return locked


def _problems_raise(problems: list[Problem]) -> None:
    if problems:
        raise ValidationError([ValidationError(p.message, code=p.code) for p in problems])


def _lock_quota_rows(order: JobOrder, on: datetime.date) -> None:
    """Lock the permit and the PKS this order would draw on, so quota checks see a settled sum."""
    if order.permit_id:
        RecruitmentPermit.objects.select_for_update().filter(pk=order.permit_id).first()
    for agreement in _covering_agreements(order, on):
        Agreement.objects.select_for_update().filter(pk=agreement.pk).first()


def job_order_submit(*, actor, order: JobOrder, on: datetime.date | None = None) -> JobOrder:
    """The agency sends its order to the city. Every legal gate must pass, quotas under lock."""
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = JobOrder.objects.select_for_update().get(pk=order.pk)
        _lock_quota_rows(locked, on)
        locked = (
            JobOrder.objects.select_related("agency__organisation", "pathway", "job_type", "permit")
            .prefetch_related("agency__suspensions", "costs")
            .get(pk=order.pk)
        )
        if locked.status not in (OrderStatus.DRAFT, OrderStatus.RETURNED):
            raise ValidationError(
                _("Lowongan ini sudah diajukan. Muat ulang halaman untuk melihat statusnya."),
                code="invalid_transition",
            )
        _problems_raise(order_problems(locked, on=on))
        pks = next(
            a
            for a in _covering_agreements(locked, on)
            if a.is_active_on(on) and (a.mou is None or a.mou.is_active_on(on))
        )
        _order_move(
            locked,
            to_status=OrderStatus.SUBMITTED,
            actor=actor,
            submitted_at=timezone.now(),
            agreement=pks,
        )
        _notify_all(
            _managers(),
            key="placement_order_submitted",
            context={"order": locked, "agency": locked.agency.name},
            link=reverse("placement:order_detail", args=[locked.pk]),
        )
    return locked


def job_order_approve(*, actor, order: JobOrder, reason: str = "", on=None) -> JobOrder:
    """The city approves: the order goes public and Jalur recommends three times its positions."""
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = JobOrder.objects.select_for_update().get(pk=order.pk)
        _lock_quota_rows(locked, on)
        locked = (
            JobOrder.objects.select_related("agency__organisation", "pathway", "job_type", "permit")
            .prefetch_related("agency__suspensions", "costs")
            .get(pk=order.pk)
        )
        if locked.status != OrderStatus.SUBMITTED:
            raise ValidationError(
                _("Hanya lowongan yang menunggu tinjauan yang bisa disetujui. Muat ulang halaman."),
                code="invalid_transition",
            )
        _problems_raise(order_problems(locked, on=on, for_approval=True))
        _order_move(
            locked,
            to_status=OrderStatus.APPROVED,
            actor=actor,
            reason=reason,
            decided_at=timezone.now(),
            decided_by=_actor_or_none(actor),
        )
        _notify_all(
            _agency_staff(locked.agency),
            key="placement_order_decided",
            context={"order": locked, "decision": OrderStatus.APPROVED.label, "reason": reason},
            link=reverse("placement:order_detail", args=[locked.pk]),
        )
        recommendations_fill(actor=actor, order=locked, on=on)
    return locked


def _order_decide(*, actor, order: JobOrder, to_status: str, reason: str) -> JobOrder:
    with transaction.atomic():
        locked = JobOrder.objects.select_for_update().get(pk=order.pk)
        if locked.status != OrderStatus.SUBMITTED:
            raise ValidationError(
                _(
                    "Hanya lowongan yang menunggu tinjauan yang bisa diputuskan. Muat ulang halaman."
                ),
                code="invalid_transition",
            )
        _order_move(
            locked,
            to_status=to_status,
            actor=actor,
            reason=reason,
            decided_at=timezone.now(),
            decided_by=_actor_or_none(actor),
        )
        _notify_all(
            _agency_staff(locked.agency),
            key="placement_order_decided",
            context={"order": locked, "decision": OrderStatus(to_status).label, "reason": reason},
            link=reverse("placement:order_detail", args=[locked.pk]),
        )
    return locked


def job_order_return(*, actor, order: JobOrder, reason: str) -> JobOrder:
    reason = _reason_required(
        reason, _("Tulis apa yang harus diperbaiki P3MI, satu hal per baris.")
    )
    return _order_decide(actor=actor, order=order, to_status=OrderStatus.RETURNED, reason=reason)


def job_order_reject(*, actor, order: JobOrder, reason: str) -> JobOrder:
    reason = _reason_required(
        reason, _("Tulis alasan penolakan; alasan ini dilihat P3MI dan tercatat di jejak audit.")
    )
    return _order_decide(actor=actor, order=order, to_status=OrderStatus.REJECTED, reason=reason)


def job_order_close(*, actor, order: JobOrder, reason: str) -> JobOrder:
    """Stop recruiting. Applications still open end as "not selected", with the reason."""
    reason = _reason_required(reason, _("Tulis alasan lowongan ditutup."))
    with transaction.atomic():
        locked = JobOrder.objects.select_for_update().get(pk=order.pk)
        _order_move(locked, to_status=OrderStatus.CLOSED, actor=actor, reason=reason)
        _applications_end_open(
            locked,
            actor=actor,
            reason=_("Lowongan %(ref)s ditutup: %(reason)s")
            % {"ref": locked.reference, "reason": reason},
        )
    return locked
