from django.urls import path

from . import views

app_name = "crisis"
urlpatterns = [
    path("", views.urgent_list_view, name="urgent_list"),
    path("<int:pk>/", views.case_view, name="case"),
    path("<int:pk>/tangani/", views.case_take_view, name="case_take"),
    path("<int:pk>/jenis/", views.case_classify_view, name="case_classify"),
    path("<int:pk>/tutup/", views.case_close_view, name="case_close"),
    path("langkah/<int:pk>/", views.step_done_view, name="step_done"),
    path("pekerja/<int:pk>/buka/", views.staff_open_view, name="staff_open"),
    path("saya/", views.my_sos_view, name="my_sos"),
]
