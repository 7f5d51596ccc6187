"""Who opened a person's data (UU PDP Pasal 7): the read rows of the audit trail about them and
about their documents, told as organisation, role, when and why, never a staff member's name."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jalur.accounts.roles import Role
from jalur.audit.models import AuditLog
from jalur.candidates.models import Candidate

from .graph import candidate_links, rows_for

# The tables whose rows are opened as documents of the person (their reads are theirs too).
READ_TARGETS = {
    "candidates.CandidateDocument",
    "departure.ChecklistItem",
    "departure.FeeEntry",
    "departure.DepartureCase",
    "protection.Grievance",
    "training.Certificate",
}

PURPOSES = {
    "candidate.view": _("Membuka profil Anda"),
    "candidate.search": _("Mencari dengan NIK atau nomor HP Anda"),
    "candidate.duplicate_view": _("Memeriksa kemungkinan data ganda"),
    "candidate.document": _("Membuka dokumen Anda"),
    "privacy.personal_data_export": _("Mengunduh seluruh data Anda"),
    "candidate.export": _("Ekspor daftar pencari kerja"),
    "grievance.view": _("Membuka pengaduan Anda"),
    "protection.worker_view": _("Membuka data Anda sebagai pekerja di luar negeri"),
    "crisis.case_view": _("Membuka kasus darurat Anda"),
    "departure.manifest": _("Mengunduh manifes keberangkatan"),
}


def reads_about(candidate: Candidate):
    """The read and export rows about the person, newest first (a queryset, to paginate)."""
    match = Q(
        content_type=ContentType.objects.get_for_model(Candidate), object_id=str(candidate.pk)
    )
    for link in candidate_links():
        if link.label in READ_TARGETS:
            ids = [str(pk) for pk in rows_for(candidate, link).values_list("pk", flat=True)]
            if ids:
                match |= Q(
                    content_type=ContentType.objects.get_for_model(link.model), object_id__in=ids
                )
    return (
        AuditLog.objects.filter(match, kind__in=[AuditLog.Kind.VIEW, AuditLog.Kind.EXPORT])
        .select_related("actor__organisation")
        .order_by("-created_at", "-id")
    )


def who_read(row: AuditLog, *, candidate: Candidate) -> dict:
    """One line of the person's list: organisation, role, when, why; no names."""
    actor = row.actor
    if actor is None:
        organisation, role = _("Sistem Jalur"), ""
    elif actor.pk == candidate.user_id:
        organisation, role = _("Anda sendiri"), ""
    else:
        organisation = actor.organisation.name if actor.organisation_id else "—"
        role = Role(actor.role).label if actor.role in Role.values else ""
    purpose = PURPOSES.get(row.action)
    if purpose is None:
        purpose = _("Membuka dokumen Anda") if row.kind == AuditLog.Kind.VIEW else _("Ekspor data")
    return {"organisation": organisation, "role": role, "at": row.created_at, "purpose": purpose}
