from django.urls import path

from cqphub.qualifications import views

app_name = "qualifications"

V = "<int:pk>/versions/<int:number>/"

urlpatterns = [
    path("", views.qualification_list, name="list"),
    path("nouvelle/", views.qualification_create, name="create"),
    path("depuis-une-fiche/", views.fiche_start, name="fiche_start"),
    path("modele-referentiels.xlsx", views.template_xlsx, name="template_xlsx"),
    path("habilitations/", views.my_habilitations, name="my_habilitations"),
    path("habilitations/<int:habilitation_id>/", views.habilitation_detail, name="habilitation"),
    path("<int:pk>/", views.qualification_detail, name="detail"),
    path("<int:pk>/nouvelle-version/", views.version_new, name="version_new"),
    path("<int:pk>/comparer/", views.version_compare, name="compare"),
    path("<int:pk>/vie-legale/", views.lifecycle_view, name="lifecycle"),
    path("<int:pk>/registre/", views.registry_view, name="registry"),
    path("<int:pk>/echanges/", views.exchange_view, name="exchange"),
    path("<int:pk>/habilitations/", views.habilitations_view, name="habilitations"),
    path(
        "<int:pk>/habilitations/<int:habilitation_id>/suspendre/",
        views.habilitation_suspend,
        name="habilitation_suspend",
    ),
    path(
        "<int:pk>/habilitations/<int:habilitation_id>/lever/",
        views.habilitation_lift,
        name="habilitation_lift",
    ),
    path(V, views.version_detail, name="version"),
    path(V + "modifier/", views.version_edit, name="version_edit"),
    path(V + "publier/", views.version_publish, name="publish"),
    path(V + "export.json", views.export_json, name="export_json"),
    path(V + "export.xlsx", views.export_xlsx, name="export_xlsx"),
    path(V + "livret.pdf", views.booklet, name="booklet"),
    path(V + "activites/ajouter/", views.activity_add, name="activity_add"),
    path(V + "activites/<int:activity_id>/situations/ajouter/", views.situation_add, name="situation_add"),
    path(V + "blocs/ajouter/", views.block_add, name="block_add"),
    path(V + "blocs/reprendre/", views.block_share, name="block_share"),
    path(V + "blocs/<int:block_id>/modifier/", views.block_edit, name="block_edit"),
    path(V + "blocs/<int:block_id>/retirer/", views.block_remove, name="block_remove"),
    path(V + "blocs/<int:block_id>/competences/ajouter/", views.skill_add, name="skill_add"),
    path(V + "blocs/<int:block_id>/modalites/ajouter/", views.method_add, name="method_add"),
    path(V + "blocs/<int:block_id>/epreuves/ajouter/", views.test_add, name="test_add"),
    path(V + "competences/<int:skill_id>/savoirs/ajouter/", views.knowledge_add, name="knowledge_add"),
    path(V + "competences/<int:skill_id>/criteres/ajouter/", views.criterion_add, name="criterion_add"),
    path(V + "supprimer/<slug:kind>/<int:row_id>/", views.row_delete, name="row_delete"),
    path(V + "lignes/<slug:kind>/<int:row_id>/modifier/", views.row_edit, name="row_edit"),
    path(V + "lignes/<slug:kind>/<int:row_id>/deplacer/", views.row_move, name="row_move"),
    path(V + "annuler/<int:entry_id>/", views.change_undo, name="change_undo"),
]
