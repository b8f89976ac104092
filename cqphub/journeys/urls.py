from django.urls import path

from cqphub.journeys import views

app_name = "journeys"
urlpatterns = [
    path("", views.candidacy_list, name="list"),
    path("nouvelle/", views.candidacy_new, name="new"),
    path("import/", views.import_candidates, name="import"),
    path("import/modele.xlsx", views.import_template, name="import_template"),
    path("mon-dossier/", views.my_file, name="my_file"),
    path("candidats/<int:pk>/", views.candidate_detail, name="candidate"),
    path("candidats/<int:pk>/compte/", views.candidate_account, name="candidate_account"),
    path("candidats/<int:pk>/fusionner/", views.candidate_merge, name="candidate_merge"),
    path("<int:pk>/", views.candidacy_detail, name="candidacy"),
    path("<int:pk>/etat/", views.candidacy_transition, name="transition"),
    path("<int:pk>/recevabilite/", views.candidacy_admissibility, name="admissibility"),
    path("<int:pk>/positionnement/", views.candidacy_positioning, name="positioning"),
    path("<int:pk>/pieces/", views.candidacy_upload, name="upload"),
    path("<int:pk>/pieces/<int:document_id>/", views.document_download, name="document"),
]
