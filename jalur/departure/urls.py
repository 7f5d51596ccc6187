from django.urls import path

from . import prepare_views, review_views, views
from .siskop2mi import views as siskop2mi_views

app_name = "departure"
urlpatterns = [
    path("", views.case_list_view, name="list"),
    path("mulai/", views.to_start_panel, name="to_start"),
    path("mulai/<int:application_pk>/", views.case_open, name="case_open"),
    path("<int:pk>/", views.case_view, name="case"),
    path("<int:pk>/siap/", views.mark_ready, name="mark_ready"),
    path("<int:pk>/paspor/", views.passport_handover, name="passport_handover"),
    path("paspor/<int:pk>/kembali/", views.passport_return, name="passport_return"),
    path("<int:pk>/biaya/", views.fee_add, name="fee_add"),
    path("biaya/<int:pk>/tindak-lanjut/", views.fee_follow_up, name="fee_follow_up"),
    path("biaya/<int:pk>/putuskan/", views.fee_decide, name="fee_decide"),
    path("biaya/<int:pk>/bukti/", views.fee_proof, name="fee_proof"),
    path("<int:pk>/tanpa-biaya/", views.no_fee_record, name="no_fee_record"),
    path("<int:pk>/tanpa-biaya/<str:occasion>.pdf", views.no_fee_pdf, name="no_fee_pdf"),
    path("butir/<int:pk>/isi/", views.item_submit, name="item_submit"),
    path("butir/<int:pk>/periksa/", views.item_verify, name="item_verify"),
    path("butir/<int:pk>/dokumen/", views.item_document, name="item_document"),
    path("kontrak/<int:pk>/putuskan/", views.contract_decide, name="contract_decide"),
    path("rombongan/", views.group_list, name="groups"),
    path("rombongan/<int:pk>/", views.group_view, name="group"),
    path("rombongan/<int:pk>/anggota/", views.group_members, name="group_members"),
    path("rombongan/<int:pk>/berangkat/", views.group_depart, name="group_depart"),
    path("rombongan/<int:pk>/manifes.<str:fmt>", views.manifest, name="manifest"),
    path("<int:pk>/periksa/", review_views.case_review, name="case_review"),
    path("rombongan/<int:pk>/periksa/", review_views.group_review, name="group_review"),
    path("rombongan/<int:pk>/siapkan/", prepare_views.group_prepare, name="group_prepare"),
    path(
        "rombongan/<int:pk>/siapkan/<str:code>/",
        prepare_views.group_uploads,
        name="group_uploads",
    ),
    path("siskop2mi/", siskop2mi_views.reconciliation_list, name="siskop2mi_list"),
    path("siskop2mi/<int:pk>/", siskop2mi_views.reconciliation_report, name="siskop2mi"),
    path("siskop2mi/<int:pk>/berkas/", siskop2mi_views.reconciliation_file, name="siskop2mi_file"),
    path(
        "siskop2mi/baris/<int:pk>/terima/",
        siskop2mi_views.reconciliation_row_accept_view,
        name="siskop2mi_accept",
    ),
]
