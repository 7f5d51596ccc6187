"""Publishing one method's proposals of a run as recommendations, and the candidate's "no" to one.

Publishing writes exactly what `recommendations_fill` writes (status "recommended", the history
row, the audit row, the candidate told), from origin "matching", all or none, and tells each
order's P3MI. It is refused, with every reason, when an order changed since the run.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record
from jalur.candidates.models import Candidate

from ..eligibility import MATCHABLE_STAGES
from ..models import Application, ApplicationOrigin, JobOrder
from ..services._shared import (
    AS,
    _agency_staff,
    _application_move,
    _managers,
    _notify_all,
)
from ..services.applications import _candidate_settle
from ..services.recommendations import recommendation_create
from ..states import APPLICATION_OPEN, OrderStatus
from .inputs import Inputs, inputs_load
from .models import METHODS, MatchingMethod, MatchingProposal, MatchingRun, RunStatus
from .services import _draft, _run_move


# --- publish ---------------------------------------------------------------------------------------
def _order_ranks(inputs: Inputs, order_id: int) -> dict[int, int]:
    """Each eligible person's place in the order's whole ranking (best score first, ties by id)."""
    pairs = sorted(
        (-score, person) for (person, o), score in inputs.problem.scores.items() if o == order_id
    )
    return {person: rank for rank, (_s, person) in enumerate(pairs, start=1)}


def _changes_since(inputs: Inputs, orders: dict[int, JobOrder], proposals, on) -> list[str]:
    """Why the run no longer fits its orders, one line per change (empty: it still fits). Every
    order of the run counts, proposed to or not: one closed or grown changes who goes where."""
    problems = []
    by_order: dict[int, list[int]] = {}
    for p in proposals:
        by_order.setdefault(p.order_id, []).append(p.candidate_id)
    for order_id, facts in sorted(inputs.orders.items()):
        order, people = orders.get(order_id), by_order.get(order_id, [])
        if order is None:
            problems.append(_("Lowongan %(ref)s sudah tidak ada.") % {"ref": facts.reference})
            continue
        if order.status != OrderStatus.APPROVED or order.deadline < on:
            problems.append(
                _("Lowongan %(ref)s sudah tidak dibuka (%(status)s).")
                % {"ref": order.reference, "status": order.get_status_display()}
            )
            continue
        if order.positions != facts.positions:
            problems.append(
                _("Jumlah lowongan %(ref)s berubah dari %(old)s menjadi %(new)s.")
                % {"ref": order.reference, "old": facts.positions, "new": order.positions}
            )
        holding = order.applications.filter(status__in=[*APPLICATION_OPEN, AS.ACCEPTED]).count()
        if holding != facts.held:
            problems.append(
                _(
                    "Lowongan %(ref)s kini punya %(new)s lamaran berjalan, bukan %(old)s seperti "
                    "saat pencocokan dihitung."
                )
                % {"ref": order.reference, "old": facts.held, "new": holding}
            )
        already = order.applications.filter(candidate_id__in=people).count() if people else 0
        if already:
            problems.append(
                _("%(n)s orang yang diusulkan untuk %(ref)s sudah punya lamaran di sana.")
                % {"n": already, "ref": order.reference}
            )
    return problems


def matching_publish(*, actor, run: MatchingRun, method: str) -> list[Application]:
    """Turn one method's proposals (with the manager's changes) into recommendations, all or none.
    Refused with every reason when an order changed since the run: run it again then."""
    if method not in METHODS:
        raise ValidationError(_("Pilih metode yang diterbitkan."))
    on, now = timezone.localdate(), timezone.now()
    label = MatchingMethod(method).label
    with transaction.atomic():
        locked_run = _draft(run)
        inputs = inputs_load(locked_run.inputs)
        proposals = list(
            MatchingProposal.objects.select_for_update()
            .filter(run=locked_run, method=method, removed=False)
            .order_by("order_id", "rank")
        )
        if not proposals:
            raise ValidationError(
                _("Metode ini tidak mengusulkan siapa pun; tidak ada yang diterbitkan.")
            )
        orders = {
            o.pk: o
            for o in JobOrder.objects.select_for_update(of=("self",))
            .select_related("agency")
            .filter(pk__in=list(inputs.orders))
            .order_by("pk")
        }
        problems = _changes_since(inputs, orders, proposals, on)
        people = {
            c.pk: c
            for c in Candidate.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk__in={p.candidate_id for p in proposals})
            .order_by("pk")
        }
        moved = sum(1 for c in people.values() if c.stage not in MATCHABLE_STAGES)
        if moved:
            problems.append(
                _(
                    "%(n)s orang yang diusulkan sudah tidak di tahap seleksi (misalnya sudah menerima tawaran lain)."
                )
                % {"n": moved}
            )
        if problems:
            raise ValidationError(
                [_("Usulan tidak diterbitkan: data berubah sejak pencocokan dihitung.")]
                + problems
                + [_("Jalankan pencocokan lagi dengan data terbaru.")],
                code="changed_since_run",
            )
        created = []
        ranks: dict[int, dict[int, int]] = {}
        for p in proposals:
            order, candidate = orders[p.order_id], people[p.candidate_id]
            rank = ranks.setdefault(p.order_id, _order_ranks(inputs, p.order_id))[p.candidate_id]
            application = recommendation_create(
                actor=actor,
                order=order,
                candidate=candidate,
                rank=rank,
                score=p.score,
                score_parts=p.score_parts,
                origin=ApplicationOrigin.MATCHING,
                reason=_(
                    "Pencocokan program #%(run)s (%(method)s): peringkat %(rank)s, skor %(score)s"
                )
                .replace("%(run)s", str(locked_run.pk))
                .replace("%(method)s", str(label)),
                now=now,
                audit={"matching_run": [None, locked_run.pk]},
            )
            p.application = application
            p.save(update_fields=["application"])
            created.append(application)
        counts: dict[int, int] = {}
        for p in proposals:
            counts[p.order_id] = counts.get(p.order_id, 0) + 1
        for order_id, n in sorted(counts.items()):
            order = orders[order_id]
            _notify_all(
                _agency_staff(order.agency),
                key="placement_matching_proposed",
                context={"order": order, "count": n},
                link=reverse("placement:order_detail", args=[order.pk]),
            )
        _run_move(
            locked_run,
            to_status=RunStatus.PUBLISHED,
            actor=actor,
            reason=_("%(n)s rekomendasi dari %(method)s") % {"n": len(created), "method": label},
            published_method=method,
            published_at=now,
            published_by=actor,
        )
    return created


# --- the candidate's answer ------------------------------------------------------------------------
def candidate_decline_proposal(*, actor, application: Application, reason: str = "") -> Application:
    """The candidate says no to a proposal from a matching run: the recommendation ends (withdrawn,
    with the reason), the place is free for the next run, which will not propose them there again;
    the P3MI and the office are told."""
    reason = (reason or "").strip()
    why = _("Menolak usulan pencocokan program") + (f": {reason}" if reason else "")
    with transaction.atomic():
        order = (
            JobOrder.objects.select_for_update()
            .select_related("agency")
            .get(pk=application.order_id)
        )
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("candidate__user", "order")
            .get(pk=application.pk)
        )
        if locked.origin != ApplicationOrigin.MATCHING or locked.status != AS.RECOMMENDED:
            raise ValidationError(
                _('Usulan ini tidak bisa ditolak lagi: statusnya sekarang "%(status)s".')
                % {"status": locked.get_status_display()},
                code="not_a_proposal",
            )
        _application_move(locked, to_status=AS.WITHDRAWN, actor=actor, reason=why)
        _candidate_settle(locked.candidate, actor=actor, reason=why)
        now = timezone.now()
        proposal = MatchingProposal.objects.filter(application=locked).first()
        if proposal is not None:
            proposal.declined_at = now
            proposal.save(update_fields=["declined_at"])
            audit_record(
                actor=actor,
                action="matching.proposal_declined",
                target=proposal,
                changes={"declined_at": [None, now.isoformat()]},
                reason=why,
            )
        recipients = list(_agency_staff(order.agency)) + list(_managers())
        _notify_all(
            recipients,
            key="placement_matching_declined",
            context={"order": order, "application": locked, "reason": reason},
            link=reverse("placement:application_detail", args=[locked.pk]),
        )
    return locked
