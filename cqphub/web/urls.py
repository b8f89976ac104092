from django.urls import path

from cqphub.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("a-propos/", views.about, name="about"),
    path("accessibilite/", views.accessibility, name="accessibility"),
]
