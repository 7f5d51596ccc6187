from django.urls import path

from . import list_views, return_views, views, worker_views

app_name = "protection"
urlpatterns = [
    path("pemantauan/", worker_views.monitoring, name="monitoring"),
    path("pekerja/<int:pk>/", worker_views.worker, name="worker"),
    path("pekerja/<int:pk>/kabar/", worker_views.worker_checkin, name="worker_checkin"),
    path(
        "pekerja/<int:pk>/kode-keluarga/",
        worker_views.worker_family_link,
        name="worker_family_link",
    ),
    path(
        "pekerja/<int:pk>/kabar-terlewat/<int:escalation_pk>/jawab/",
        worker_views.worker_escalation_answer,
        name="worker_escalation_answer",
    ),
    path("pekerja/<int:pk>/tiba/", worker_views.worker_arrival, name="worker_arrival"),
    path("pekerja/<int:pk>/pulang/", worker_views.worker_return, name="worker_return"),
    path("kepulangan/", return_views.returnees, name="returnees"),
    path("kepulangan/<int:pk>/", return_views.returnee, name="returnee"),
    path(
        "kepulangan/<int:pk>/tindak-lanjut/",
        return_views.returnee_follow_up,
        name="returnee_follow_up",
    ),
    path(
        "kepulangan/<int:pk>/daftar-lagi/", return_views.returnee_restart, name="returnee_restart"
    ),
    path(
        "kepulangan/<int:pk>/sertifikat/",
        return_views.returnee_carry_over,
        name="returnee_carry_over",
    ),
    path("saya/reintegrasi/", return_views.my_reintegration, name="my_reintegration"),
    path("saya/daftar-lagi/", return_views.my_restart, name="my_restart"),
    path("pengaduan/", list_views.grievance_list_view, name="grievance_list"),
    path("pengaduan/catat/", views.grievance_new, name="grievance_new"),
    path("pengaduan/catat/diterima/", views.grievance_received, name="grievance_received"),
    path("pengaduan/<int:pk>/", views.grievance_detail, name="grievance_detail"),
    path("pengaduan/<int:pk>/tindakan/", views.grievance_action, name="grievance_action"),
    path("pengaduan/<int:pk>/tanggapan/", views.grievance_respond, name="grievance_respond"),
    path("pengaduan/<int:pk>/pesan/", views.grievance_message, name="grievance_message"),
    path("pengaduan/<int:pk>/bukti/", views.grievance_evidence_add, name="grievance_evidence_add"),
    path("bukti/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("saya/kabar/", worker_views.my_checkin, name="my_checkin"),
    path("saya/kabar/keluarga/", worker_views.my_family_notice, name="my_family_notice"),
    path("saya/tiba/", worker_views.my_arrival, name="my_arrival"),
    path("saya/pengaduan/", views.my_grievance_new, name="my_grievance_new"),
    path("lapor/", views.public_grievance_new, name="public_grievance_new"),
    path("lapor/diterima/", views.public_grievance_received, name="public_grievance_received"),
    path("kabar-keluarga/", views.family_checkin, name="family_checkin"),
    path("kabar-keluarga/diterima/", views.family_checkin_done, name="family_checkin_done"),
    path("lacak/", views.public_grievance_track, name="public_grievance_track"),
    path("lacak/<str:number>/", views.public_grievance_status, name="public_grievance_status"),
    path(
        "lacak/<str:number>/bukti/",
        views.public_grievance_evidence,
        name="public_grievance_evidence",
    ),
]
