"""The office's review of whole checklists: one worker's items side by side, each accepted or sent
back with its reason in one submit; and a group's items in a grid, the complete and valid ones
accepted in one submit (an item a rule speaks against shows the rule's message instead)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jalur.accounts.decorators import capability_required

from . import services
from .gates import item_problems, review_day
from .items import ITEM_TYPES
from .models import ChecklistItem, ItemStatus
from .selectors import access_case, access_group, case_detail, may_open_case_files
from .states import FINISHED
from .views import post_ids


def _review_rows(case, *, posted=None, errors=None):
    """Each item of `case` with its facts, its document, what the rules say against it and, for
    those waiting for the office, the choice (posted, or accept when no rule speaks against it)."""
    day = review_day(case)
    rows = []
    for item in case.items.all():
        problems = item_problems(case, item, day) if item.status == ItemStatus.SUBMITTED else []
        choice, note = "", ""
        if posted is not None:
            choice = posted.get(f"b{item.pk}-decision", "")
            note = posted.get(f"b{item.pk}-note", "")
        elif not problems:
            choice = services.ACCEPT
        rows.append(
            {
                "item": item,
                "label": ITEM_TYPES[item.code].label,
                "waiting": item.status == ItemStatus.SUBMITTED,
                "problems": problems,
                "choice": choice,
                "note": note,
                "error": (errors or {}).get(f"item-{item.pk}", ""),
            }
        )
    return day, rows


@capability_required("departure.endorse")
def case_review(request, pk):
    """One worker's checklist on one page: open it, set the few items that need it to 'send back'
    with a reason, submit. Nothing typed is lost when a reason is missing."""
    case = case_detail(access_case(request.user, pk))
    errors, posted, status = None, None, 200
    if request.method == "POST" and case.status not in FINISHED:
        posted = request.POST
        waiting = [item for item in case.items.all() if item.status == ItemStatus.SUBMITTED]
        decisions = {
            item.pk: (
                request.POST.get(f"b{item.pk}-decision", ""),
                request.POST.get(f"b{item.pk}-note", ""),
            )
            for item in waiting
            if request.POST.get(f"b{item.pk}-decision", "")
            or request.POST.get(f"b{item.pk}-note", "").strip()
        }
        if not decisions:
            messages.error(request, _("Pilih terima atau kembalikan untuk sedikitnya satu butir."))
            status = 400
        else:
            try:
                decided = services.checklist_review(
                    case=case, decisions=decisions, actor=request.user
                )
            except ValidationError as error:
                errors = error.message_dict
                messages.error(
                    request,
                    _(
                        "Pemeriksaan belum tersimpan; tidak ada butir yang diubah. Perbaiki butir yang ditandai di bawah."
                    ),
                )
                status = 400
                case = case_detail(case)
            else:
                accepted = sum(1 for item in decided if item.status == ItemStatus.VERIFIED)
                messages.success(
                    request,
                    _("Pemeriksaan tersimpan: %(accepted)s diterima, %(back)s dikembalikan.")
                    % {
                        "accepted": ngettext("%d butir", "%d butir", accepted) % accepted,
                        "back": ngettext("%d butir", "%d butir", len(decided) - accepted)
                        % (len(decided) - accepted),
                    },
                )
                return redirect("departure:case", pk=case.pk)
    day, rows = _review_rows(case, posted=posted, errors=errors)
    return render(
        request,
        "departure/review.html",
        {
            "case": case,
            "order": case.application.order,
            "day": day,
            "rows": rows,
            "any_waiting": any(row["waiting"] for row in rows),
            "may_open_files": may_open_case_files(request.user),
            "finished": case.status in FINISHED,
        },
        status=status,
    )


@capability_required("departure.endorse")
def group_review(request, pk):
    """Every member's items in a grid; the complete and valid ones are ticked, and one submit
    accepts them. An item a rule speaks against has no box: it shows the rule's message and is
    decided on the worker's own review page."""
    group = access_group(request.user, pk)
    status = 200
    if request.method == "POST":
        ids = post_ids(request, "item")
        if ids is None:
            messages.error(
                request, _("Pilihan butir tidak dikenal. Muat ulang halaman, lalu pilih lagi.")
            )
            status = 400
        elif not ids:
            messages.error(request, _("Centang sedikitnya satu butir untuk diterima."))
            status = 400
        else:
            accepted, refused = services.group_accept(group=group, item_pks=ids, actor=request.user)
            if accepted:
                messages.success(
                    request,
                    ngettext("%(n)d butir diterima.", "%(n)d butir diterima.", len(accepted))
                    % {"n": len(accepted)},
                )
            for message in refused.values():
                messages.error(request, _("Tidak diterima: %(why)s") % {"why": message})
            return redirect("departure:group_review", pk=group.pk)
    members = list(
        group.cases.select_related("candidate", "application__order", "group").prefetch_related(
            "items", "contract_reviews"
        )
    )
    codes = list(dict.fromkeys(item.code for case in members for item in case.items.all()))
    grid = []
    for case in members:
        day = review_day(case)
        cells = {}
        for item in case.items.all():
            problems = item_problems(case, item, day) if item.status == ItemStatus.SUBMITTED else []
            cells[item.code] = {"item": item, "problems": problems}
        grid.append({"case": case, "cells": [cells.get(code) for code in codes]})
    waiting = ChecklistItem.objects.filter(case__group=group, status=ItemStatus.SUBMITTED).count()
    return render(
        request,
        "departure/group_review.html",
        {
            "group": group,
            "columns": [ITEM_TYPES[code].label for code in codes],
            "grid": grid,
            "waiting": waiting,
            "may_open_files": may_open_case_files(request.user),
        },
        status=status,
    )
