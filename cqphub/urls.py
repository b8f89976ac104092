from django.contrib import admin
from django.urls import include, path

from cqphub.api import api

urlpatterns = [
    path("", include("cqphub.web.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("registre/", include("cqphub.registry.urls")),
    path("orientation/", include("cqphub.orientation.urls")),
    path("espace/", include("cqphub.orgs.urls")),
    path("espace/qualifications/", include("cqphub.qualifications.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
