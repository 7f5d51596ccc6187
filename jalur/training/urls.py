from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.cohort_list_view, name="cohort_list"),
    path("hari-ini/", views.today_view, name="today"),
    path("angkatan/baru/", views.cohort_create, name="cohort_create"),
    path("angkatan/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("angkatan/<int:pk>/ubah/", views.cohort_edit, name="cohort_edit"),
    path("angkatan/<int:pk>/jadwal/", views.cohort_schedule, name="cohort_schedule"),
    path("angkatan/<int:pk>/daftarkan/", views.cohort_enrol, name="cohort_enrol"),
    path("angkatan/<int:pk>/tutup/", views.cohort_close, name="cohort_close"),
    path("angkatan/<int:pk>/biaya/", views.cohort_costs, name="cohort_costs"),
    path(
        "angkatan/<int:pk>/sertifikat.pdf",
        views.cohort_certificates_pdf,
        name="cohort_certificates_pdf",
    ),
    path(
        "angkatan/<int:pk>/sertifikat.zip",
        views.cohort_certificates_zip,
        name="cohort_certificates_zip",
    ),
    path("biaya/<int:pk>/hapus/", views.cost_delete, name="cost_delete"),
    path("sesi/<int:pk>/hapus/", views.session_delete, name="session_delete"),
    path("sesi/<int:pk>/absensi/", views.register, name="register"),
    path("sesi/<int:pk>/absensi/<int:enrolment_pk>/", views.register_mark, name="register_mark"),
    path("peserta/<int:pk>/", views.enrolment_detail, name="enrolment_detail"),
    path("peserta/<int:pk>/keluar/", views.enrolment_withdraw, name="enrolment_withdraw"),
    path("peserta/<int:pk>/lulus/", views.enrolment_complete, name="enrolment_complete"),
    path("peserta/<int:pk>/tidak-lulus/", views.enrolment_fail, name="enrolment_fail"),
    path("peserta/<int:pk>/nilai/", views.assessment_create, name="assessment_create"),
    path("nilai/<int:pk>/hapus/", views.assessment_delete, name="assessment_delete"),
    path("sertifikat/<int:pk>.pdf", views.certificate_download, name="certificate_download"),
    path("sertifikat/<int:pk>/cabut/", views.certificate_revoke, name="certificate_revoke"),
    path("sertifikat/cek/", views.certificate_check, name="certificate_check"),
    path("sertifikat/v/<str:token>/", views.certificate_verify, name="certificate_verify"),
    path("program/", views.programme_list, name="programme_list"),
    path("program/baru/", views.programme_edit, name="programme_create"),
    path("program/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("program/<int:pk>/ubah/", views.programme_edit, name="programme_edit"),
    path("lembaga/", views.provider_list, name="provider_list"),
    path("lembaga/baru/", views.provider_edit, name="provider_create"),
    path("lembaga/<int:pk>/ubah/", views.provider_edit, name="provider_edit"),
    path("skala/", views.scale_list, name="scale_list"),
    path("skala/<int:pk>/ubah/", views.scale_edit, name="scale_edit"),
]
