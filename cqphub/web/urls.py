from django.urls import path

from cqphub.web import styleguide, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("a-propos/", views.about, name="about"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal, name="legal"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("espace/composants/", styleguide.styleguide, name="styleguide"),
]
