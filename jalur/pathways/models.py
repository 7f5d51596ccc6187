"""Destinations and job types (KBJI 2014, Japan SSW field, Korea E-9 sector, zero-cost status)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    KOREA = "KR", _("Korea Selatan")
    JAPAN = "JP", _("Jepang")


class JobType(models.Model):
    code = models.SlugField(_("kode"), max_length=50, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    kbji_codes = models.CharField(
        _("kode KBJI 2014"),
        max_length=100,
        help_text=_("Satu atau lebih kode 4 digit, dipisah koma."),
    )
    ssw_field = models.CharField(_("bidang SSW Jepang"), max_length=100, blank=True)
    e9_sector = models.CharField(_("sektor E-9 Korea"), max_length=100, blank=True)
    zero_cost = models.BooleanField(
        _("jabatan bebas biaya penempatan"),
        default=False,
        help_text=_("Perban BP2MI 9/2020: pekerja tidak boleh dibebani biaya penempatan."),
    )
    zero_cost_basis = models.CharField(_("dasar hukum bebas biaya"), max_length=200, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("jenis pekerjaan")
        verbose_name_plural = _("jenis pekerjaan")

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return f"jenis pekerjaan {self.code}"
