"""Pages of programme-wide matching (issue 19): the runs, starting one, a run with its comparison,
one order of a run with its proposals and the people who wanted it, the manager's actions, and the
candidate's "no" to a published proposal. Thin: the services decide, the selectors read."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required
from jalur.candidates.models import Candidate
from jalur.core.forms_errors import form_page, post_action

from .access import my_application
from .matching import selectors as msel
from .matching import services as match
from .matching.inputs import open_orders
from .matching.models import METHODS, MatchingMethod, MatchingProposal, MatchingRun, RunStatus
from .models import JobOrder
from .selection import describe_weights


class StartForm(forms.Form):
    scope = forms.ChoiceField(
        label=gettext_lazy("Lowongan"),
        choices=[
            ("all", gettext_lazy("Semua lowongan yang disetujui dan masih dibuka")),
            ("some", gettext_lazy("Hanya yang dicentang di bawah")),
        ],
        initial="all",
        widget=forms.RadioSelect,
    )
    orders = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Lowongan yang ikut"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    method = forms.ChoiceField(
        label=gettext_lazy("Metode yang diusulkan untuk diterbitkan"),
        choices=[
            (MatchingMethod.OPTIMAL, MatchingMethod.OPTIMAL.label),
            (MatchingMethod.STABLE, MatchingMethod.STABLE.label),
        ],
        initial=MatchingMethod.OPTIMAL,
        help_text=gettext_lazy(
            "Ketiga cara (termasuk cara lama per lowongan) tetap dihitung dan dibandingkan."
        ),
    )
    max_orders_per_person = forms.IntegerField(
        label=gettext_lazy("Paling banyak lowongan per orang"),
        min_value=1,
        max_value=match.MAX_CAP,
        initial=1,
    )
    women_share = forms.DecimalField(
        label=gettext_lazy("Perempuan paling sedikit (% tempat tiap lowongan)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
        help_text=gettext_lazy(
            "Kosongkan bila tidak ada batas. Hanya ditegakkan penugasan optimal."
        ),
    )
    kecamatan_share = forms.DecimalField(
        label=gettext_lazy("Setiap kecamatan paling sedikit (% tempat tiap lowongan)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
        help_text=gettext_lazy(
            "Untuk setiap kecamatan yang punya pencari kerja memenuhi syarat. Kosongkan bila tidak ada batas."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orders"].queryset = (
            open_orders(timezone.localdate()).select_related("agency").order_by("reference")
        )
        self.fields["orders"].label_from_instance = lambda o: (
            f"{o.reference} · {o.position_title} · {o.get_employer_country_display()} "
            f"({o.positions})"
        )

    def clean(self):
        data = super().clean()
        if data.get("scope") == "some" and not data.get("orders"):
            self.add_error("orders", _("Centang sedikitnya satu lowongan, atau pilih semua."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class AddForm(ReasonForm):
    nik = forms.CharField(label=gettext_lazy("NIK pencari kerja"), max_length=16)
    field_order = ["nik", "reason"]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan (boleh dikosongkan)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _method(request, run: MatchingRun) -> str:
    chosen = request.GET.get("metode") or run.published_method or run.method
    return chosen if chosen in METHODS else MatchingMethod.OPTIMAL


@capability_required("placement.match")
def run_list(request):
    return render(request, "placement/matching/run_list.html", {"runs": msel.runs()})


@capability_required("placement.match")
def run_start(request):
    form = StartForm(request.POST or None)

    def save(data):
        orders = list(data["orders"]) if data["scope"] == "some" else None
        return match.matching_run_start(actor=request.user, orders=orders, settings=data)

    return form_page(
        request,
        form,
        save=save,
        success=_("Pencocokan dimulai."),
        done=lambda run: reverse("placement:matching_run", args=[run.pk]),
        template="placement/matching/run_start.html",
        context={"open_count": form.fields["orders"].queryset.count()},
    )


@capability_required("placement.match")
def run_detail(request, pk):
    run = get_object_or_404(MatchingRun.objects.select_related("created_by", "repeat_of"), pk=pk)
    context = {"run": run, "weights_text": describe_weights()}
    if run.status in (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.FAILED) or not run.inputs:
        return render(request, "placement/matching/run_detail.html", context)
    method = _method(request, run)
    nik = (request.GET.get("nik") or "").strip()
    person = None
    if nik:
        person = Candidate.objects.filter(nik=nik).first()
        if person is None:
            messages.error(request, _("Tidak ada pencari kerja dengan NIK %(nik)s.") % {"nik": nik})
    context |= {
        "method": method,
        "method_label": MatchingMethod(method).label,
        "methods": [(m, MatchingMethod(m).label) for m in METHODS],
        "comparison": msel.comparison(run),
        "shortfalls": msel.shortfalls(run, method),
        "orders": msel.order_rows(run, method, request.GET.get("page")),
        "nik": nik,
        "person": person,
        "person_rows": msel.person_explanations(run, method, person) if person else [],
        "same_inputs": MatchingRun.objects.filter(fingerprint=run.fingerprint)
        .exclude(pk=run.pk)
        .order_by("-pk")[:5],
        "discard_form": ReasonForm(prefix="discard"),
    }
    return render(request, "placement/matching/run_detail.html", context)


@capability_required("placement.match")
def run_order(request, pk, order_pk):
    run = get_object_or_404(MatchingRun, pk=pk)
    if not run.inputs:
        raise Http404
    inputs = msel.run_inputs(run)
    facts = inputs.orders.get(order_pk)
    if facts is None:
        raise Http404
    method = _method(request, run)
    return render(
        request,
        "placement/matching/run_order.html",
        {
            "run": run,
            "method": method,
            "method_label": MatchingMethod(method).label,
            "facts": facts,
            "order": get_object_or_404(JobOrder, pk=order_pk),
            "proposals": msel.order_proposals(run, method, order_pk),
            "wanted": msel.wanted_not_proposed(run, method, order_pk, request.GET.get("page")),
            "weights_text": describe_weights(),
            "add_form": AddForm(prefix="add"),
            "remove_form": ReasonForm(prefix="remove"),
            "editable": run.status == RunStatus.DRAFT,
        },
    )


@capability_required("placement.match")
@require_POST
def run_action(request, pk, action):
    run = get_object_or_404(MatchingRun, pk=pk)
    method = request.POST.get("method") or run.method
    if method not in METHODS:
        method = run.method
    back = reverse("placement:matching_run", args=[run.pk]) + f"?metode={method}"
    if action == "terbitkan":
        return post_action(
            request,
            None,
            save=lambda _d: match.matching_publish(actor=request.user, run=run, method=method),
            success=lambda created: (
                _("%(n)s rekomendasi diterbitkan; pencari kerja dan P3MI diberi tahu.")
                % {"n": len(created)}
            ),
            done=back,
        )
    if action == "batalkan":
        return post_action(
            request,
            ReasonForm(request.POST, prefix="discard"),
            save=lambda d: match.matching_discard(actor=request.user, run=run, reason=d["reason"]),
            success=_("Pencocokan dibatalkan; tidak ada yang diterbitkan."),
            done=back,
            invalid=_("Tulis alasan membatalkan."),
        )
    if action == "ulangi":
        return post_action(
            request,
            None,
            save=lambda _d: match.matching_repeat_check(actor=request.user, run=run),
            success=lambda same: (
                _(
                    "Dijalankan ulang dengan masukan yang sama: hasil sama persis dengan sidik masukan yang sama."
                )
                if same
                else _(
                    "Dijalankan ulang dengan masukan yang sama: HASIL BERBEDA. Laporkan ke admin sistem."
                )
            ),
            done=back,
        )
    if action == "data-terbaru":
        try:
            again = match.matching_run_again(actor=request.user, run=run)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(back)
        messages.success(request, _("Pencocokan baru dengan data terbaru dimulai."))
        return redirect("placement:matching_run", pk=again.pk)
    order_back = (
        reverse("placement:matching_run_order", args=[run.pk, request.POST.get("order") or 0])
        + f"?metode={method}"
    )
    if action == "hapus":
        proposal = get_object_or_404(
            MatchingProposal, pk=request.POST.get("proposal") or 0, run=run
        )
        order_back = (
            reverse("placement:matching_run_order", args=[run.pk, proposal.order_id])
            + f"?metode={proposal.method}"
        )
        return post_action(
            request,
            ReasonForm(request.POST, prefix="remove"),
            save=lambda d: match.matching_remove(
                actor=request.user, proposal=proposal, reason=d["reason"]
            ),
            success=_("Usulan dihapus."),
            done=order_back,
            invalid=_("Tulis alasan menghapus usulan."),
        )
    if action == "tambah":
        order_id = int(request.POST.get("order") or 0)

        def add(data):
            candidate = Candidate.objects.filter(nik=data["nik"].strip()).first()
            if candidate is None:
                raise ValidationError(_("Tidak ada pencari kerja dengan NIK itu."))
            return match.matching_add(
                actor=request.user,
                run=run,
                method=method,
                order_id=order_id,
                candidate=candidate,
                reason=data["reason"],
            )

        return post_action(
            request,
            AddForm(request.POST, prefix="add"),
            save=add,
            success=_("Pencari kerja ditambahkan ke usulan."),
            done=order_back,
            invalid=_("Isi NIK dan alasan menambahkan."),
        )
    raise Http404


@capability_required("candidates.self")
@require_POST
def proposal_decline(request, pk):
    application = my_application(request.user, pk)
    return post_action(
        request,
        DeclineForm(request.POST),
        save=lambda d: match.candidate_decline_proposal(
            actor=request.user, application=application, reason=d["reason"]
        ),
        success=_("Usulan ditolak. Anda tidak akan diusulkan lagi ke lowongan ini."),
        done=reverse("candidates:me"),
    )
