"""Users, organisations and their roles."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .roles import OrganisationKind, Role


class Organisation(models.Model):
    kind = models.CharField(_("jenis"), max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(_("nama"), max_length=200)
    code = models.SlugField(_("kode"), max_length=50, unique=True)
    address = models.TextField(_("alamat"), blank=True)
    phone = models.CharField(_("telepon"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisasi")
        verbose_name_plural = _("organisasi")

    def __str__(self) -> str:
        return self.name


class JalurUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(**{self.model.USERNAME_FIELD: username})


class User(AbstractUser):
    """A person who logs in. Candidates log in with their phone number or e-mail."""

    role = models.CharField(_("peran"), max_length=32, choices=Role.choices, default=Role.CANDIDATE)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisasi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    full_name = models.CharField(_("nama lengkap"), max_length=200, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, null=True, blank=True, unique=True)
    email = models.EmailField(_("e-mail"), null=True, blank=True, unique=True)
    language = models.CharField(_("bahasa"), max_length=8, default="id")

    objects = JalurUserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.CheckConstraint(
                condition=Q(role=Role.CANDIDATE, organisation__isnull=True)
                | ~Q(role=Role.CANDIDATE),
                name="candidate_user_has_no_organisation",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="user_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self):
        super().clean()
        # AbstractUser.clean() turns a missing e-mail into "", which would collide on the unique index.
        self.email = self.email or None
        self.phone = self.phone or None

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    @property
    def role_label(self) -> str:
        return Role(self.role).label
