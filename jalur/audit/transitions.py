"""One way to move a status: check the move against its table, save it, write its history row and
its audit row, all in the caller's transaction (the caller has locked the row).

Each state machine keeps its own table beside its statuses (`candidates/stages.py`,
`placement/states.py`, `departure/states.py`, `training/states.py`, `rules/grievances.py`); this
is the single recipe they all go through.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from .services import audit_record, snapshot


def actor_or_none(actor):
    """The user to store on a history row: None for the system or a family code (a string)."""
    return actor if getattr(actor, "pk", None) else None


def event_row(model: type[models.Model], *, to_status: str, actor, reason: str = "", **owner):
    """A `history` for `status_move` that writes one row of an event table with the usual columns
    (the owner's foreign key, from_status, to_status, actor, reason, created_at)."""

    def write(from_status: str, now) -> models.Model:
        return model.objects.create(
            **owner,
            from_status=from_status,
            to_status=to_status,
            actor=actor_or_none(actor),
            reason=reason,
            created_at=now,
        )

    return write


def status_move(
    obj: models.Model,
    *,
    to_status: str,
    table: Mapping[str, frozenset[str]],
    labels: type[models.TextChoices],
    noun: str,
    actor,
    action: str,
    reason: str = "",
    history: Callable[[str, Any], models.Model | None] | None = None,
    fields: Mapping[str, Any] | None = None,
    status_field: str = "status",
    changed_at_field: str | None = "status_changed_at",
    at=None,
) -> models.Model:
    """Move `obj` (already locked) to `to_status` if `table` allows it.

    `noun` names the object in the refusal ("Lowongan", "Kasus keberangkatan"); `history(from_status,
    now)` writes the object's own history row, if it has one; `fields` are saved with the move and
    audited with it. Returns the object.
    """
    from_status = getattr(obj, status_field)
    if to_status not in table.get(from_status, frozenset()):
        raise ValidationError(
            _('%(noun)s berstatus "%(from)s" tidak bisa menjadi "%(to)s". Muat ulang halaman.')
            % {"noun": noun, "from": labels(from_status).label, "to": labels(to_status).label},
            code="invalid_transition",
        )
    now = at or timezone.now()
    fields = dict(fields or {})
    setattr(obj, status_field, to_status)
    update = [status_field, *fields]
    if changed_at_field:
        setattr(obj, changed_at_field, now)
        update.append(changed_at_field)
    for key, value in fields.items():
        setattr(obj, key, value)
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        update.append("updated_at")
    obj.save(update_fields=update)
    if history is not None:
        history(from_status, now)
    changes = {status_field: [from_status, to_status]}
    if fields:  # snapshot() of no names would be every field
        changes |= {k: [None, v] for k, v in snapshot(obj, list(fields)).items()}
    audit_record(actor=actor, action=action, target=obj, changes=changes, reason=reason)
    return obj
