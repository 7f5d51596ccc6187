"""A person's requests to correct (UU PDP Pasal 6) or erase (Pasal 8) their data, and the office's
decisions: a correction accepted goes through the normal update service; an erasure accepted erases
now what the law lets go and schedules the rest (`rules.privacy.kept_until`)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalur.audit.services import audit_record
from jalur.candidates.models import Candidate
from jalur.candidates.services import candidate_update
from jalur.candidates.stages import Stage
from jalur.candidates.uploads import document_file_check
from jalur.notifications.services import notify

from .models import RightsRequest
from .services import candidate_anonymise, candidate_erase_now
from .withdraw import kept_records

# What a person may ask to correct, as the profile names it.
RECTIFIABLE = {
    "full_name": gettext_lazy("Nama lengkap"),
    "nik": gettext_lazy("NIK"),
    "kk_number": gettext_lazy("Nomor KK"),
    "birth_place": gettext_lazy("Tempat lahir"),
    "birth_date": gettext_lazy("Tanggal lahir"),
    "street": gettext_lazy("Jalan/alamat"),
    "rt": gettext_lazy("RT"),
    "rw": gettext_lazy("RW"),
    "phone": gettext_lazy("Nomor HP/WhatsApp"),
    "email": gettext_lazy("E-mail"),
    "emergency_name": gettext_lazy("Nama kontak darurat/keluarga"),
    "emergency_phone": gettext_lazy("Nomor HP kontak darurat"),
    "education_major": gettext_lazy("Jurusan"),
    "work_experience": gettext_lazy("Pengalaman kerja"),
}
ERASABLE_STAGES = frozenset({Stage.WITHDRAWN, Stage.REJECTED, Stage.RETURNED})


def _open(candidate: Candidate, kind: str, *, actor, changes=None, note="", evidence=None):
    request = RightsRequest(
        candidate=candidate,
        kind=kind,
        changes=changes or {},
        note=note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if evidence is not None:
        checked = document_file_check(evidence)  # by content: a PDF or a photo, re-encoded
        extension = "pdf" if checked.content_type == "application/pdf" else "jpg"
        if checked.content_type == "image/png":
            extension = "png"
        request.evidence.save(f"bukti.{extension}", ContentFile(checked.content), save=False)
        request.evidence_type = checked.content_type
    try:
        with transaction.atomic():
            request.save()
            audit_record(
                actor=actor,
                action=f"privacy.request_{kind}",
                target=request,
                changes={"fields": [[], sorted(request.changes)]} if changes else None,
            )
    except IntegrityError:
        if request.evidence:
            request.evidence.delete(save=False)
        raise ValidationError(
            _("Permintaan yang sama masih menunggu keputusan kantor."), code="already_open"
        ) from None
    return request


def rectification_request(
    *, candidate: Candidate, actor, field: str, value: str, note: str = "", evidence=None
) -> RightsRequest:
    """The person asks for `field` to read `value`; the office decides."""
    if evidence is not None:
        try:
            document_file_check(evidence)
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from None
    if field not in RECTIFIABLE:
        raise ValidationError({"field": _("Pilih data yang ingin diperbaiki.")})
    value = (value or "").strip()
    if not value:
        raise ValidationError({"value": _("Tulis isi yang benar.")})
    if field == "birth_date":
        try:
            value = datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValidationError(
                {"value": _("Tulis tanggal lahir seperti 1998-05-17 (tahun-bulan-tanggal).")}
            ) from None
    if str(getattr(candidate, field) or "") == value:
        raise ValidationError({"value": _("Isi ini sama dengan yang sudah tersimpan.")})
    return _open(
        candidate,
        RightsRequest.Kind.RECTIFY,
        actor=actor,
        changes={field: value},
        note=note,
        evidence=evidence,
    )


def erasure_plan(candidate: Candidate):
    """(may erase at all, why not, kept records with their dates) for the erasure page."""
    if candidate.stage not in ERASABLE_STAGES:
        why = (
            _(
                "Anda sedang bekerja di luar negeri; pelindungan Anda membutuhkan data ini sampai pulang."
            )
            if candidate.stage == Stage.DEPARTED
            else _("Anda masih mengikuti program. Mengundurkan diri dulu, lalu minta penghapusan.")
        )
        return False, why, []
    left_on = timezone.localtime(candidate.stage_changed_at).date()
    return True, "", kept_records(candidate, left_on=left_on)


def erasure_request(*, candidate: Candidate, actor, note: str = "") -> RightsRequest:
    allowed, why, _kept = erasure_plan(candidate)
    if not allowed:
        raise ValidationError(why, code="not_erasable")
    return _open(candidate, RightsRequest.Kind.ERASE, actor=actor, note=note)


def _tell(request: RightsRequest, decision: str) -> None:
    user = request.candidate.user
    if user is not None and user.is_active:
        notify(
            user=user,
            key="privacy_request_decided",
            context={"candidate": request.candidate, "request": request, "decision": decision},
            link=reverse("privacy:my_data"),
        )


def request_decide(
    *, request: RightsRequest, actor, accept: bool, reason: str = ""
) -> RightsRequest:
    """The office accepts or refuses (with a reason the person reads). A correction accepted is
    applied by `candidate_update` (its own checks and audit); an erasure accepted erases now what
    may go and sets the day the rest goes."""
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("Tulis alasan penolakan; orangnya membacanya.")})
    with transaction.atomic():
        locked = RightsRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RightsRequest.Status.OPEN:
            raise ValidationError(_("Permintaan ini sudah diputuskan."), code="decided")
        candidate = locked.candidate
        if accept and locked.kind == RightsRequest.Kind.RECTIFY:
            data = dict(locked.changes)
            if "birth_date" in data:
                data["birth_date"] = datetime.date.fromisoformat(data["birth_date"])
            candidate_update(
                candidate=candidate,
                data=data,
                actor=actor,
                reason=_("Perbaikan atas permintaan pemilik data (#%(n)s)") % {"n": locked.pk},
            )
        elif accept:
            allowed, why, kept = erasure_plan(candidate)
            if not allowed:
                raise ValidationError(why)
            text = _("Penghapusan atas permintaan pemilik data (UU PDP Pasal 8), #%(n)s") % {
                "n": locked.pk
            }
            if kept:
                locked.erase_after = max(k.until for k in kept)
                candidate_erase_now(candidate=candidate, actor=actor, reason=text)
            else:  # nothing must be kept: everything goes now (the account too)
                candidate_anonymise(candidate=candidate, actor=actor, reason=text)
        locked.status = RightsRequest.Status.ACCEPTED if accept else RightsRequest.Status.REFUSED
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.decision_reason = reason
        locked.save()
        audit_record(
            actor=actor,
            action="privacy.request_decide",
            target=locked,
            changes={"status": ["open", locked.status]},
            reason=reason,
        )
        if not (accept and locked.kind == RightsRequest.Kind.ERASE and not locked.erase_after):
            _tell(locked, _("diterima") if accept else _("ditolak"))
    return locked


def erasures_due(*, today=None):
    """Accepted erasure requests whose kept records may now go."""
    today = today or timezone.localdate()
    return RightsRequest.objects.filter(
        kind=RightsRequest.Kind.ERASE,
        status=RightsRequest.Status.ACCEPTED,
        erase_after__lte=today,
        candidate__anonymisation__isnull=True,
    ).select_related("candidate")


def erasures_finish(*, today=None) -> int:
    count = 0
    for request in erasures_due(today=today):
        candidate_anonymise(
            candidate=request.candidate,
            actor=None,
            reason=_("Sisa data dihapus: masa simpan wajib berakhir (permintaan #%(n)s).")
            % {"n": request.pk},
        )
        count += 1
    return count
