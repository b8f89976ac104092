from django.urls import path

from cqphub.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.index, name="index"),
    path("programmer/", views.schedule, name="schedule"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("grilles/<int:pk>/", views.grid_detail, name="grid"),
    path("grilles/<int:pk>/enregistrer/", views.grid_autosave, name="grid_autosave"),
]
