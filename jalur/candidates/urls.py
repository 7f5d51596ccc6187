from django.urls import path

from . import abroad_views, list_views
from .views import documents, imports, office, registration, signup, verification

app_name = "candidates"
urlpatterns = [
    # the public and the candidate
    path("daftar/", signup.register_start, name="register_start"),
    path("daftar/kode/", signup.register_confirm, name="register_confirm"),
    path("daftar/<slug:step>/", registration.register_step, name="register_step"),
    path("persetujuan-data/", signup.consent_text, name="consent_text"),
    path("saya/", registration.me, name="me"),
    path("saya/unggah/<slug:type_code>/", registration.upload, name="upload"),
    path("dokumen/<int:pk>/", documents.document_file, name="document_file"),
    path("saya/nomor-luar-negeri/", abroad_views.my_phone_abroad, name="my_phone_abroad"),
    # the office
    path("", list_views.candidate_list, name="list"),
    path("ekspor.xlsx", office.candidate_export, name="export"),
    path("baru/", office.walk_in, name="walk_in"),
    path("<int:pk>/", office.candidate_detail, name="detail"),
    path("<int:pk>/ubah/<slug:section>/", office.candidate_edit, name="edit"),
    path("<int:pk>/unggah/<slug:type_code>/", office.staff_upload, name="staff_upload"),
    path("<int:pk>/kirim/", office.staff_submit, name="staff_submit"),
    path("<int:pk>/slip-masuk/", office.login_slip, name="login_slip"),
    path(
        "<int:pk>/tanggal-lahir-cocok/", verification.confirm_birth_date, name="confirm_birth_date"
    ),
    path("<int:pk>/nomor-luar-negeri/", abroad_views.staff_phone_abroad, name="staff_phone_abroad"),
    path("verifikasi/", list_views.queue, name="queue"),
    path("verifikasi/<int:pk>/", verification.verify, name="verify"),
    path("dokumen/<int:pk>/periksa/", verification.review_document, name="review_document"),
    path("duplikat/", list_views.duplicates, name="duplicates"),
    path("duplikat/<int:pk>/", verification.duplicate_decision, name="duplicate_decision"),
    path("impor/", imports.import_start, name="import"),
    path("impor/templat.xlsx", imports.import_template_download, name="import_template"),
    path("impor/<int:pk>/", imports.import_job, name="import_job"),
    path("impor/<int:pk>/progres/", imports.import_progress, name="import_progress"),
    path("impor/<int:pk>/laporan.csv", imports.import_report, name="import_report"),
]
