from django.urls import path

from cqphub.orientation import views

app_name = "orientation"
urlpatterns = [
    path("", views.start, name="start"),
    path("situation/", views.situation, name="situation"),
    path("employeur/", views.employer, name="employer"),
    path("objectif/", views.target, name="target"),
    path("resultat/", views.result, name="result"),
    path("partager/", views.share, name="share"),
    path("partage/<str:token>/", views.shared, name="shared"),
]
