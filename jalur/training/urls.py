from django.urls import path

from . import enrol_views, list_views
from .views import attendance, certificates, cohorts, costs, enrolments, programmes

app_name = "training"
urlpatterns = [
    path("", list_views.cohort_list_view, name="cohort_list"),
    path("hari-ini/", cohorts.today_view, name="today"),
    path("menunggu/", enrol_views.work_view, name="work"),
    path("usulan/", enrol_views.proposal_list, name="proposals"),
    path("usulan/putuskan/", enrol_views.proposal_decide, name="proposal_decide"),
    path("angkatan/baru/", cohorts.cohort_create, name="cohort_create"),
    path("angkatan/<int:pk>/", cohorts.cohort_detail, name="cohort_detail"),
    path("angkatan/<int:pk>/ubah/", cohorts.cohort_edit, name="cohort_edit"),
    path("angkatan/<int:pk>/jadwal/", cohorts.cohort_schedule, name="cohort_schedule"),
    path("angkatan/<int:pk>/daftarkan/", enrol_views.cohort_enrol, name="cohort_enrol"),
    path("angkatan/<int:pk>/tutup/", cohorts.cohort_close, name="cohort_close"),
    path("angkatan/<int:pk>/biaya/", costs.cohort_costs, name="cohort_costs"),
    path(
        "angkatan/<int:pk>/sertifikat.pdf",
        certificates.cohort_certificates_pdf,
        name="cohort_certificates_pdf",
    ),
    path(
        "angkatan/<int:pk>/sertifikat.zip",
        certificates.cohort_certificates_zip,
        name="cohort_certificates_zip",
    ),
    path("biaya/<int:pk>/hapus/", costs.cost_delete, name="cost_delete"),
    path("sesi/<int:pk>/hapus/", cohorts.session_delete, name="session_delete"),
    path("sesi/<int:pk>/absensi/", attendance.register, name="register"),
    path(
        "sesi/<int:pk>/absensi/<int:enrolment_pk>/", attendance.register_mark, name="register_mark"
    ),
    path("peserta/<int:pk>/", enrolments.enrolment_detail, name="enrolment_detail"),
    path("peserta/<int:pk>/keluar/", enrolments.enrolment_withdraw, name="enrolment_withdraw"),
    path("peserta/<int:pk>/lulus/", enrolments.enrolment_complete, name="enrolment_complete"),
    path("peserta/<int:pk>/tidak-lulus/", enrolments.enrolment_fail, name="enrolment_fail"),
    path("peserta/<int:pk>/nilai/", enrolments.assessment_create, name="assessment_create"),
    path("nilai/<int:pk>/hapus/", enrolments.assessment_delete, name="assessment_delete"),
    path("sertifikat/<int:pk>.pdf", certificates.certificate_download, name="certificate_download"),
    path("sertifikat/<int:pk>/cabut/", certificates.certificate_revoke, name="certificate_revoke"),
    path("sertifikat/cek/", certificates.certificate_check, name="certificate_check"),
    path("sertifikat/v/<str:token>/", certificates.certificate_verify, name="certificate_verify"),
    path("program/", programmes.programme_list, name="programme_list"),
    path("program/baru/", programmes.programme_edit, name="programme_create"),
    path("program/<int:pk>/", programmes.programme_detail, name="programme_detail"),
    path("program/<int:pk>/ubah/", programmes.programme_edit, name="programme_edit"),
    path("lembaga/", programmes.provider_list, name="provider_list"),
    path("lembaga/baru/", programmes.provider_edit, name="provider_create"),
    path("lembaga/<int:pk>/ubah/", programmes.provider_edit, name="provider_edit"),
    path("skala/", programmes.scale_list, name="scale_list"),
    path("skala/<int:pk>/ubah/", programmes.scale_edit, name="scale_edit"),
]
