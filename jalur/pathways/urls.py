from django.urls import path

from . import views, waiting_views

app_name = "pathways"
urlpatterns = [
    path("", views.pathway_list_view, name="list"),
    path("baru/", views.pathway_edit, name="create"),
    path("<int:pk>/", views.pathway_detail, name="detail"),
    path("<int:pk>/ubah/", views.pathway_edit, name="edit"),
    path("jenis-pekerjaan/", views.job_type_list_view, name="job_types"),
    path("jenis-pekerjaan/<int:pk>/ubah/", views.job_type_edit, name="job_type_edit"),
    path("kelayakan/", views.eligibility_list, name="eligibility"),
    path("menunggu/", waiting_views.waiting_list, name="waiting"),
    path("menunggu/tetapkan/", waiting_views.waiting_assign, name="waiting_assign"),
    path("pencaker/<int:candidate_pk>/", views.candidate_eligibility_view, name="candidate"),
    path("pencaker/<int:candidate_pk>/tetapkan/", views.assign, name="assign"),
    path("pencaker/<int:candidate_pk>/akhiri/", views.assignment_end, name="assignment_end"),
    path("publik/", views.public_pathways, name="public"),
]
