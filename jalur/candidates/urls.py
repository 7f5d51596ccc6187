from django.urls import path

from . import abroad_views, list_views, views

app_name = "candidates"
urlpatterns = [
    # the public and the candidate
    path("daftar/", views.register_start, name="register_start"),
    path("daftar/kode/", views.register_confirm, name="register_confirm"),
    path("daftar/<slug:step>/", views.register_step, name="register_step"),
    path("persetujuan-data/", views.consent_text, name="consent_text"),
    path("saya/", views.me, name="me"),
    path("saya/unggah/<slug:type_code>/", views.upload, name="upload"),
    path("dokumen/<int:pk>/", views.document_file, name="document_file"),
    path("saya/nomor-luar-negeri/", abroad_views.my_phone_abroad, name="my_phone_abroad"),
    # the office
    path("", list_views.candidate_list, name="list"),
    path("ekspor.xlsx", views.candidate_export, name="export"),
    path("baru/", views.walk_in, name="walk_in"),
    path("<int:pk>/", views.candidate_detail, name="detail"),
    path("<int:pk>/ubah/<slug:section>/", views.candidate_edit, name="edit"),
    path("<int:pk>/unggah/<slug:type_code>/", views.staff_upload, name="staff_upload"),
    path("<int:pk>/kirim/", views.staff_submit, name="staff_submit"),
    path("<int:pk>/slip-masuk/", views.login_slip, name="login_slip"),
    path("<int:pk>/tanggal-lahir-cocok/", views.confirm_birth_date, name="confirm_birth_date"),
    path("<int:pk>/nomor-luar-negeri/", abroad_views.staff_phone_abroad, name="staff_phone_abroad"),
    path("verifikasi/", list_views.queue, name="queue"),
    path("verifikasi/<int:pk>/", views.verify, name="verify"),
    path("dokumen/<int:pk>/periksa/", views.review_document, name="review_document"),
    path("duplikat/", list_views.duplicates, name="duplicates"),
    path("duplikat/<int:pk>/", views.duplicate_decision, name="duplicate_decision"),
    path("impor/", views.import_start, name="import"),
    path("impor/templat.xlsx", views.import_template_download, name="import_template"),
    path("impor/<int:pk>/", views.import_job, name="import_job"),
    path("impor/<int:pk>/progres/", views.import_progress, name="import_progress"),
    path("impor/<int:pk>/laporan.csv", views.import_report, name="import_report"),
]
