"""Writing audit rows. Every service that changes state calls `audit_record` inside its transaction."""

import datetime
import decimal
import uuid
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .context import current_request_info
from .models import AuditLog


def _plain(value):
    """A JSON-safe form of a field value."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # FieldFile
        return value.name or ""
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict:
    """The current values of a model's concrete fields (or the named ones), JSON-safe."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: _plain(getattr(obj, name)) for name in names}


def diff(before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields whose values differ."""
    keys = set(before) | set(after)
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(keys)
        if before.get(key) != after.get(key)
    }


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    changes: dict | None = None,
    reason: str = "",
    kind: str = AuditLog.Kind.CHANGE,
    label: str | None = None,
    using: str = "default",
) -> AuditLog:
    """Append one audit row. Call it inside the same transaction as the change it records
    (`using`: the database written, for a whole programme imported into another one)."""
    row = _audit_row(
        actor=actor,
        action=action,
        target=target,
        changes=changes,
        reason=reason,
        kind=kind,
        label=label,
        info=current_request_info(),
    )
    row.save(force_insert=True, using=using)
    return row


def audit_records(entries: Iterable[dict]) -> list[AuditLog]:
    """`audit_record` for many changes at once, in one insert: each entry holds its keyword
    arguments (`actor`, `action`, `target`, ...), and each row is the one `audit_record` would
    write. For a batch that is written in one transaction (e.g. an import's batch of people)."""
    info = current_request_info()
    return AuditLog.objects.bulk_create([_audit_row(**entry, info=info) for entry in entries])


def _audit_row(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    changes: dict | None = None,
    reason: str = "",
    kind: str = AuditLog.Kind.CHANGE,
    label: str | None = None,
    info,
) -> AuditLog:
    """The unsaved row `audit_record` writes."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditLog(
        actor=actor_obj,
        actor_label=(str(actor_obj) if actor_obj else (str(actor) if actor else "sistem"))[:200],
        kind=kind,
        action=action,
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=str(target.pk) if target is not None else "",
        object_label=(label if label is not None else audit_label(target))[:200],
        changes=changes or {},
        reason=reason or "",
        ip_address=info.ip,
        user_agent=info.user_agent,
    )


def audit_label(target: models.Model | None) -> str:
    """A label that names the object without personal data (rows outlive the data they describe)."""
    if target is None:
        return ""
    custom = getattr(target, "audit_label", None)
    if callable(custom):
        return custom()
    return f"{target._meta.verbose_name} #{target.pk}"


def audit_access(
    *,
    actor,
    action: str,
    target: models.Model | None,
    kind: str = AuditLog.Kind.VIEW,
    detail: dict | None = None,
) -> AuditLog:
    """Log a read of sensitive personal data (a document opened, an export).

    Reads happen outside write transactions; the row is committed on its own.
    """
    with transaction.atomic():
        return audit_record(actor=actor, action=action, target=target, kind=kind, changes=detail)


REDACTED = "[dihapus]"


def audit_redact(*, target: models.Model) -> int:
    """Blank the recorded values and reasons of every audit row about `target`, keeping who did what
    when. The one sanctioned change to audit rows: run only by the retention rule, which writes its
    own audit row for the erasure."""
    rows = AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    )
    count = 0
    for row in rows.only("pk", "changes"):
        redacted = {key: [REDACTED, REDACTED] for key in (row.changes or {})}
        models.QuerySet.update(
            AuditLog.objects.filter(pk=row.pk),
            changes=redacted,
            reason="",
            object_label=audit_label(target),
        )
        count += 1
    return count


def audit_read(
    *,
    actor,
    action: str,
    targets,
    purpose: str = "",
    detail: dict | None = None,
) -> int:
    """Record that `actor` read personal data: one row per person read (`targets`, a model or an
    iterable of them; none: one row without a target, e.g. a search that found nobody), written in
    one INSERT, outside any write transaction. `purpose` says why (the page), `detail` what was
    asked, never a NIK or phone in clear (see `masked`)."""
    if isinstance(targets, models.Model):
        targets = [targets]
    targets = list(targets or []) or [None]
    rows = audit_records(
        {
            "actor": actor,
            "action": action,
            "target": target,
            "kind": AuditLog.Kind.VIEW,
            "reason": purpose,
            "changes": detail,
        }
        for target in targets
    )
    return len(rows)


def masked(value: str) -> str:
    """A NIK or phone number as the audit trail keeps a search for it: the last four digits."""
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    return f"…{digits[-4:]}" if len(digits) > 4 else "…"


def audit_search_read(*, actor, q: str, found, count: int, purpose: str) -> int:
    """Record a search of people (`q` as typed, `found` the people shown, `count` all matches):
    what kind of search it was and how many it found, the query itself only masked. A search by
    NIK or phone names the people found, so each of them sees it; a name search is one row."""
    q = (q or "").strip()
    digits = "".join(ch for ch in q if ch.isdigit())
    if not q:
        return 0
    if len(digits) < len(q.replace(" ", "").replace("-", "").replace("+", "")):
        kind, shown = "nama", ""
    elif len(digits) == 16:
        kind, shown = "nik", masked(digits)
    elif len(digits) >= 9:
        kind, shown = "telepon", masked(digits)
    else:
        kind, shown = "nomor", masked(digits) if len(digits) >= 4 else ""
    detail = {"query_kind": kind, "query": shown, "count": count}
    targets = list(found) if kind in ("nik", "telepon", "nomor") else []
    return audit_read(
        actor=actor, action="candidate.search", targets=targets, purpose=purpose, detail=detail
    )
