"""Training pages: cohorts and their register, trainees, results, certificates, costs, programmes,
providers, scale settings, and the public certificate check."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required, login_only, public
from jalur.accounts.roles import can
from jalur.audit.models import AuditLog
from jalur.audit.services import audit_access
from jalur.core.forms_errors import apply_errors, form_page, post_action
from jalur.core.network import client_ip

from . import services
from .access import (
    access_assessment,
    access_certificate,
    access_cohort,
    access_enrolment,
    access_programme,
    access_provider,
    access_session,
    cohorts_for,
    providers_for,
)
from .certificate_check import (
    certificate_by_number,
    certificate_by_token,
    count_miss,
    misses_used_up,
    public_certificate,
)
from .certificates import certificate_pdf, certificates_pdf, certificates_zip
from .forms import (
    AssessmentForm,
    CertificateCheckForm,
    CohortForm,
    CostForm,
    ProgrammeForm,
    ProviderForm,
    ReasonForm,
    ScaleSettingForm,
    ScheduleForm,
)
from .models import (
    AttendanceStatus,
    Certificate,
    CostItem,
    EnrolmentStatus,
    Payer,
    Programme,
    ScaleSetting,
    Session,
    TrainingCost,
)
from .scales import Test
from .selectors import (
    COHORT_ORDER,
    attendance_rates,
    cohort_completion,
    cohort_counts,
    completion_check,
    quota_used,
    register_row,
    register_rows,
    requirement_label,
    schedule_progress,
    waiting_key,
    waiting_position,
)


def _errors_to_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- cohorts --------------------------------------------------------------------------------------
@capability_required("training.view")
def today_view(request):
    today = timezone.localdate()
    sessions = (
        Session.objects.filter(
            cohort__in=cohorts_for(request.user).values("pk"),
            date=today,
            cohort__closed_at__isnull=True,
        )
        .select_related("cohort__programme", "cohort__provider__organisation")
        .order_by("start_time")
    )
    return render(request, "training/today.html", {"sessions": sessions, "today": today})


@capability_required("training.manage")
def cohort_create(request):
    providers = providers_for(request.user).filter(is_active=True)

    def save(data):
        programme, provider = data.pop("programme"), data.pop("provider")
        return services.cohort_create(
            actor=request.user, programme=programme, provider=provider, data=data
        )

    return form_page(
        request,
        CohortForm(request.POST or None, providers=providers),
        save=save,
        success=_("Angkatan dibuat. Tambahkan jadwal sesinya."),
        done=lambda cohort: reverse("training:cohort_schedule", args=[cohort.pk]),
        template="training/cohort_form.html",
        context={"cohort": None, "providers": providers},
    )


@capability_required("training.manage")
def cohort_edit(request, pk):
    cohort = access_cohort(request.user, pk, write=True)
    return form_page(
        request,
        CohortForm(request.POST or None, instance=cohort),
        save=lambda data: services.cohort_update(actor=request.user, cohort=cohort, data=data),
        success=_("Angkatan disimpan."),
        done=reverse("training:cohort_detail", args=[cohort.pk]),
        template="training/cohort_form.html",
        context={"cohort": cohort},
    )


@capability_required("training.view")
def cohort_detail(request, pk):
    cohort = access_cohort(request.user, pk)
    enrolments = list(
        cohort.enrolments.select_related("candidate", "certificate").order_by(
            "status", "candidate__full_name"
        )
    )
    rates = attendance_rates(e.pk for e in enrolments)
    groups = {s: [] for s in EnrolmentStatus.values}
    for e in enrolments:
        groups[e.status].append((e, rates.get(e.pk)))
    # the waiting list in the order seats are given: by the time people joined it
    groups[EnrolmentStatus.WAITING].sort(key=lambda row: waiting_key(row[0]))
    sessions = list(cohort.sessions.all())
    today = timezone.localdate()
    costs = cohort.costs.aggregate(total=Sum("amount"))["total"] or 0
    return render(
        request,
        "training/cohort_detail.html",
        {
            "cohort": cohort,
            "programme": cohort.programme,
            "groups": groups,
            "enrolled": groups[EnrolmentStatus.ENROLLED],
            "waiting": groups[EnrolmentStatus.WAITING],
            "ended": groups[EnrolmentStatus.COMPLETED]
            + groups[EnrolmentStatus.FAILED]
            + groups[EnrolmentStatus.WITHDRAWN]
            + groups[EnrolmentStatus.REVOKED],
            "sessions": sessions,
            "schedule": schedule_progress(cohort, on=today, sessions=sessions),
            "sessions_held": sum(1 for s in sessions if s.register_saved_at),
            "sessions_due": [s for s in sessions if s.date <= today and not s.register_saved_at],
            "today": today,
            "quota_used": quota_used(cohort.programme),
            "cost_total": costs,
            "certificates": sum(1 for e in enrolments if hasattr(e, "certificate")),
            "requirements": [requirement_label(r) for r in cohort.programme.required_assessments],
            "may_manage": can(request.user, "training.manage"),
            "may_enrol": can(request.user, "training.enrol"),
        },
    )


@capability_required("training.manage")
def cohort_schedule(request, pk):
    cohort = access_cohort(request.user, pk, write=True)
    form = ScheduleForm(
        request.POST or None,
        initial={"first_date": cohort.start_date, "last_date": cohort.end_date},
    )
    if request.method == "POST" and form.is_valid():
        try:
            added = services.sessions_schedule(
                actor=request.user, cohort=cohort, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(n)s sesi ditambahkan.", "%(n)s sesi ditambahkan.", len(added))
                % {"n": len(added)},
            )
            return redirect("training:cohort_schedule", pk=cohort.pk)
    return render(
        request,
        "training/cohort_schedule.html",
        {"cohort": cohort, "form": form, "sessions": cohort.sessions.all()},
    )


@require_POST
@capability_required("training.manage")
def session_delete(request, pk):
    session = access_session(request.user, pk, write=True)
    return post_action(
        request,
        None,
        save=lambda _data: services.session_delete(actor=request.user, session=session),
        success=_("Sesi dihapus."),
        done=reverse("training:cohort_schedule", args=[session.cohort_id]),
    )


@capability_required("training.manage")
def cohort_close(request, pk):
    cohort = access_cohort(request.user, pk, write=True)
    schedule = schedule_progress(cohort)
    outcomes = cohort_completion(cohort, schedule=schedule)
    if request.method == "POST":
        try:
            summary = services.cohort_close(cohort=cohort, actor=request.user)
        except ValidationError as error:
            _errors_to_messages(request, error)
        else:
            messages.success(
                request,
                _("Angkatan ditutup: %(completed)s lulus, %(failed)s tidak lulus.") % summary,
            )
            return redirect("training:cohort_detail", pk=cohort.pk)
    return render(
        request,
        "training/cohort_close.html",
        {
            "cohort": cohort,
            "outcomes": outcomes,
            "schedule": schedule,
            "passing": sum(1 for _e, c in outcomes if c.requirements_met),
            "undone": cohort.sessions.filter(
                date__lte=timezone.localdate(), register_saved_at__isnull=True
            ).count(),
        },
    )


def _cohort_certificates(request, pk):
    cohort = access_cohort(request.user, pk)
    certificates = list(
        Certificate.objects.filter(enrolment__cohort=cohort).order_by("holder_name", "pk")
    )
    if not certificates:
        raise Http404
    return cohort, certificates


@capability_required("training.view")
def cohort_certificates_pdf(request, pk):
    cohort, certificates = _cohort_certificates(request, pk)
    audit_access(
        actor=request.user,
        action="training.certificates.export_pdf",
        target=cohort,
        kind=AuditLog.Kind.EXPORT,
        detail={"certificates": len(certificates)},
    )
    response = HttpResponse(certificates_pdf(certificates), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-angkatan-{cohort.pk}.pdf"'
    return response


@capability_required("training.view")
def cohort_certificates_zip(request, pk):
    cohort, certificates = _cohort_certificates(request, pk)
    audit_access(
        actor=request.user,
        action="training.certificates.export_zip",
        target=cohort,
        kind=AuditLog.Kind.EXPORT,
        detail={"certificates": len(certificates)},
    )
    response = HttpResponse(certificates_zip(certificates), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-angkatan-{cohort.pk}.zip"'
    return response


@capability_required("training.view")
def cohort_costs(request, pk):
    cohort = access_cohort(request.user, pk, write=request.method == "POST")
    form = CostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cost_record(cohort=cohort, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Biaya dicatat."))
            return redirect("training:cohort_costs", pk=cohort.pk)
    costs = cohort.costs.select_related("recorded_by")
    by_payer = costs.values("payer").annotate(total=Sum("amount")).order_by("payer")
    zero_cost = services.cohort_zero_cost_job_types(cohort)
    lines = list(costs)
    for line in lines:
        line.ruling = services.cost_ruling(
            item=line.item,
            payer=line.payer,
            zero_cost=bool(zero_cost),
            description=line.description,
        )
    # what the trainee may pay of this programme's own costs, and on what basis (the page's note)
    trainee_rulings = [
        services.cost_ruling(item=item, payer=Payer.CANDIDATE, zero_cost=bool(zero_cost))
        for item in CostItem.values
    ]
    return render(
        request,
        "training/cohort_costs.html",
        {
            "cohort": cohort,
            "form": form,
            "costs": lines,
            "by_payer": [
                (TrainingCost(payer=row["payer"]).get_payer_display(), row["total"])
                for row in by_payer
            ],
            "total": costs.aggregate(total=Sum("amount"))["total"] or 0,
            "zero_cost": zero_cost,
            "trainee_may_pay": any(r.allowed for r in trainee_rulings),
            "trainee_basis": "; ".join(
                dict.fromkeys(s.cite() for r in trainee_rulings for s in r.sources)
            ),
            "may_manage": can(request.user, "training.manage"),
            "reason_form": ReasonForm(),
        },
    )


@require_POST
@capability_required("training.manage")
def cost_delete(request, pk):
    cost = TrainingCost.objects.filter(pk=pk).first()
    if cost is None:
        raise Http404
    access_cohort(request.user, cost.cohort_id, write=True)
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.cost_delete(cost=cost, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Biaya dihapus."))
    else:
        messages.error(request, _("Tulis alasan biaya ini dihapus."))
    return redirect("training:cohort_costs", pk=cost.cohort_id)


# --- attendance register --------------------------------------------------------------------------
def _statuses():
    return AttendanceStatus.choices


@capability_required("training.view")
def register(request, pk):
    """The register of one session: everyone present by default; tap the ones who are not."""
    session = access_session(request.user, pk, write=request.method == "POST")
    if request.method == "POST":
        statuses = {}
        for key, value in request.POST.items():
            if key.startswith("s-") and key[2:].isdigit():
                statuses[int(key[2:])] = value
        return post_action(
            request,
            None,
            save=lambda _data: services.attendance_register_save(
                session=session, statuses=statuses, actor=request.user
            ),
            success=lambda counts: (
                _(
                    "Absensi disimpan: %(present)s hadir, %(late)s terlambat, %(excused)s izin/sakit, %(absent)s tidak hadir."
                )
                % counts
            ),
            done=reverse("training:register", args=[session.pk]),
        )
    today = timezone.localdate()
    return render(
        request,
        "training/register.html",
        {
            "session": session,
            "cohort": session.cohort,
            "rows": register_rows(session),
            "statuses": _statuses(),
            "editable": can(request.user, "training.manage")
            and not session.cohort.closed_at
            and session.date <= today,
            "today": today,
        },
    )


@require_POST
@capability_required("training.manage")
def register_mark(request, pk, enrolment_pk):
    """One tap (HTMX): returns the trainee's row; without HTMX, back to the register."""
    session = access_session(request.user, pk, write=True)
    enrolment = access_enrolment(request.user, enrolment_pk, write=True)
    status = request.POST.get(f"s-{enrolment.pk}") or request.POST.get("status", "")
    error_message = ""
    try:
        services.attendance_mark(
            session=session, enrolment=enrolment, status=status, actor=request.user
        )
    except ValidationError as error:
        error_message = " ".join(error.messages)
    if not request.htmx:
        if error_message:
            messages.error(request, error_message)
        return redirect("training:register", pk=session.pk)
    return render(
        request,
        "training/_register_row.html",
        {
            "row": register_row(session, enrolment),
            "session": session,
            "statuses": _statuses(),
            "editable": True,
            "error": error_message,
        },
    )


# --- trainees -------------------------------------------------------------------------------------
@capability_required("training.view")
def enrolment_detail(request, pk):
    enrolment = access_enrolment(request.user, pk)
    attendance = enrolment.attendance.select_related("session").order_by("session__date")
    return render(
        request,
        "training/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "cohort": enrolment.cohort,
            "check": completion_check(enrolment)
            if enrolment.status == EnrolmentStatus.ENROLLED
            else None,
            "attendance": attendance,
            "assessments": enrolment.candidate.assessments.select_related("job_type"),
            "position": waiting_position(enrolment),
            "certificate": Certificate.objects.filter(enrolment=enrolment).first(),
            "may_manage": can(request.user, "training.manage"),
            "tests": Test.choices,
            "reason_form": ReasonForm(),
        },
    )


@require_POST
@capability_required("training.manage")
def enrolment_withdraw(request, pk):
    enrolment = access_enrolment(request.user, pk, write=True)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tulis alasan peserta keluar."))
        return redirect("training:enrolment_detail", pk=enrolment.pk)
    return post_action(
        request,
        form,
        save=lambda data: services.enrolment_withdraw(
            enrolment=enrolment, actor=request.user, reason=data["reason"]
        ),
        success=_("Peserta dicatat keluar. Kursinya diberikan ke daftar tunggu."),
        done=reverse("training:cohort_detail", args=[enrolment.cohort_id]),
    )


@require_POST
@capability_required("training.manage")
def enrolment_complete(request, pk):
    enrolment = access_enrolment(request.user, pk, write=True)
    return post_action(
        request,
        None,
        save=lambda _data: services.enrolment_complete(enrolment=enrolment, actor=request.user),
        success=lambda certificate: (
            _("Peserta lulus. Sertifikat %(n)s terbit.") % {"n": certificate.number}
        ),
        done=reverse("training:enrolment_detail", args=[enrolment.pk]),
    )


@require_POST
@capability_required("training.manage")
def enrolment_fail(request, pk):
    enrolment = access_enrolment(request.user, pk, write=True)
    return post_action(
        request,
        ReasonForm(request.POST),
        save=lambda data: services.enrolment_fail(
            enrolment=enrolment, actor=request.user, reason=data["reason"]
        ),
        success=_("Peserta dinyatakan tidak lulus; ia bisa mendaftar ulang."),
        invalid=_("Tulis alasan peserta tidak lulus."),
        done=reverse("training:enrolment_detail", args=[enrolment.pk]),
    )


@capability_required("training.manage")
def assessment_create(request, pk):
    enrolment = access_enrolment(request.user, pk, write=True)
    test = request.GET.get("ujian") or request.POST.get("ujian") or Test.JFT_BASIC
    if test not in Test.values:
        raise Http404
    form = AssessmentForm(request.POST or None, test=test)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_record(
                candidate=enrolment.candidate,
                enrolment=enrolment,
                actor=request.user,
                data=form.service_data(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Hasil ujian dicatat."))
            return redirect("training:enrolment_detail", pk=enrolment.pk)
    return render(
        request,
        "training/assessment_form.html",
        {
            "enrolment": enrolment,
            "form": form,
            "test": test,
            "test_label": Test(test).label,
            "tests": Test.choices,
        },
    )


@require_POST
@capability_required("training.manage")
def assessment_delete(request, pk):
    assessment = access_assessment(request.user, pk, write=True)
    back = request.POST.get("next_enrolment", "")
    return post_action(
        request,
        ReasonForm(request.POST),
        save=lambda data: services.assessment_delete(
            assessment=assessment, actor=request.user, reason=data["reason"]
        ),
        success=_("Hasil ujian dihapus."),
        invalid=_("Tulis alasan hasil ini dihapus."),
        done=reverse("training:enrolment_detail", args=[int(back)])
        if back.isdigit()
        else reverse("training:cohort_list"),
    )


# --- certificates ---------------------------------------------------------------------------------
@login_only
def certificate_download(request, pk):
    """One certificate PDF, for staff who see the cohort and for the certificate's holder."""
    certificate = access_certificate(request.user, pk)
    audit_access(actor=request.user, action="training.certificate.download", target=certificate)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response


@require_POST
@capability_required("training.manage")
def certificate_revoke(request, pk):
    certificate = access_certificate(request.user, pk, write=True)
    return post_action(
        request,
        ReasonForm(request.POST),
        save=lambda data: services.certificate_revoke(
            certificate=certificate, actor=request.user, reason=data["reason"]
        ),
        success=_("Sertifikat dicabut. Halaman cek publik menampilkannya."),
        invalid=_("Tulis alasan sertifikat dicabut."),
        done=reverse("training:enrolment_detail", args=[certificate.enrolment_id]),
    )


# The check is public and a number's last part is 4 random characters (about a million choices):
# misses are counted per address (see certificate_check, shared with the API).
def _misses_used_up() -> ValidationError:
    return ValidationError(
        _(
            "Terlalu banyak nomor yang tidak ditemukan dari alamat ini. Periksa nomor pada "
            "sertifikat, lalu coba lagi satu jam lagi, atau tanyakan ke kantor Disnakertrans."
        ),
        code="misses",
    )


def _certificate_misses_used_up(request) -> bool:
    return misses_used_up(client_ip(request))


def _certificate_miss(request) -> None:
    count_miss(client_ip(request))


@public
@never_cache
def certificate_check(request):
    form = CertificateCheckForm(request.GET or None)
    found, searched = None, False
    if form.is_valid():
        if _certificate_misses_used_up(request):
            form.add_error("nomor", _misses_used_up())
        else:
            searched = True
            found = public_certificate(certificate_by_number(form.cleaned_data["nomor"]))
            if found is None:
                _certificate_miss(request)
    return render(
        request,
        "training/certificate_check.html",
        {"form": form, "found": found, "searched": searched},
        status=429 if form.has_error("nomor", "misses") else 200,
    )


@public
@never_cache
def certificate_verify(request, token):
    form = CertificateCheckForm()
    if _certificate_misses_used_up(request):
        return render(
            request,
            "training/certificate_check.html",
            {"form": form, "found": None, "searched": False, "refused": _misses_used_up().message},
            status=429,
        )
    certificate = certificate_by_token(token)
    if certificate is None:
        _certificate_miss(request)
    return render(
        request,
        "training/certificate_check.html",
        {"form": form, "found": public_certificate(certificate), "searched": True},
        status=200 if certificate else 404,
    )


# --- programmes, providers, scales ----------------------------------------------------------------
@capability_required("training.view")
def programme_list(request):
    programmes = Programme.objects.prefetch_related("pathways", "job_types").annotate(
        used=Count(
            "cohorts__enrolments__candidate",
            filter=Q(
                cohorts__enrolments__status__in=[
                    EnrolmentStatus.ENROLLED,
                    EnrolmentStatus.COMPLETED,
                ]
            ),
            distinct=True,
        )
    )
    return render(request, "training/programme_list.html", {"programmes": programmes})


@capability_required("training.view")
def programme_detail(request, pk):
    programme = access_programme(request.user, pk)
    cohorts = list(cohorts_for(request.user).filter(programme=programme).order_by(*COHORT_ORDER))
    cohort_counts(cohorts)
    return render(
        request,
        "training/programme_detail.html",
        {
            "programme": programme,
            "cohorts": cohorts,
            "used": quota_used(programme),
            "today": timezone.localdate(),
            "requirements": [requirement_label(r) for r in programme.required_assessments],
        },
    )


@capability_required("training.programmes.manage")
def programme_edit(request, pk=None):
    programme = access_programme(request.user, pk, write=True) if pk else Programme()
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            if pk:
                programme = services.programme_update(
                    actor=request.user,
                    programme=programme,
                    data=form.service_data(),
                    pathways=form.cleaned_data["pathways"],
                    job_types=form.cleaned_data["job_types"],
                )
            else:
                programme = services.programme_create(
                    actor=request.user,
                    data=form.service_data(),
                    pathways=form.cleaned_data["pathways"],
                    job_types=form.cleaned_data["job_types"],
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Program disimpan."))
            return redirect("training:programme_detail", pk=programme.pk)
    return render(request, "training/programme_form.html", {"form": form, "programme": programme})


@capability_required("training.view")
def provider_list(request):
    return render(
        request,
        "training/provider_list.html",
        {"providers": providers_for(request.user), "today": timezone.localdate()},
    )


@capability_required("training.programmes.manage")
def provider_edit(request, pk=None):
    provider = access_provider(request.user, pk, write=True) if pk else None

    def save(data):
        organisation = data.pop("organisation", None)
        if provider:
            return services.provider_update(actor=request.user, provider=provider, data=data)
        return services.provider_create(actor=request.user, organisation=organisation, data=data)

    return form_page(
        request,
        ProviderForm(request.POST or None, instance=provider),
        save=save,
        success=_("Lembaga pelatihan disimpan."),
        done=reverse("training:provider_list"),
        template="training/provider_form.html",
        context={"provider": provider},
    )


@capability_required("training.view")
def scale_list(request):
    return render(
        request,
        "training/scale_list.html",
        {"settings": ScaleSetting.objects.all(), "jlpt_rules": _jlpt_table()},
    )


def _jlpt_table():
    from .scales import JLPT_RULES

    return [(level, rule) for level, rule in sorted(JLPT_RULES.items())]


@capability_required("training.programmes.manage")
def scale_edit(request, pk):
    setting = ScaleSetting.objects.filter(pk=pk).first()
    if setting is None:
        raise Http404

    def save(data):
        reason = data.pop("reason")
        return services.scale_setting_update(
            setting=setting, actor=request.user, data=data, reason=reason
        )

    return form_page(
        request,
        ScaleSettingForm(request.POST or None, instance=setting),
        save=save,
        success=_("Pengaturan skala disimpan."),
        done=reverse("training:scale_list"),
        template="training/scale_form.html",
        context={"setting": setting},
    )
