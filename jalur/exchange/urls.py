from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("", views.export_start, name="exports"),
    path("<int:pk>/", views.export_job, name="export_job"),
    path("<int:pk>/kemajuan/", views.export_progress, name="export_progress"),
    path("<int:pk>/unduh/", views.export_download, name="export_download"),
]
