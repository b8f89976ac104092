from django.urls import path

from cqphub.juries import views

app_name = "juries"
urlpatterns = [
    path("", views.index, name="index"),
    path("nouvelle/", views.create, name="create"),
    path("regles/", views.rules, name="rules"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/candidats/<int:candidacy_pk>/", views.candidate_file, name="candidate"),
    path("decisions/<int:pk>/revoquer/", views.revoke, name="revoke"),
    path("decisions/<int:pk>/recours/", views.appeal, name="appeal"),
    path("recours/<int:pk>/issue/", views.appeal_outcome, name="appeal_outcome"),
    path("proces-verbaux/<int:pk>/", views.minutes_pdf, name="minutes"),
    path("mes-resultats/", views.my_results, name="my_results"),
]
