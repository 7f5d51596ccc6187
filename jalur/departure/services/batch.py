"""A P3MI preparing a whole departure group's checklists: the facts the group shares entered once
and applied to each member's item, and each member's own part (an upload, a number) saved item by
item, so one refusal keeps what else was saved. Every member's item is written, judged by the rules
and audited on its own (`item_submit`)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record

from ..items import ITEM_TYPES, SHARED_FIELDS, form_initial, item_clean, item_complete
from ..models import ChecklistItem, DepartureGroup, ItemStatus
from ..states import FINISHED
from .checklist import _item_editable, _plain, item_submit


def item_draft_save(*, item: ChecklistItem, data: dict, actor) -> ChecklistItem:
    """Keep part of an item's facts (what the group shares) before the rest and its document are
    there: the values are checked as far as they go, the item's status does not change, and the
    change is audited."""
    item_type = ITEM_TYPES[item.code]
    _item_editable(item)
    data = item_clean(item_type, data, today=timezone.localdate())
    with transaction.atomic():
        item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
        before = dict(item.data or {})
        item.data = _plain(data)
        item.save(update_fields=["data"])
        audit_record(
            actor=actor,
            action="departure.item_draft",
            target=item,
            changes={"data": [before, item.data]},
        )
    return item


def group_apply_shared(
    *, group: DepartureGroup, code: str, data: dict, actor
) -> tuple[list[ChecklistItem], dict[int, str], int]:
    """Apply the facts a group shares for item `code` (`items.SHARED_FIELDS`) to each member's item
    not yet accepted by the office. A member's item that is then complete (and has its document, when
    it needs one) goes to the office's check; otherwise the facts are kept until the rest comes.
    Returns (items written, {case pk: why not, for the members whose item was refused}, the number of
    accepted items left as they were)."""
    if group.status != DepartureGroup.Status.PLANNED:
        raise ValidationError(_("Rombongan ini sudah berangkat."))
    allowed = SHARED_FIELDS.get(code, ())
    shared = {k: v for k, v in data.items() if k in allowed and v not in (None, "")}
    if not shared:
        raise ValidationError(_("Isi sedikitnya satu keterangan bersama."))
    item_type = ITEM_TYPES[code]
    # what is wrong in the shared facts themselves is said once, beside the field
    item_clean(item_type, shared, today=timezone.localdate())
    written, refused, kept = [], {}, 0
    items = ChecklistItem.objects.filter(case__group=group, code=code).select_related(
        "case__candidate"
    )
    for item in items:
        if item.case.status in FINISHED:
            continue
        if item.status == ItemStatus.VERIFIED:
            kept += 1
            continue
        merged = {**(item.data or {}), **shared}
        if _plain(merged) == (item.data or {}):
            continue
        merged = form_initial(item_type, merged)  # dates as dates, for the rules
        try:
            if item_complete(item_type, merged) and (item.document or not item_type.needs_document):
                written.append(item_submit(item=item, data=merged, actor=actor))
            else:
                written.append(item_draft_save(item=item, data=merged, actor=actor))
        except ValidationError as error:
            refused[item.case_id] = "{}: {}".format(
                item.case.candidate.full_name,
                " ".join(error.messages),
            )
    return written, refused, kept
