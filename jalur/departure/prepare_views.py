"""A P3MI preparing a departure group's checklists in one sitting: the facts the group shares on
one form, applied to every member; then, one document kind at a time, a row per member with that
person's own facts and file. A row that fails names the member and why, and the rows saved stay
saved."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jalur.accounts.decorators import capability_required
from jalur.core.forms_errors import apply_errors, note_unsent_file

from . import services
from .items import ITEM_TYPES, SHARED_FIELDS, form_initial, item_clean, item_form
from .models import ChecklistItem, DepartureGroup
from .selectors import access_group
from .services.checklist import contract_terms
from .states import FINISHED


def _members(group):
    return [
        case
        for case in group.cases.select_related("candidate", "application__order").prefetch_related(
            "items"
        )
        if case.status not in FINISHED
    ]


def _codes(members) -> list[str]:
    return list(dict.fromkeys(item.code for case in members for item in case.items.all()))


def _shared_forms(members, data=None):
    """{code: form} with the shared fields of each item the members' checklists hold; all optional,
    first filled from what the first member has (the contract from the accepted offer)."""
    forms = {}
    first = members[0] if members else None
    for code in _codes(members):
        names = SHARED_FIELDS.get(code)
        if not names:
            continue
        item_type = ITEM_TYPES[code]
        initial = {}
        if first is not None:
            item = next((i for i in first.items.all() if i.code == code), None)
            initial = form_initial(item_type, item.data or {}) if item else {}
            if code == "employment_contract" and not initial.get("employer"):
                terms = contract_terms(first.application)
                initial.update(
                    employer=terms.employer,
                    position=terms.position,
                    wage=terms.wage,
                    currency=terms.currency,
                    hours_per_week=terms.hours_per_week,
                    contract_months=terms.contract_months,
                )
        form = item_form(
            item_type,
            data=data,
            initial={k: v for k, v in initial.items() if k in names},
            prefix=code,
            auto_id="bersama_%s",
        )
        for name in list(form.fields):
            if name not in names:
                del form.fields[name]
            else:
                form.fields[name].required = False
        forms[code] = form
    return forms


@capability_required("departure.manage")
def group_prepare(request, pk):
    """The facts the group shares, once: each filled-in item is applied to every member's item not
    yet accepted (each member's item judged by the rules and audited on its own)."""
    group = access_group(request.user, pk, write=request.method == "POST")
    members = _members(group)
    forms = _shared_forms(members, data=request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if group.status != DepartureGroup.Status.PLANNED:
            messages.error(request, _("Rombongan ini sudah berangkat."))
            return redirect("departure:group", pk=group.pk)
        valid = all(form.is_valid() for form in forms.values())
        filled = {
            code: {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            for code, form in forms.items()
            if valid
        }
        filled = {code: data for code, data in filled.items() if data}
        if not valid:
            messages.error(
                request,
                _("Keterangan bersama belum tersimpan. Perbaiki isian yang ditandai di bawah."),
            )
            status = 400
        elif not filled:
            messages.error(request, _("Isi sedikitnya satu keterangan bersama."))
            status = 400
        else:
            # every shared fact checked first: a wrong one is shown beside its field and nothing
            # is applied
            for code, data in filled.items():
                try:
                    item_clean(ITEM_TYPES[code], data, today=timezone.localdate())
                except ValidationError as error:
                    apply_errors(forms[code], error)
            if any(form.errors for form in forms.values()):
                messages.error(
                    request,
                    _("Keterangan bersama belum tersimpan. Perbaiki isian yang ditandai di bawah."),
                )
                filled, status = {}, 400
        if filled and status == 200:
            written, problems = 0, []
            for code, data in filled.items():
                try:
                    done, refused, _kept = services.group_apply_shared(
                        group=group, code=code, data=data, actor=request.user
                    )
                except ValidationError as error:
                    apply_errors(forms[code], error)
                    problems += error.messages
                    continue
                written += len(done)
                problems += [
                    _("%(item)s, %(why)s") % {"item": ITEM_TYPES[code].label, "why": why}
                    for why in refused.values()
                ]
            messages.success(
                request,
                ngettext(
                    "Keterangan bersama tersimpan pada %(n)d butir anggota.",
                    "Keterangan bersama tersimpan pada %(n)d butir anggota.",
                    written,
                )
                % {"n": written},
            )
            for problem in problems:
                messages.error(request, _("Belum tersimpan: %(why)s") % {"why": problem})
            if not problems:
                return redirect("departure:group_prepare", pk=group.pk)
            status = 400
    return render(
        request,
        "departure/group_prepare.html",
        {
            "group": group,
            "members": members,
            "forms": forms,
            "codes": [(code, ITEM_TYPES[code].label) for code in _codes(members)],
        },
        status=status,
    )


def _row_form(item, *, data=None, files=None):
    return item_form(
        item.type,
        data=data,
        files=files,
        initial=form_initial(item.type, item.data or {}),
        prefix=f"c{item.case_id}",
        auto_id="%s",
    )


@capability_required("departure.manage")
def group_uploads(request, pk, code):
    """One document kind for the whole group: a row per member with that person's facts and file.
    Only the rows changed are saved, each on its own; a row refused keeps what was typed and says
    why, the others stay saved."""
    group = access_group(request.user, pk, write=request.method == "POST")
    if code not in ITEM_TYPES:
        raise Http404
    members = _members(group)
    items = {
        item.case_id: item
        for item in ChecklistItem.objects.filter(case__in=members, code=code).select_related(
            "case__candidate"
        )
    }
    rows = [(case, items.get(case.pk)) for case in members]
    forms, failed, saved = {}, [], 0
    if request.method == "POST":
        if group.status != DepartureGroup.Status.PLANNED:
            messages.error(request, _("Rombongan ini sudah berangkat."))
            return redirect("departure:group", pk=group.pk)
        for case, item in rows:
            if item is None:
                continue
            form = _row_form(item, data=request.POST, files=request.FILES)
            if not form.has_changed():
                continue
            if form.is_valid():
                data = dict(form.cleaned_data)
                document = data.pop("document", None)
                try:
                    services.item_submit(
                        item=item, data=data, document=document, actor=request.user
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    saved += 1
                    continue
            if "document" in form.fields:
                note_unsent_file(form, "document")
            forms[case.pk] = form
            failed.append(case.candidate.full_name)
        if saved:
            messages.success(
                request,
                ngettext(
                    "%(n)d butir tersimpan dan menunggu pemeriksaan Disnakertrans.",
                    "%(n)d butir tersimpan dan menunggu pemeriksaan Disnakertrans.",
                    saved,
                )
                % {"n": saved},
            )
        if not failed:
            if not saved:
                messages.info(request, _("Tidak ada baris yang diubah."))
            return redirect("departure:group_uploads", pk=group.pk, code=code)
        messages.error(
            request,
            _("Belum tersimpan untuk %(names)s. Perbaiki isian yang ditandai di baris mereka.")
            % {"names": ", ".join(failed)},
        )
        items = {
            item.case_id: item for item in ChecklistItem.objects.filter(case__in=members, code=code)
        }
        rows = [(case, items.get(case.pk)) for case in members]
    table = [
        {
            "case": case,
            "item": item,
            "form": forms.get(case.pk) or (_row_form(item) if item else None),
        }
        for case, item in rows
    ]
    return render(
        request,
        "departure/group_uploads.html",
        {
            "group": group,
            "code": code,
            "label": ITEM_TYPES[code].label,
            "table": table,
            "codes": [(c, ITEM_TYPES[c].label) for c in _codes(members)],
            "field_names": [f.name for f in ITEM_TYPES[code].fields]
            + (["document"] if ITEM_TYPES[code].needs_document else []),
        },
        status=400 if failed else 200,
    )
