"""A candidate's documents: an upload (checked by content, the previous one kept), a
verifier's review, and the daily expiry."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.roles import can
from jalur.audit.services import audit_record
from jalur.notifications.services import notify

from ..models import (
    Candidate,
    CandidateDocument,
    DocumentStatus,
    DocumentType,
)
from ..uploads import document_file_check
from ._shared import _user_or_none


def document_upload(
    *,
    candidate: Candidate,
    document_type: DocumentType,
    upload,
    actor,
    expires_on=None,
    today=None,
) -> CandidateDocument:
    """Store a checked file as the candidate's current document of this type (the old one is kept)."""
    today = today or timezone.localdate()
    errors = {}
    if not document_type.is_active:
        errors["document_type"] = [_("Jenis dokumen ini tidak dipakai lagi.")]
    if document_type.has_expiry and not expires_on:
        errors["expires_on"] = [_("Isi tanggal berlaku sampai, sesuai yang tertulis di dokumen.")]
    elif expires_on and expires_on < today:
        errors["expires_on"] = [
            _("Dokumen ini sudah tidak berlaku. Unggah dokumen yang masih berlaku.")
        ]
    try:
        checked = document_file_check(upload)
    except ValidationError as error:
        errors["file"] = error.messages
    if errors:
        raise ValidationError(errors)
    document = CandidateDocument(
        candidate=candidate,
        document_type=document_type,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
        expires_on=expires_on if document_type.has_expiry else None,
        uploaded_by=_user_or_none(actor),
    )
    # The file is written first; if the rows then fail, the file is removed again.
    document.file.save("dokumen", ContentFile(checked.content), save=False)
    try:
        with transaction.atomic():
            Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
            now = timezone.now()
            previous = CandidateDocument.objects.filter(
                candidate=candidate, document_type=document_type, superseded_at__isnull=True
            ).first()
            if previous is not None:
                if (
                    previous.status == DocumentStatus.ACCEPTED
                    and not previous.is_expired_on(today)
                    and not (can(actor, "candidates.verify") or can(actor, "candidates.edit"))
                ):
                    raise ValidationError(
                        {"file": [_("Dokumen ini sudah diterima petugas dan tidak perlu diganti.")]}
                    )
                previous.superseded_at = now
                previous.save(update_fields=["superseded_at"])
            document.uploaded_at = now
            document.save()
            audit_record(
                actor=actor,
                action="document.upload",
                target=document,
                changes={
                    "document_type": [None, document_type.code],
                    "replaces": [None, previous.pk if previous else None],
                },
            )
    except BaseException:
        default_storage.delete(document.file.name)
        raise
    return document


def document_review(
    *, document: CandidateDocument, actor, accept: bool, reason: str = "", today=None
) -> CandidateDocument:
    """A verifier accepts a document, or rejects it with the reason shown to the candidate."""
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError(
            {
                "reason": [
                    _("Tulis alasan penolakan, agar pencari kerja tahu apa yang harus diperbaiki.")
                ]
            }
        )
    with transaction.atomic():
        locked = CandidateDocument.objects.select_for_update().get(pk=document.pk)
        if locked.superseded_at is not None:
            raise ValidationError(
                _("Dokumen ini sudah diganti dengan unggahan baru. Muat ulang halaman.")
            )
        if accept and locked.expires_on and locked.expires_on < today:
            raise ValidationError(
                _("Dokumen ini sudah lewat masa berlakunya; tolak dan minta yang baru.")
            )
        before = [locked.status, locked.rejection_reason]
        locked.status = DocumentStatus.ACCEPTED if accept else DocumentStatus.REJECTED
        locked.rejection_reason = "" if accept else reason[:300]
        locked.reviewed_by = _user_or_none(actor)
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["status", "rejection_reason", "reviewed_by", "reviewed_at"])
        audit_record(
            actor=actor,
            action="document.review",
            target=locked,
            changes={"status": [before[0], locked.status]},
            reason=locked.rejection_reason,
        )
    return locked


def documents_expire(*, today=None) -> int:
    """Mark current documents past their expiry date as expired and tell the candidate."""
    today = today or timezone.localdate()
    due = (
        CandidateDocument.objects.filter(superseded_at__isnull=True, expires_on__lt=today)
        .exclude(status=DocumentStatus.EXPIRED)
        .select_related("candidate__user", "document_type")
    )
    count = 0
    for document in due:
        with transaction.atomic():
            before = document.status
            document.status = DocumentStatus.EXPIRED
            document.save(update_fields=["status"])
            audit_record(
                actor=None,
                action="document.expire",
                target=document,
                changes={"status": [before, DocumentStatus.EXPIRED]},
            )
            if document.candidate.user_id:
                notify(
                    user=document.candidate.user,
                    key="document_expired",
                    context={"document": document.document_type.name, "date": document.expires_on},
                    link="/pencaker/saya/",
                )
        count += 1
    return count
