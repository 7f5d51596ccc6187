"""API tokens: how another system (the office's integration, a P3MI's own system) calls the API.

Each token acts through its own service account (a `User` with the token's role and organisation,
no password, no phone or e-mail), so every access check, selector and audit row that works for a
person works for the token unchanged, and the audit trail names the token that acted.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalur.accounts.roles import Role


class ApiToken(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisasi"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun layanan"),
        on_delete=models.PROTECT,
        related_name="api_token",
    )
    role = models.CharField(_("peran"), max_length=32, choices=Role.choices)
    name = models.CharField(_("nama"), max_length=100)
    # Public part of the token, shown in lists and logs; the secret is kept only as its SHA-256.
    prefix = models.CharField(_("awalan"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicabut oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoke_reason = models.TextField(_("alasan pencabutan"), blank=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="api_token_revoked_by_someone",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.CANDIDATE), name="api_token_not_candidate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def audit_label(self) -> str:
        return f"token API {self.prefix}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired
