"""Filters of the dashboard, the operational lists and the monthly report (all read-only, by GET)."""

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalur.candidates.stages import Stage
from jalur.pathways.models import Country, JobType

from .selectors.periods import Filters, add_months

UNKNOWN = "-"
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class MonthField(forms.CharField):
    """A month written YYYY-MM (what <input type=month> sends), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = MONTH_RE.match(value.strip())
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
            raise forms.ValidationError(_("Tulis bulan sebagai tahun-bulan, misalnya 2026-03."))
        return datetime.date(int(match.group(1)), int(match.group(2)), 1)


def this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)


class DashboardFilterForm(forms.Form):
    start = MonthField(label=_("Dari bulan"), required=False)
    end = MonthField(label=_("Sampai bulan"), required=False)
    country = forms.ChoiceField(label=_("Negara tujuan"), required=False)
    job_type = forms.ChoiceField(label=_("Jenis pekerjaan"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [
            ("", _("Semua negara")),
            *Country.choices,
            (UNKNOWN, _("Belum diketahui")),
        ]
        self.fields["job_type"].choices = [
            ("", _("Semua jenis pekerjaan")),
            *[(str(pk), name) for pk, name in JobType.objects.values_list("pk", "name")],
            (UNKNOWN, _("Belum diketahui")),
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("Bulan akhir harus sama dengan atau sesudah bulan awal."))
        return data

    def filters(self) -> Filters:
        """The chosen filters; the last twelve months when the form is empty or wrong."""
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or this_month()
        start = data.get("start") or add_months(end, -11)
        return Filters(
            start=start,
            end=end,
            country=data.get("country") or "",
            job_type=data.get("job_type") or "",
        )


class StuckFilterForm(forms.Form):
    days = forms.IntegerField(
        label=_("Lebih lama dari (hari)"), min_value=1, max_value=3650, required=False
    )
    stage = forms.ChoiceField(label=_("Tahap"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .operational import STUCK_STAGES

        self.fields["stage"].choices = [("", _("Semua tahap yang masih berjalan"))] + [
            (s, Stage(s).label) for s in STUCK_STAGES
        ]

    def values(self) -> tuple[int, str]:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("days") or 30, data.get("stage") or ""


class CohortFilterForm(forms.Form):
    days = forms.IntegerField(
        label=_("Mulai dalam (hari ke depan)"), min_value=1, max_value=365, required=False
    )

    def value(self) -> int:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("days") or 30


class MonthlyReportForm(forms.Form):
    month = MonthField(label=_("Bulan laporan"), required=False)

    def clean_month(self):
        month = self.cleaned_data.get("month")
        if month and month > this_month():
            raise forms.ValidationError(
                _(
                    "Bulan itu belum dimulai, jadi belum ada laporannya. Pilih bulan ini atau bulan yang sudah lewat."
                )
            )
        return month

    def month_value(self) -> datetime.date | None:
        """The chosen month, last month when none is chosen, None when the choice is refused."""
        if self.is_bound and not self.is_valid():
            return None
        data = self.cleaned_data if self.is_bound else {}
        return data.get("month") or add_months(this_month(), -1)
