"""Reads for placement: lists, the public register, expiry warnings, home widgets, the candidate's
section, and the fairness counts. Every list runs a fixed number of queries however long it is."""

import datetime
from collections import OrderedDict

from django.conf import settings
from django.db.models import Case, CharField, Count, F, Prefetch, Q, QuerySet, Sum, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalur.accounts.roles import Role, can
from jalur.candidates.models import Candidate, Sex
from jalur.candidates.stages import Stage
from jalur.core.pagination import count_for_page
from jalur.regions.models import District

from .access import agency_of, agreements_for, applications_for, orders_for, permits_for
from .models import (
    Agency,
    Agreement,
    AgreementKind,
    Application,
    JobOrder,
    JobOrderEvent,
    PermitChange,
    PermitChangeStatus,
    RecruitmentPermit,
)
from .models.partners import EXPIRY_WARNING_DAYS
from .states import (
    APPLICATION_CONTACT,
    APPLICATION_LIVE,
    APPLICATION_OPEN,
    ORDER_PUBLIC,
    ApplicationStatus,
    OrderStatus,
)
from .waiting import agency_orders_to_fix, agency_steps, office_steps

AS = ApplicationStatus


# --- orders ----------------------------------------------------------------------------------------
ORDER_LIST_ORDER = ("-status_changed_at", "-pk")


def order_list(user, *, status: str = "", country: str = "", q: str = "") -> QuerySet[JobOrder]:
    rows = orders_for(user)
    if status:
        rows = rows.filter(status=status)
    if country:
        rows = rows.filter(employer_country=country)
    if q:
        rows = rows.filter(
            Q(reference__icontains=q)
            | Q(employer_name__icontains=q)
            | Q(position_title__icontains=q)
            | Q(permit__number__icontains=q)
        )
    return rows.order_by(*ORDER_LIST_ORDER)


def order_counts(orders) -> None:
    """Running and accepted applications of one page of orders (counted for those rows only)."""
    count_for_page(
        orders,
        Application.objects,
        by="order_id",
        open_count=Q(status__in=APPLICATION_OPEN),
        accepted_count=Q(status=AS.ACCEPTED),
    )


def order_status_counts(user) -> dict[str, int]:
    rows = orders_for(user).order_by().values("status").annotate(n=Count("pk"))
    return {r["status"]: r["n"] for r in rows}


def order_events(order: JobOrder) -> list[JobOrderEvent]:
    return list(order.events.select_related("actor"))


# How the header says who put the order in its current state ("Dikembalikan oleh Disnakertrans
# (Siti Rahmawati), 27-11-2026"); a state reached without a person (filled) says nothing.
_STATUS_BY = {
    OrderStatus.DRAFT: gettext_lazy("Dibuat oleh %(who)s, %(date)s"),
    OrderStatus.SUBMITTED: gettext_lazy("Diajukan oleh %(who)s, %(date)s"),
    OrderStatus.RETURNED: gettext_lazy("Dikembalikan oleh %(who)s, %(date)s"),
    OrderStatus.APPROVED: gettext_lazy("Disetujui oleh %(who)s, %(date)s"),
    OrderStatus.REJECTED: gettext_lazy("Ditolak oleh %(who)s, %(date)s"),
    OrderStatus.FILLED: gettext_lazy("Terisi penuh, %(date)s"),
    OrderStatus.CLOSED: gettext_lazy("Ditutup oleh %(who)s, %(date)s"),
}


def order_status_by(order: JobOrder) -> str:
    """Who moved the order into its current status and when: the organisation and the person."""
    event = (
        order.events.filter(to_status=order.status)
        .select_related("actor__organisation")
        .order_by("-created_at", "-id")
        .first()
    )
    if event is None:
        return ""
    actor = event.actor
    if actor is None:
        who = _("Jalur (otomatis)")
    elif actor.organisation_id:
        who = f"{actor.organisation.name} ({actor.get_full_name()})"
    else:
        who = actor.get_full_name()
    return str(_STATUS_BY[order.status]) % {
        "who": who,
        "date": timezone.localtime(event.created_at).strftime("%d-%m-%Y"),
    }


def latest_return_reason(order: JobOrder) -> str:
    event = (
        order.events.filter(to_status=OrderStatus.RETURNED).order_by("-created_at", "-id").first()
    )
    return event.reason if event else ""


def quota_summary(order: JobOrder) -> dict:
    from .services import positions_used

    summary = {}
    if order.permit_id:
        used = positions_used(permit=order.permit, exclude_order_id=order.pk)
        summary["permit"] = {
            "pk": order.permit.pk,
            "number": order.permit.number,
            "quota": order.permit.quota,
            "used_elsewhere": used,
            "left": max(order.permit.quota - used, 0),
            "valid_until": order.permit.valid_until,
            "history": permit_history(order.permit),
            "pending": order.permit.changes.filter(status=PermitChangeStatus.PENDING).first(),
        }
    if order.agreement_id and order.agreement.quota is not None:
        used = positions_used(agreement=order.agreement, exclude_order_id=order.pk)
        summary["agreement"] = {
            "number": order.agreement.number,
            "quota": order.agreement.quota,
            "used_elsewhere": used,
            "left": max(order.agreement.quota - used, 0),
        }
    return summary


def order_applications(order: JobOrder, *, on: datetime.date | None = None) -> list[Application]:
    """The order's applications, best-ranked first, each with `candidate_age` set."""
    from jalur.rules.eligibility import age_on

    on = on or timezone.localdate()
    rows = list(
        order.applications.select_related("candidate__district").order_by(
            F("rank").asc(nulls_last=True), "applied_at", "pk"
        )
    )
    for application in rows:
        application.candidate_age = age_on(application.candidate.birth_date, on)
    return rows


def application_counts(order: JobOrder) -> dict[str, int]:
    rows = order.applications.order_by().values("status").annotate(n=Count("pk"))
    return {r["status"]: r["n"] for r in rows}


def may_see_contact(application: Application) -> bool:
    """The agency sees a phone number only once the person is on its shortlist."""
    return application.status in APPLICATION_CONTACT


# --- agencies and agreements -----------------------------------------------------------------------
def agency_list(user) -> QuerySet[Agency]:
    from .access import agencies_for

    return agencies_for(user).annotate(
        order_count=Count("orders", distinct=True),
        pks_count=Count("agreements", distinct=True),
    )


def agreement_list(user, *, kind: str = "") -> QuerySet[Agreement]:
    rows = agreements_for(user).prefetch_related("job_types", "pathways")
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("kind", "ends_on", "number")


def expiring(user, *, on: datetime.date | None = None) -> dict:
    """Agreements and SIP3MI licences that end within 60 days or have ended in the last 30."""
    on = on or timezone.localdate()
    horizon = on + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    recent = on - datetime.timedelta(days=30)
    agreements = list(
        agreements_for(user).filter(ends_on__gte=recent, ends_on__lte=horizon).order_by("ends_on")
    )
    from .access import agencies_for

    agencies = list(
        agencies_for(user)
        .filter(licence_valid_until__gte=recent, licence_valid_until__lte=horizon)
        .order_by("licence_valid_until")
    )
    return {"agreements": agreements, "agencies": agencies, "on": on}


def programme_target(on: datetime.date | None = None) -> dict:
    """The programme target from the MoU in force (settings' target when none is recorded), and
    how many people have accepted an offer so far. Dashboards read this."""
    on = on or timezone.localdate()
    mou = (
        Agreement.objects.active_on(on)
        .filter(kind=AgreementKind.MOU, quota__isnull=False)
        .order_by("-starts_on")
        .first()
    )
    target = mou.quota if mou else settings.JALUR_PROGRAMME_TARGET
    placed = (
        Application.objects.filter(status=AS.ACCEPTED).values("candidate_id").distinct().count()
    )
    return {"target": target, "mou": mou, "placed": placed}


# --- the public register ---------------------------------------------------------------------------
def public_orders(
    *, q: str = "", country: str = "", job_type: str = "", on: datetime.date | None = None
) -> QuerySet[JobOrder]:
    """Approved orders still taking applications: no personal data, only what a job seeker checks."""
    on = on or timezone.localdate()
    rows = (
        JobOrder.objects.filter(status__in=ORDER_PUBLIC, deadline__gte=on)
        .select_related("agency__organisation", "pathway", "job_type", "permit")
        .prefetch_related("costs")
        .order_by("deadline", "pk")
    )
    if country:
        rows = rows.filter(employer_country=country)
    if job_type:
        rows = rows.filter(job_type__code=job_type)
    if q:
        rows = rows.filter(
            Q(reference__iexact=q)
            | Q(permit__number__iexact=q)
            | Q(employer_name__icontains=q)
            | Q(position_title__icontains=q)
            | Q(agency__organisation__name__icontains=q)
        )
    return rows


def public_order(pk, *, on: datetime.date | None = None) -> JobOrder | None:
    on = on or timezone.localdate()
    return public_orders(on=on).filter(pk=pk).first()


def public_agencies(*, q: str = "", on: datetime.date | None = None) -> QuerySet[Agency]:
    on = on or timezone.localdate()
    rows = (
        Agency.objects.active_on(on)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "agreements",
                queryset=Agreement.objects.active_on(on).filter(kind=AgreementKind.PKS),
                to_attr="active_agreements",
            )
        )
        .annotate(
            open_orders=Count(
                "orders",
                filter=Q(orders__status__in=ORDER_PUBLIC, orders__deadline__gte=on),
                distinct=True,
            )
        )
        .order_by("organisation__name")
    )
    if q:
        rows = rows.filter(Q(organisation__name__icontains=q) | Q(licence_number__iexact=q))
    return rows


def public_lookup_miss(q: str, *, on: datetime.date | None = None) -> dict:
    """When a search finds nothing: is the name or number known but not valid now? Tells a job
    seeker why, without showing anything else."""
    on = on or timezone.localdate()
    q = q.strip()
    if not q:
        return {}
    agency = Agency.objects.filter(
        Q(licence_number__iexact=q) | Q(organisation__name__iexact=q)
    ).first()
    order = JobOrder.objects.filter(Q(reference__iexact=q) | Q(permit__number__iexact=q)).first()
    return {
        "agency_inactive": agency is not None and not agency.is_active_on(on),
        "order_not_public": order is not None
        and not (order.status in ORDER_PUBLIC and order.deadline >= on),
    }


# --- the candidate's side --------------------------------------------------------------------------
def open_orders(on: datetime.date | None = None) -> list[JobOrder]:
    on = on or timezone.localdate()
    return list(
        JobOrder.objects.filter(status=OrderStatus.APPROVED, deadline__gte=on)
        .select_related("agency__organisation", "pathway", "job_type")
        .prefetch_related("pathway__job_types")
        .order_by("deadline", "pk")
    )


def orders_for_candidate(candidate: Candidate, *, on: datetime.date | None = None) -> list[dict]:
    """Every open order with whether this candidate qualifies (and why not), and their application.

    One results query and one assignment query for all orders; the engine runs per order in Python,
    which is cheap because open orders number in the tens, not thousands.
    """
    from jalur.pathways.models import PathwayAssignment
    from jalur.pathways.results import results_for

    from .eligibility import order_eligibility

    on = on or timezone.localdate()
    orders = open_orders(on)
    results = results_for([candidate.pk])[candidate.pk]
    assignment = (
        PathwayAssignment.objects.select_related("pathway", "job_type")
        .filter(candidate=candidate, is_active=True)
        .first()
    )
    mine = {a.order_id: a for a in candidate.applications.all()}
    rows = []
    for order in orders:
        outcome = order_eligibility(
            candidate=candidate,
            order=order,
            on=on,
            results=results,
            assignment=assignment,
            assignment_known=True,
        )
        rows.append({"order": order, "eligibility": outcome, "application": mine.get(order.pk)})
    rows.sort(key=lambda r: (not r["eligibility"].eligible, r["order"].deadline))
    return rows


def my_applications(candidate: Candidate) -> list[Application]:
    return list(
        candidate.applications.select_related(
            "order__agency__organisation", "order__pathway", "order__job_type"
        ).order_by("-status_changed_at")
    )


def candidate_section(candidate: Candidate, user) -> list[dict]:
    """The placement part of a candidate's page (staff view and the candidate's own page)."""
    applications = candidate.applications.select_related("order__agency__organisation")
    if not can(user, "candidates.self") or candidate.user_id != user.pk:
        applications = applications.filter(
            pk__in=applications_for(user).filter(candidate=candidate).values("pk")
        )
    applications = list(applications.order_by("-status_changed_at"))
    own = candidate.user_id == getattr(user, "pk", None)
    if not applications and not own:
        return []
    context = {"applications": applications, "own": own}
    if own:
        # A job seeker's page is their home: the offers waiting for their answer come first.
        context["offers"] = [a for a in applications if a.status == AS.OFFERED]
    if own and candidate.stage in (Stage.TRAINED, Stage.SELECTION):
        context["open_count"] = JobOrder.objects.filter(
            status=OrderStatus.APPROVED, deadline__gte=timezone.localdate()
        ).count()
    return [
        {
            "title": _("Lowongan dan lamaran"),
            "template": "placement/_candidate_section.html",
            "context": context,
        }
    ]


# --- home widgets ----------------------------------------------------------------------------------
def home_widgets(user) -> list[dict]:
    if not can(user, "placement.view"):
        return []
    on = timezone.localdate()
    widgets = []
    counts = order_status_counts(user)
    list_url = reverse("placement:order_list")
    if user.role == Role.AGENCY_STAFF:
        agency = agency_of(user)
        if agency is None:
            return [
                {
                    "title": _("Penempatan"),
                    "stats": [],
                    "text": _(
                        "Data P3MI perusahaan Anda belum dicatat Disnakertrans. Hubungi pengelola program."
                    ),
                }
            ]
        waiting = applications_for(user).filter(status__in=[AS.APPLIED, AS.RECOMMENDED]).count()
        text = _("Izin SIP3MI: %(state)s, berlaku sampai %(date)s.") % {
            "state": agency.state_label(on),
            "date": agency.licence_valid_until.strftime("%d-%m-%Y"),
        }
        widgets.append(
            {
                "title": _("Lowongan %(name)s") % {"name": agency.name},
                "stats": [
                    {
                        "label": _("draf/perlu perbaikan"),
                        "value": counts.get(OrderStatus.DRAFT, 0)
                        + counts.get(OrderStatus.RETURNED, 0),
                        "url": list_url,
                    },
                    {
                        "label": _("menunggu tinjauan"),
                        "value": counts.get(OrderStatus.SUBMITTED, 0),
                        "url": f"{list_url}?status=submitted",
                    },
                    {
                        "label": _("dibuka"),
                        "value": counts.get(OrderStatus.APPROVED, 0),
                        "url": f"{list_url}?status=approved",
                    },
                    {
                        "label": _("pelamar/rekomendasi baru"),
                        "value": waiting,
                        "url": f"{reverse('placement:applications')}?langkah=baru",
                    },
                ],
                "text": text,
            }
        )
        # Every step that waits for this P3MI, with its count and the list of those applications.
        steps = [agency_orders_to_fix(user), *agency_steps(user)]
        steps = [s for s in steps if s["value"]]
        if steps:
            widgets.append(
                {
                    "title": _("Menunggu langkah %(name)s") % {"name": agency.name},
                    "stats": steps,
                    "text": "",
                }
            )
    else:
        target = programme_target(on)
        review = office_steps(user)
        stats = [
            *[s for s in review if s["value"] or s is review[0]],
            {
                "label": _("lowongan dibuka"),
                "value": counts.get(OrderStatus.APPROVED, 0),
                "url": f"{list_url}?status=approved",
            },
            {
                "label": _("menerima tawaran / target %(target)s")
                % {"target": number_format(target["target"], force_grouping=True)},
                "value": target["placed"],
                "url": "",
            },
        ]
        widgets.append({"title": _("Lowongan dan seleksi"), "stats": stats, "text": ""})
    soon = expiring(user, on=on)
    ending = [a for a in soon["agreements"] if a.ends_on >= on]
    licences = [a for a in soon["agencies"] if a.licence_valid_until >= on]
    if ending or licences:
        widgets.append(
            {
                "title": _("Segera berakhir (%(days)s hari)") % {"days": EXPIRY_WARNING_DAYS},
                "stats": [
                    {
                        "label": _("perjanjian"),
                        "value": len(ending),
                        "url": reverse("placement:expiring"),
                    },
                    {
                        "label": _("izin SIP3MI"),
                        "value": len(licences),
                        "url": reverse("placement:expiring"),
                    },
                ],
                "text": "",
            }
        )
    return widgets


# --- fairness --------------------------------------------------------------------------------------
AGE_BANDS = [(18, 24), (25, 29), (30, 34), (35, 39), (40, None)]


def _age_band_expression(prefix: str, on: datetime.date):
    from .eligibility import years_before

    field = f"{prefix}birth_date"
    whens = []
    for low, high in AGE_BANDS:
        label = f"{low}–{high}" if high else f"{low}+"
        condition = Q(**{f"{field}__lte": years_before(on, low)})
        if high is not None:
            condition &= Q(**{f"{field}__gt": years_before(on, high + 1)})
        whens.append(When(condition, then=Value(label)))
    return Case(*whens, default=Value(_("di bawah 18")), output_field=CharField())


def _group_counts(rows: QuerySet, prefix: str, on: datetime.date) -> dict[str, dict[str, int]]:
    """{dimension: {group: distinct people}} for sex, age band and kecamatan, in three queries."""
    rows = rows.order_by()
    person = f"{prefix}pk" if prefix else "pk"
    out: dict[str, dict[str, int]] = {}
    by_sex = rows.values(f"{prefix}sex").annotate(n=Count(person, distinct=True))
    sexes = dict(Sex.choices)
    out["sex"] = {str(sexes.get(r[f"{prefix}sex"], r[f"{prefix}sex"])): r["n"] for r in by_sex}
    by_age = (
        rows.annotate(band=_age_band_expression(prefix, on))
        .values("band")
        .annotate(n=Count(person, distinct=True))
    )
    out["age"] = {r["band"]: r["n"] for r in by_age}
    by_district = rows.values(f"{prefix}district_id").annotate(n=Count(person, distinct=True))
    names = dict(District.objects.values_list("code", "name"))
    out["district"] = {
        names.get(r[f"{prefix}district_id"], _("tidak diketahui")): r["n"] for r in by_district
    }
    return out


def _table(columns: list[tuple[str, dict]]) -> list[dict]:
    """Rows {group, cells: [(count, share%)]} for every dimension, groups in a stable order."""
    dimensions = OrderedDict(
        [("sex", _("Jenis kelamin")), ("age", _("Kelompok umur")), ("district", _("Kecamatan"))]
    )
    order = {
        "sex": [str(label) for _code, label in Sex.choices],
        "age": [f"{lo}–{hi}" if hi else f"{lo}+" for lo, hi in AGE_BANDS],
    }
    tables = []
    for key, title in dimensions.items():
        groups = set()
        for _label, counts in columns:
            groups |= set(counts[key])
        ordered = [g for g in order.get(key, []) if g in groups] + sorted(
            g for g in groups if g not in order.get(key, [])
        )
        totals = [sum(counts[key].values()) for _label, counts in columns]
        rows = []
        for group in ordered:
            cells = []
            for (_label, counts), total in zip(columns, totals, strict=True):
                n = counts[key].get(group, 0)
                cells.append({"n": n, "pct": round(100 * n / total, 1) if total else None})
            rows.append({"group": group, "cells": cells})
        tables.append({"title": title, "rows": rows, "totals": totals})
    return tables


def fairness_for_order(order: JobOrder, *, on: datetime.date | None = None) -> dict:
    """Who is eligible, recommended, applied and chosen for one order, by group."""
    from .eligibility import eligible_candidates

    on = on or timezone.localdate()
    applications = Application.objects.filter(order=order)
    columns = [
        (_("Memenuhi syarat sekarang"), _group_counts(eligible_candidates(order, on), "", on)),
        (
            _("Direkomendasikan"),
            _group_counts(applications.filter(recommended_at__isnull=False), "candidate__", on),
        ),
        (
            _("Melamar sendiri"),
            _group_counts(applications.filter(applied_at__isnull=False), "candidate__", on),
        ),
        (
            _("Dipilih pemberi kerja"),
            _group_counts(applications.filter(selected_at__isnull=False), "candidate__", on),
        ),
    ]
    return {"labels": [label for label, _counts in columns], "tables": _table(columns)}


def fairness_overall(*, on: datetime.date | None = None) -> dict:
    """The same across every order, against everyone who has finished training."""
    on = on or timezone.localdate()
    trained = Candidate.objects.filter(
        stage__in=[Stage.TRAINED, Stage.SELECTION, Stage.PRE_DEPARTURE, Stage.READY, Stage.DEPARTED]
    )
    applications = Application.objects.all()
    columns = [
        (_("Lulus pelatihan"), _group_counts(trained, "", on)),
        (
            _("Direkomendasikan"),
            _group_counts(applications.filter(recommended_at__isnull=False), "candidate__", on),
        ),
        (
            _("Dipilih pemberi kerja"),
            _group_counts(applications.filter(selected_at__isnull=False), "candidate__", on),
        ),
        (
            _("Menerima tawaran"),
            _group_counts(applications.filter(status=AS.ACCEPTED), "candidate__", on),
        ),
    ]
    return {"labels": [label for label, _counts in columns], "tables": _table(columns)}


def selection_progress(user) -> dict:
    """Totals for the fairness page header."""
    rows = applications_for(user)
    return {
        "recommended": rows.filter(recommended_at__isnull=False).count(),
        "live": rows.filter(status__in=APPLICATION_LIVE).count(),
        "selected": rows.filter(selected_at__isnull=False).count(),
        "accepted": rows.filter(status=AS.ACCEPTED).count(),
        "positions": orders_for(user)
        .filter(status__in=[OrderStatus.APPROVED, OrderStatus.FILLED])
        .aggregate(n=Sum("positions"))["n"]
        or 0,
    }


# --- SIP2MI permits --------------------------------------------------------------------------------
def permit_list(user) -> QuerySet[RecruitmentPermit]:
    """The permits the user may see, those with a change waiting first, each with `pending` (0/1)
    and `order_count`."""
    return (
        permits_for(user)
        .annotate(
            pending=Count("changes", filter=Q(changes__status=PermitChangeStatus.PENDING)),
            order_count=Count("orders", distinct=True),
        )
        .order_by("-pending", "number")
    )


def permit_history(permit: RecruitmentPermit) -> list[dict]:
    """The permit's figures over time, oldest first: as first recorded, then after each change the
    labour office approved (with the figures it replaced, who asked, who decided and why)."""
    approved = list(
        permit.changes.filter(status=PermitChangeStatus.APPROVED)
        .select_related("requested_by", "decided_by")
        .order_by("decided_at", "id")
    )
    first = approved[0] if approved else None
    rows = [
        {
            "at": permit.created_at,
            "quota": first.previous_quota if first else permit.quota,
            "issued_on": first.previous_issued_on if first else permit.issued_on,
            "valid_until": first.previous_valid_until if first else permit.valid_until,
            "change": None,
        }
    ]
    for change in approved:
        rows.append(
            {
                "at": change.decided_at,
                "quota": change.quota,
                "issued_on": change.issued_on,
                "valid_until": change.valid_until,
                "change": change,
            }
        )
    rows[-1]["current"] = True
    return rows


def permit_changes(permit: RecruitmentPermit) -> list[PermitChange]:
    """Every change asked for, newest first, with who asked and who decided."""
    return list(permit.changes.select_related("requested_by", "decided_by"))
