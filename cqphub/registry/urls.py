from django.urls import path

from cqphub.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.index, name="index"),
    path("imports/", views.imports, name="imports"),
    path("<str:code>/", views.detail, name="detail"),
]
