from django.urls import path

from . import dpo_views, rights_views, views

app_name = "privacy"
urlpatterns = [
    path("saya/", views.my_data, name="my_data"),
    path("saya/mundur/", rights_views.withdraw, name="withdraw"),
    path("saya/perbaikan/", rights_views.rectify, name="rectify"),
    path("saya/hapus/", rights_views.erase, name="erase"),
    path("saya/siapa-membuka/", rights_views.access_log, name="access_log"),
    path("saya/persetujuan/", dpo_views.consent_answer, name="consent_answer"),
    path("pencaker/<int:pk>/unduh/", views.candidate_export, name="candidate_export"),
    path("pencaker/<int:pk>/hak/", rights_views.desk, name="desk"),
    path("pencaker/<int:pk>/mundur/", rights_views.desk_withdraw, name="desk_withdraw"),
    path("pencaker/<int:pk>/perbaikan/", rights_views.desk_rectify, name="desk_rectify"),
    path("pencaker/<int:pk>/hapus/", rights_views.desk_erase, name="desk_erase"),
    path("permintaan/", rights_views.request_list, name="requests"),
    path("permintaan/<int:pk>/", rights_views.request_detail, name="request_detail"),
    path("permintaan/<int:pk>/bukti/", rights_views.request_evidence, name="request_evidence"),
    path("insiden/", dpo_views.breach_list, name="breaches"),
    path("insiden/baru/", dpo_views.breach_new, name="breach_new"),
    path("insiden/<int:pk>/", dpo_views.breach_detail, name="breach_detail"),
    path("ropa/", dpo_views.ropa, name="ropa"),
    path("teks-persetujuan/", dpo_views.consent_publish, name="consent_publish"),
]
