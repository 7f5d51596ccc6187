from django.urls import path

from . import inbound_views, views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("tandai-dibaca/", views.mark_read, name="mark_read"),
    path("gateway/masuk/", inbound_views.gateway_inbound, name="gateway_inbound"),
]
