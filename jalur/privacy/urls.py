from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("saya/", views.my_data, name="my_data"),
    path("pencaker/<int:pk>/unduh/", views.candidate_export, name="candidate_export"),
]
