"""Records of personal data removed under the retention rule (who, when, why)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Anonymisation(models.Model):
    candidate = models.OneToOneField(
        "candidates.Candidate", on_delete=models.PROTECT, related_name="anonymisation"
    )
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("alasan"))

    class Meta:
        verbose_name = _("penghapusan data pribadi")
        verbose_name_plural = _("penghapusan data pribadi")

    def __str__(self) -> str:
        return f"anonimisasi pencari kerja #{self.candidate_id}"
