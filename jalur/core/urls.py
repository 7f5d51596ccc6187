from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("publik/", views.public_home, name="public_home"),
    path("aksesibilitas/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
]
