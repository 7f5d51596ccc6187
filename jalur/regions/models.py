"""Kemendagri region codes (what a NIK uses; never BPS codes).

Provinces, kabupaten/kota and kecamatan cover all Indonesia; kelurahan/desa are loaded for the home
region only. Codes are stored dotted (36.73.01.1001).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    code = models.CharField(_("kode"), max_length=2, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")

    def __str__(self) -> str:
        return self.name


class Regency(models.Model):
    code = models.CharField(_("kode"), max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regencies")
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """Kecamatan (distrik in Papua)."""

    code = models.CharField(_("kode"), max_length=8, primary_key=True)
    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    """Kelurahan/desa, loaded for the home region."""

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="villages")
    name = models.CharField(_("nama"), max_length=100)
    aliases = models.JSONField(_("ejaan lain"), default=list, blank=True)
    postcode = models.CharField(_("kode pos"), max_length=5, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kelurahan")
        verbose_name_plural = _("kelurahan")

    def __str__(self) -> str:
        return self.name


class HistoricalCode(models.Model):
    """A kab/kota or kecamatan code from an older Kemendagri list, still found in old NIKs."""

    class Level(models.TextChoices):
        REGENCY = "kabupaten_kota", _("kabupaten/kota")
        DISTRICT = "kecamatan", _("kecamatan")

    code = models.CharField(_("kode lama"), max_length=8, primary_key=True)
    level = models.CharField(max_length=16, choices=Level.choices)
    last_name = models.CharField(_("nama terakhir"), max_length=100)
    last_seen_in = models.CharField(max_length=200, blank=True)
    current_code = models.CharField(_("kode sekarang"), max_length=8, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kode wilayah lama")
        verbose_name_plural = _("kode wilayah lama")

    def __str__(self) -> str:
        return f"{self.code} {self.last_name}"
