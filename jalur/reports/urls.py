from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bulanan/", views.monthly, name="monthly"),
    path("bulanan/<int:year>-<int:month>.pdf", views.monthly_pdf, name="monthly_pdf"),
    path("bulanan/<int:year>-<int:month>.xlsx", views.monthly_xlsx, name="monthly_xlsx"),
    path("operasional/", views.stuck, name="stuck"),
    path("operasional/dokumen/", views.documents, name="documents"),
    path("operasional/angkatan/", views.cohorts, name="cohorts"),
    path("statistik/", views.public_statistics, name="public"),
]
