"""The office's review of whole checklists: one worker's items side by side in one submit (each
accepted or sent back with its reason), and a group's complete and valid items accepted at once.
Each item is still checked and audited one by one (`item_verify`)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..gates import item_problems, review_day
from ..items import ITEM_TYPES
from ..models import ChecklistItem, DepartureCase, DepartureGroup, ItemStatus
from ..states import FINISHED
from .checklist import item_verify

ACCEPT, SEND_BACK = "accept", "reject"


def checklist_review(
    *, case: DepartureCase, decisions: dict[int, tuple[str, str]], actor
) -> list[ChecklistItem]:
    """Decide on several items of one worker in one go: `decisions` is {item pk: (ACCEPT or
    SEND_BACK, note)} for items waiting for the office's check. A send-back needs its reason. All or
    nothing: when one item cannot be decided, nothing is saved and the ValidationError names each
    item ({"item-<pk>": message}), so the page shows every message beside its item."""
    if case.status in FINISHED:
        raise ValidationError(
            _("Proses keberangkatan ini sudah selesai; butir tidak bisa diubah lagi.")
        )
    items = {item.pk: item for item in case.items.filter(pk__in=list(decisions))}
    errors = {}
    for pk, (choice, note) in decisions.items():
        item = items.get(pk)
        if item is None:
            continue
        if choice == SEND_BACK and not note.strip():
            errors[f"item-{pk}"] = _(
                "%(item)s: tulis apa yang harus diperbaiki sebelum mengembalikannya."
            ) % {"item": ITEM_TYPES[item.code].label}
        elif choice not in (ACCEPT, SEND_BACK):
            errors[f"item-{pk}"] = _("%(item)s: pilih terima atau kembalikan.") % {
                "item": ITEM_TYPES[item.code].label
            }
    if errors:
        raise ValidationError(errors)
    decided = []
    with transaction.atomic():
        for pk, (choice, note) in decisions.items():
            item = items.get(pk)
            if item is None:
                continue
            try:
                decided.append(
                    item_verify(item=item, accept=choice == ACCEPT, note=note.strip(), actor=actor)
                )
            except ValidationError as error:
                errors[f"item-{pk}"] = "{}: {}".format(
                    ITEM_TYPES[item.code].label,
                    " ".join(error.messages),
                )
        if errors:
            transaction.set_rollback(True)
            raise ValidationError(errors)
    return decided


def group_accept(
    *, group: DepartureGroup, item_pks: list[int], actor
) -> tuple[list[ChecklistItem], dict[int, str]]:
    """Accept the chosen items of a group's members in one submit. Only an item that waits for the
    office's check and that no rule speaks against (`gates.item_problems`) is accepted; every other
    one is left as it was and named with the reason. Each item is accepted on its own, so one
    refusal does not undo the others. Returns (accepted, {item pk: why not})."""
    members = {
        case.pk: case
        for case in group.cases.select_related("candidate", "application__order", "group")
    }
    items = ChecklistItem.objects.filter(pk__in=item_pks, case_id__in=list(members)).order_by(
        "case_id", "pk"
    )
    accepted, refused = [], {}
    found = set()
    for item in items:
        found.add(item.pk)
        case = members[item.case_id]
        label = f"{case.candidate.full_name}, {ITEM_TYPES[item.code].label}"
        if case.status in FINISHED:
            refused[item.pk] = _("%(item)s: proses keberangkatannya sudah selesai.") % {
                "item": label
            }
            continue
        if item.status != ItemStatus.SUBMITTED:
            refused[item.pk] = _("%(item)s: tidak sedang menunggu pemeriksaan.") % {"item": label}
            continue
        problems = item_problems(case, item, review_day(case))
        if problems:
            refused[item.pk] = "{}: {}".format(label, " ".join(problems))
            continue
        try:
            accepted.append(item_verify(item=item, accept=True, note="", actor=actor))
        except ValidationError as error:
            refused[item.pk] = "{}: {}".format(label, " ".join(error.messages))
    for pk in item_pks:
        if pk not in found:
            refused[pk] = _("Butir #%(pk)s bukan milik anggota rombongan ini.") % {"pk": pk}
    return accepted, refused
