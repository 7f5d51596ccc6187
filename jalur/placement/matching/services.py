"""Writes for programme-wide matching: start a run (at once, or as a background task for a big one),
compute it, check it again on its own inputs, adjust, publish or discard it, and the candidate's
"no" to a published proposal.

A run computes the three methods (greedy as today, stable, optimal) on the same inputs; the figures
of each are kept for the comparison and the manager publishes one. Publishing writes the
recommendations exactly as `recommendations_fill` does (status "recommended", the history row, the
audit row, the candidate told), from origin "matching", and tells each order's P3MI.
"""

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit import transitions
from jalur.audit.services import audit_record
from jalur.candidates.models import Candidate

from ..eligibility import MATCHABLE_STAGES
from ..models import JobOrder
from . import engine
from .inputs import Inputs, build_inputs, inputs_load, open_orders
from .models import (
    METHODS,
    RUN_TRANSITIONS,
    MatchingMethod,
    MatchingProposal,
    MatchingRun,
    RunStatus,
)

# Runs with more eligible (person, order) pairs than this, roughly, go to the background worker.
SYNC_PAIR_LIMIT = 20_000
MAX_CAP = 5


# --- settings --------------------------------------------------------------------------------------
def settings_clean(data: Mapping) -> dict:
    """The run's settings from the form's values, every problem at once, beside its field."""
    errors = {}
    method = data.get("method") or MatchingMethod.OPTIMAL
    if method not in (MatchingMethod.STABLE, MatchingMethod.OPTIMAL, MatchingMethod.GREEDY):
        errors["method"] = _("Pilih metode: pencocokan stabil atau penugasan optimal.")
    cap = data.get("max_orders_per_person") or 1
    if not 1 <= int(cap) <= MAX_CAP:
        errors["max_orders_per_person"] = _(
            "Satu orang bisa diusulkan ke 1 sampai %(n)s lowongan."
        ) % {"n": MAX_CAP}
    floors = []
    for name, group, value in (("women_share", "sex", "P"), ("kecamatan_share", "kecamatan", "*")):
        share = data.get(name)
        if share in (None, ""):
            continue
        share = float(share)
        if not 0 <= share <= 100:
            errors[name] = _("Tulis persen antara 0 dan 100, atau kosongkan.")
        elif share > 0:
            floors.append({"group": group, "value": value, "share": round(share / 100.0, 4)})
    if errors:
        raise ValidationError(errors)
    return {"method": method, "max_orders_per_person": int(cap), "floors": floors}


def engine_settings(settings: Mapping, method: str) -> engine.Settings:
    return engine.Settings(
        method=method,
        max_orders_per_person=settings.get("max_orders_per_person", 1),
        floors=tuple(
            engine.Floor(group=f["group"], value=f["value"], share=f["share"])
            for f in settings.get("floors", ())
        ),
    )


# --- start and compute -----------------------------------------------------------------------------
def _run_move(run: MatchingRun, *, to_status: str, actor, reason: str = "", **fields):
    return transitions.status_move(
        run,
        to_status=to_status,
        table=RUN_TRANSITIONS,
        labels=RunStatus,
        noun=_("Pencocokan"),
        actor=actor,
        action=f"matching.{to_status}",
        reason=reason,
        fields=fields,
        changed_at_field=None,
    )


def matching_run_start(
    *, actor, orders: Iterable[JobOrder] | None, settings: Mapping, repeat_of=None
) -> MatchingRun:
    """Record a run over the chosen open orders (None: all open orders) and compute it: at once when
    it is small, else on the background worker (the run's page shows its progress)."""
    settings = settings_clean(settings)
    on = timezone.localdate()
    chosen = None if orders is None else sorted({o.pk for o in orders})
    available = open_orders(on)
    if chosen is not None:
        if not chosen:
            raise ValidationError({"orders": _("Centang sedikitnya satu lowongan.")})
        closed = set(chosen) - set(available.filter(pk__in=chosen).values_list("pk", flat=True))
        if closed:
            refs = JobOrder.objects.filter(pk__in=closed).order_by("reference")
            raise ValidationError(
                {
                    "orders": _("Lowongan ini tidak lagi dibuka: %(refs)s. Muat ulang halaman.")
                    % {"refs": ", ".join(o.reference for o in refs)}
                }
            )
    count = len(chosen) if chosen is not None else available.count()
    if not count:
        raise ValidationError(_("Tidak ada lowongan yang disetujui dan masih dibuka."))
    with transaction.atomic():
        run = MatchingRun.objects.create(
            created_by=actor,
            all_orders=chosen is None,
            settings=settings,
            repeat_of=repeat_of,
        )
        if chosen is not None:
            run.orders.set(chosen)
        audit_record(
            actor=actor,
            action="matching.start",
            target=run,
            changes={"settings": [None, settings], "orders": [None, chosen or "all"]},
        )
        pool = Candidate.objects.filter(stage__in=MATCHABLE_STAGES).count()
        background = pool * count > SYNC_PAIR_LIMIT
        if background:
            transaction.on_commit(lambda: _enqueue(run.pk))
    if not background:
        matching_run_compute(run_id=run.pk)
        run.refresh_from_db()
    return run


def _enqueue(run_id: int) -> None:
    from .tasks import matching_run_task

    matching_run_task.enqueue(run_id)


def _plain(value):
    """A result's figures as JSON: dataclasses and mappings as dicts, tuples and sets as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, float):
        return round(value, 6)
    return value


def result_hash(assignment: Mapping[int, Iterable[int]]) -> str:
    canonical = {str(order): list(people) for order, people in sorted(assignment.items())}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def _figures(result) -> dict:
    figures = _plain(result)
    figures.pop("assignment", None)
    figures["result_hash"] = result_hash(result.assignment)
    return figures


def solve_all(inputs: Inputs, settings: Mapping) -> dict[str, object]:
    """Every method on the same problem: {method: engine Result}."""
    return {m: engine.solve(inputs.problem, engine_settings(settings, m)) for m in METHODS}


def matching_run_compute(*, run_id: int) -> MatchingRun:
    """Read the inputs, solve with every method, keep figures and proposals. A failure is recorded
    on the run (status "failed", the error) instead of leaving it "running" for ever."""
    claimed = MatchingRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, progress=_("Membaca data lowongan dan pencari kerja")
    )
    run = MatchingRun.objects.select_related("created_by").get(pk=run_id)
    if not claimed:
        return run
    started = timezone.now()

    def progress(done: int, total: int) -> None:
        MatchingRun.objects.filter(pk=run_id).update(
            progress=_("Menghitung skor: %(done)s dari %(total)s lowongan")
            % {"done": done, "total": total}
        )

    try:
        order_ids = None if run.all_orders else list(run.orders.values_list("pk", flat=True))
        inputs = build_inputs(order_ids, progress=progress)
        MatchingRun.objects.filter(pk=run_id).update(progress=_("Mencocokkan"))
        results = solve_all(inputs, run.settings)
        blob, fingerprint = inputs.to_bytes()
        rows = _plain(engine.compare(inputs.problem, list(results.values())))
        with transaction.atomic():
            run = MatchingRun.objects.select_for_update().get(pk=run_id)
            _proposals_create(run, inputs, results)
            # the inputs and the figures are kept on the run; the audit row names the fingerprint
            run.inputs = blob
            run.progress = ""
            run.summary = {
                "orders": len(inputs.problem.orders),
                "people": len(inputs.problem.people),
                "pairs": len(inputs.problem.scores),
                "methods": {m: _figures(r) for m, r in results.items()},
                "rows": rows,
            }
            run.save(update_fields=["inputs", "progress", "summary"])
            _run_move(
                run,
                to_status=RunStatus.DRAFT,
                actor=run.created_by,
                fingerprint=fingerprint,
                scored_on=inputs.scored_on,
                scored_at=inputs.scored_at,
                seconds=round((timezone.now() - started).total_seconds(), 2),
            )
    except Exception as error:  # recorded on the run for the manager, then raised for the log
        with transaction.atomic():
            run = MatchingRun.objects.select_for_update().get(pk=run_id)
            _run_move(
                run,
                to_status=RunStatus.FAILED,
                actor=run.created_by,
                reason=str(error)[:500],
                error=f"{type(error).__name__}: {error}"[:2000],
                progress="",
            )
        raise
    return run


def _proposals_create(run: MatchingRun, inputs: Inputs, results: Mapping) -> None:
    rows = []
    for method, result in results.items():
        for order_id, people in sorted(result.assignment.items()):
            for rank, person in enumerate(people, start=1):
                rows.append(
                    MatchingProposal(
                        run=run,
                        method=method,
                        order_id=order_id,
                        candidate_id=person,
                        score=inputs.problem.scores[(person, order_id)],
                        score_parts=inputs.part_dict(person, order_id),
                        rank=rank,
                    )
                )
    MatchingProposal.objects.bulk_create(rows, batch_size=2000)


def matching_repeat_check(*, actor, run: MatchingRun) -> bool:
    """Solve the run's stored inputs again with its settings: the same inputs must give the same
    proposals. The check (when, and whether each method gave the same result) is kept and audited."""
    if not run.inputs:
        raise ValidationError(_("Pencocokan ini belum selesai dihitung."))
    inputs = inputs_load(run.inputs)
    _blob, fingerprint = inputs.to_bytes()
    results = solve_all(inputs, run.settings)
    stored = run.summary.get("methods", {})
    same = fingerprint == run.fingerprint and all(
        result_hash(r.assignment) == stored.get(m, {}).get("result_hash")
        for m, r in results.items()
    )
    with transaction.atomic():
        locked = MatchingRun.objects.select_for_update().get(pk=run.pk)
        checks = list(locked.summary.get("repeats", []))
        checks.append({"at": timezone.now().isoformat(), "fingerprint": fingerprint, "same": same})
        locked.summary = {**locked.summary, "repeats": checks[-20:]}
        locked.save(update_fields=["summary"])
        audit_record(
            actor=actor,
            action="matching.repeat_check",
            target=locked,
            changes={"same_result": [None, same]},
        )
    run.summary = locked.summary
    return same


def matching_run_again(*, actor, run: MatchingRun) -> MatchingRun:
    """A new run over the same orders with the same settings, on the data as it stands now."""
    orders = None if run.all_orders else list(run.orders.all())
    return matching_run_start(actor=actor, orders=orders, settings=run.settings, repeat_of=run)


# --- the manager's changes -------------------------------------------------------------------------
def _draft(run: MatchingRun) -> MatchingRun:
    locked = MatchingRun.objects.select_for_update().get(pk=run.pk)
    if locked.status != RunStatus.DRAFT:
        raise ValidationError(
            _('Pencocokan ini berstatus "%(status)s"; usulannya tidak bisa diubah lagi.')
            % {"status": locked.get_status_display()},
            code="not_draft",
        )
    return locked


def _reason(reason: str) -> str:
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Tulis alasan perubahan; alasan ini tercatat di audit.")}
        )
    return reason.strip()


def matching_remove(*, actor, proposal: MatchingProposal, reason: str) -> MatchingProposal:
    """Take one person out of one order's proposals (the row stays, marked, with the reason)."""
    reason = _reason(reason)
    with transaction.atomic():
        _draft(proposal.run)
        locked = MatchingProposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.removed:
            raise ValidationError(_("Usulan ini sudah dihapus."), code="already_removed")
        locked.removed, locked.reason = True, reason
        locked.save(update_fields=["removed", "reason"])
        audit_record(
            actor=actor,
            action="matching.proposal_remove",
            target=locked,
            changes={"removed": [False, True]},
            reason=reason,
        )
    return locked


def matching_add(
    *, actor, run: MatchingRun, method: str, order_id: int, candidate: Candidate, reason: str
) -> MatchingProposal:
    """Add an eligible person to an order's proposals, within the order's places this run."""
    reason = _reason(reason)
    with transaction.atomic():
        locked_run = _draft(run)
        inputs = inputs_load(locked_run.inputs)
        facts = inputs.orders.get(order_id)
        if facts is None:
            raise ValidationError(_("Lowongan ini tidak ikut dalam pencocokan ini."))
        key = (candidate.pk, order_id)
        if key not in inputs.problem.scores:
            raise ValidationError(
                {
                    "candidate": _(
                        "Pencari kerja ini tidak memenuhi syarat lowongan %(ref)s, atau sudah punya "
                        "lamaran di sana; ia tidak bisa diusulkan."
                    )
                    % {"ref": facts.reference}
                }
            )
        proposals = MatchingProposal.objects.select_for_update().filter(
            run=locked_run, method=method, order_id=order_id
        )
        existing = proposals.filter(candidate=candidate).first()
        if existing is not None and not existing.removed:
            raise ValidationError({"candidate": _("Pencari kerja ini sudah diusulkan di sini.")})
        if proposals.filter(removed=False).count() >= facts.capacity:
            raise ValidationError(
                _(
                    "Tempat lowongan %(ref)s di pencocokan ini sudah penuh (%(n)s). Hapus satu "
                    "usulan dulu."
                )
                % {"ref": facts.reference, "n": facts.capacity}
            )
        if existing is not None:
            existing.removed, existing.reason, existing.adjusted_by_manager = False, reason, True
            existing.save(update_fields=["removed", "reason", "adjusted_by_manager"])
            proposal = existing
        else:
            last = proposals.order_by("-rank").values_list("rank", flat=True).first() or 0
            proposal = MatchingProposal.objects.create(
                run=locked_run,
                method=method,
                order_id=order_id,
                candidate=candidate,
                score=inputs.problem.scores[key],
                score_parts=inputs.part_dict(*key),
                rank=last + 1,
                adjusted_by_manager=True,
                reason=reason,
            )
        audit_record(
            actor=actor,
            action="matching.proposal_add",
            target=proposal,
            changes={"order": [None, facts.reference], "method": [None, method]},
            reason=reason,
        )
    return proposal


def matching_discard(*, actor, run: MatchingRun, reason: str) -> MatchingRun:
    reason = _reason(reason)
    with transaction.atomic():
        locked = _draft(run)
        _run_move(locked, to_status=RunStatus.DISCARDED, actor=actor, reason=reason)
        locked.ended_reason = reason
        locked.save(update_fields=["ended_reason"])
    return locked


def matching_adjust(
    *, actor, run: MatchingRun, reason: str, remove=None, add=None, method="", order_id=None
):
    """The manager's change to a draft run: `remove` a proposal, or `add` a candidate to
    `order_id` in `method`'s proposals (eligible, within the order's places). With a reason."""
    if (remove is None) == (add is None):
        raise ValueError("remove one proposal or add one candidate")
    if remove is not None:
        if remove.run_id != run.pk:
            raise ValidationError(_("Usulan ini bukan bagian dari pencocokan ini."))
        return matching_remove(actor=actor, proposal=remove, reason=reason)
    return matching_add(
        actor=actor, run=run, method=method, order_id=order_id, candidate=add, reason=reason
    )


# The rest of the writes, importable from here as every other service is.
from .publish import candidate_decline_proposal, matching_publish  # noqa: E402

__all__ = [
    "candidate_decline_proposal",
    "engine_settings",
    "matching_add",
    "matching_adjust",
    "matching_discard",
    "matching_publish",
    "matching_remove",
    "matching_repeat_check",
    "matching_run_again",
    "matching_run_compute",
    "matching_run_start",
    "settings_clean",
    "solve_all",
]
