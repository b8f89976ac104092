from django.urls import path

from cqphub.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.index, name="index"),
    path("certificateurs/<str:siret>/", views.certifier_report, name="certifier"),
    path("certificateurs/<str:siret>/identifiants/", views.cdc_account, name="account"),
    path("certificateurs/<str:siret>/produire/", views.build, name="build"),
    path("fichiers/<int:pk>/", views.file_detail, name="file"),
    path("fichiers/<int:pk>/telecharger/", views.file_download, name="download"),
    path("fichiers/<int:pk>/reponse/", views.file_answer, name="answer"),
    path("fichiers/<int:pk>/abandonner/", views.file_discard, name="discard"),
    path("declarations/<int:pk>/corriger/", views.entry_correct, name="correct"),
    path("statistiques/", views.statistics, name="statistics"),
    path("statistiques/renouvellement/<int:pk>/", views.renewal, name="renewal"),
]
