"""Which tables hold data about a candidate, found from the models themselves.

Every model with a foreign key to Candidate ("direct"), and every model with a foreign key to one of
those ("indirect"), is part of a candidate's personal data. Export and erasure both walk this graph,
so a new model that stores data about a person is covered (or fails the policy test) automatically.
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

from jalur.candidates.models import Candidate

# Relations that point at a candidate without holding data about them (or that are the candidate).
IGNORED = {"candidates.Candidate"}

# What the person is shown for each table on "Data pribadi saya": the privacy app names them itself,
# in Indonesian, because several models elsewhere have only Django's English default name.
# The test fails when a table that refers to a candidate has no name here.
NAMES = {
    "candidates.StageHistory": _("riwayat tahap"),
    "candidates.ConsentRecord": _("persetujuan data pribadi"),
    "candidates.CandidateDocument": _("dokumen yang diunggah"),
    "candidates.VerificationDecision": _("keputusan verifikasi"),
    "candidates.DuplicateFlag": _("pemeriksaan kemungkinan data ganda"),
    "pathways.PathwayAssignment": _("penetapan skema penempatan"),
    "training.Enrolment": _("keikutsertaan pelatihan"),
    "training.EnrolmentProposal": _("usulan peserta pelatihan"),
    "training.Attendance": _("catatan kehadiran pelatihan"),
    "training.Assessment": _("hasil ujian"),
    "training.Certificate": _("sertifikat pelatihan"),
    "training.SelectionFacts": _("ringkasan kehadiran dan nilai bahasa untuk seleksi"),
    "training.SkillFacts": _("ringkasan uji keterampilan untuk seleksi"),
    "placement.Application": _("lamaran kerja"),
    "placement.ApplicationEvent": _("riwayat lamaran kerja"),
    "placement.MatchingProposal": _("usulan lowongan dari pencocokan program"),
    "departure.DepartureCase": _("persiapan keberangkatan"),
    "departure.ChecklistItem": _("butir daftar periksa keberangkatan"),
    "departure.ContractReview": _("pemeriksaan kontrak kerja"),
    "departure.PassportCustody": _("catatan penitipan paspor"),
    "departure.FeeEntry": _("catatan biaya penempatan"),
    "departure.NoFeeStatement": _("pernyataan bebas biaya penempatan"),
    "departure.IdentityNumber": _("nomor paspor, E-PMI dan ID PMI"),
    "departure.ReconciliationRow": _("pencocokan data dengan SISKOP2MI"),
    "notifications.Notification": _("pesan Jalur"),
    "notifications.OutboxMessage": _("pesan yang dikirim lewat e-mail, WhatsApp atau SMS"),
    "notifications.InboundMessage": _("pesan WhatsApp/SMS yang dikirim ke nomor Jalur"),
    "crisis.UrgentCase": _("kasus darurat"),
    "crisis.UrgentStep": _("langkah penanganan kasus darurat"),
    "privacy.Anonymisation": _("penghapusan data pribadi"),
    "privacy.RightsRequest": _("permintaan perbaikan atau penghapusan data"),
    "privacy.ConsentAnswer": _("jawaban atas teks persetujuan"),
    "protection.ArrivalConfirmation": _("konfirmasi kedatangan"),
    "protection.CheckIn": _("laporan kabar"),
    "protection.CheckInEscalation": _("tindak lanjut laporan kabar yang terlewat"),
    "protection.FamilyNoticeConsent": _("persetujuan keluarga diberi tahu"),
    "protection.FamilyLink": _("kode keluarga"),
    "protection.Grievance": _("pengaduan"),
    "protection.GrievanceEvent": _("riwayat pengaduan"),
    "protection.GrievanceEvidence": _("bukti pengaduan"),
    "protection.ReturnRecord": _("kepulangan"),
    "protection.ReintegrationFollowUp": _("tindak lanjut reintegrasi setelah pulang"),
}


@dataclass(frozen=True)
class Link:
    model: type[models.Model]
    path: str  # lookup from the model to the candidate, e.g. "enrolment__candidate"

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def name(self) -> str:
        return str(NAMES.get(self.label, self.model._meta.verbose_name_plural))


@cache
def candidate_links() -> tuple[Link, ...]:
    direct: list[Link] = []
    for model in apps.get_models():
        if not model.__module__.startswith("jalur.") or model._meta.label in IGNORED:
            continue
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey | models.OneToOneField)
                and field.related_model is Candidate
            ):
                direct.append(Link(model, field.name))
    links = list(direct)
    direct_models = {link.model: link for link in direct}
    for model in apps.get_models():
        if (
            not model.__module__.startswith("jalur.")
            or model in direct_models
            or model._meta.label in IGNORED
        ):
            continue
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey | models.OneToOneField)
                and field.related_model in direct_models
            ):
                parent = direct_models[field.related_model]
                links.append(Link(model, f"{field.name}__{parent.path}"))
                break
    return tuple(links)


def rows_for(candidate: Candidate, link: Link):
    return link.model.objects.filter(**{link.path: candidate}).distinct()
