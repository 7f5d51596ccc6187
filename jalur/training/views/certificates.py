"""Certificates: a cohort's as one PDF or a ZIP, one trainee's, revoking one, and the public
check of a certificate's number or QR code."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required, login_only, public
from jalur.audit.models import AuditLog
from jalur.audit.services import audit_access
from jalur.core.forms_errors import post_action
from jalur.core.network import client_ip

from .. import services
from ..access import access_certificate, access_cohort
from ..certificate_check import (
    certificate_by_number,
    certificate_by_token,
    count_miss,
    misses_used_up,
    public_certificate,
)
from ..certificates import certificate_pdf, certificates_pdf, certificates_zip
from ..forms import CertificateCheckForm, ReasonForm
from ..models import Certificate


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
