from django.urls import path

from . import list_views, matching_views, open_data_views, work_views
from .views import (
    agencies,
    agreements,
    applications,
    mine,
    orders,
    permits,
    public,
    selection,
)

app_name = "placement"
urlpatterns = [
    # job orders (city and agencies)
    path("", list_views.order_list, name="order_list"),
    path("lowongan/baru/", orders.order_create, name="order_create"),
    path("lowongan/<int:pk>/", orders.order_detail, name="order_detail"),
    path("lowongan/<int:pk>/ubah/", orders.order_edit, name="order_edit"),
    path("lowongan/<int:pk>/ajukan/", orders.order_submit, name="order_submit"),
    path("lowongan/<int:pk>/tinjau/", orders.order_review, name="order_review"),
    path("lowongan/<int:pk>/tutup/", orders.order_close, name="order_close"),
    path(
        "lowongan/<int:pk>/biaya/<int:cost_pk>/putuskan/",
        orders.order_cost_decide,
        name="order_cost_decide",
    ),
    path(
        "lowongan/<int:pk>/verifikasi-atase/",
        orders.order_attache_document,
        name="order_attache_document",
    ),
    path("lowongan/<int:pk>/seleksi/", selection.order_selection, name="order_selection"),
    path("lowongan/<int:pk>/rekomendasi/", selection.order_recommend, name="order_recommend"),
    path("lowongan/<int:pk>/keadilan/", selection.order_fairness, name="order_fairness"),
    path("keadilan/", selection.fairness, name="fairness"),
    # programme-wide matching (issue 19)
    path("pencocokan/", matching_views.run_list, name="matching_runs"),
    path("pencocokan/baru/", matching_views.run_start, name="matching_start"),
    path("pencocokan/<int:pk>/", matching_views.run_detail, name="matching_run"),
    path(
        "pencocokan/<int:pk>/lowongan/<int:order_pk>/",
        matching_views.run_order,
        name="matching_run_order",
    ),
    path("pencocokan/<int:pk>/<slug:action>/", matching_views.run_action, name="matching_action"),
    path("saya/usulan/<int:pk>/tolak/", matching_views.proposal_decline, name="proposal_decline"),
    # applications
    path("lamaran/", work_views.application_list, name="applications"),
    path("lamaran/<int:pk>/", applications.application_detail, name="application_detail"),
    path(
        "lamaran/<int:pk>/<slug:action>/",
        applications.application_action,
        name="application_action",
    ),
    # agencies and agreements
    path("p3mi/", agencies.agency_list, name="agency_list"),
    path("p3mi/baru/", agencies.agency_create, name="agency_create"),
    path("p3mi/<int:pk>/", agencies.agency_detail, name="agency_detail"),
    path("p3mi/<int:pk>/ubah/", agencies.agency_edit, name="agency_edit"),
    path("p3mi/<int:pk>/bekukan/", agencies.agency_suspend, name="agency_suspend"),
    path("p3mi/<int:pk>/cabut-pembekuan/", agencies.agency_lift, name="agency_lift"),
    path("sip2mi/", permits.permit_list, name="permit_list"),
    path("sip2mi/<int:pk>/", permits.permit_detail, name="permit_detail"),
    path("sip2mi/<int:pk>/ubah/", permits.permit_change_request, name="permit_change_request"),
    path(
        "sip2mi/perubahan/<int:pk>/putuskan/",
        permits.permit_change_decide,
        name="permit_change_decide",
    ),
    path(
        "sip2mi/perubahan/<int:pk>/dokumen/",
        permits.permit_change_document,
        name="permit_change_document",
    ),
    path("perjanjian/", agreements.agreement_list, name="agreement_list"),
    path("perjanjian/baru/", agreements.agreement_create, name="agreement_create"),
    path("perjanjian/akan-berakhir/", agreements.expiring, name="expiring"),
    path("perjanjian/<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path("perjanjian/<int:pk>/ubah/", agreements.agreement_edit, name="agreement_edit"),
    path("perjanjian/<int:pk>/dokumen/", agreements.agreement_document, name="agreement_document"),
    # the public register (no log-in, no personal data)
    path("publik/lowongan/", public.public_orders, name="public_orders"),
    path("publik/lowongan/<int:pk>/", public.public_order, name="public_order"),
    path("publik/p3mi/", public.public_agencies, name="public_agencies"),
    path(
        "publik/lowongan/data.<str:fmt>",
        open_data_views.public_orders_data,
        name="public_orders_data",
    ),
    path(
        "publik/p3mi/data.<str:fmt>",
        open_data_views.public_agencies_data,
        name="public_agencies_data",
    ),
    # the candidate's own pages
    path("saya/", mine.my_placement, name="my_placement"),
    path("saya/lowongan/<int:pk>/", mine.my_order, name="my_order"),
    path("saya/lamaran/<int:pk>/", mine.my_application_detail, name="my_application"),
]
