from django.urls import path, register_converter

from . import open_data_views, views


class MonthNumberConverter:
    """A month number in a file name, written with two digits (2027-05); an old 2027-5 still opens."""

    regex = "1[0-2]|0?[1-9]"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):02d}"


register_converter(MonthNumberConverter, "two_digit_month")

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bulanan/", views.monthly, name="monthly"),
    path("bulanan/<int:year>-<two_digit_month:month>.pdf", views.monthly_pdf, name="monthly_pdf"),
    path(
        "bulanan/<int:year>-<two_digit_month:month>.xlsx", views.monthly_xlsx, name="monthly_xlsx"
    ),
    path("operasional/", views.stuck, name="stuck"),
    path("operasional/dokumen/", views.documents, name="documents"),
    path("operasional/angkatan/", views.cohorts, name="cohorts"),
    path("statistik/", views.public_statistics, name="public"),
    path("statistik/data.<str:fmt>", open_data_views.public_statistics_data, name="public_data"),
]
