from django.contrib import admin
from django.urls import include, path

from cqphub.api import api
from cqphub.web.health import healthz

urlpatterns = [
    path("", include("cqphub.web.urls")),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("registre/", include("cqphub.registry.urls")),
    path("orientation/", include("cqphub.orientation.urls")),
    path("espace/", include("cqphub.orgs.urls")),
    path("espace/qualifications/", include("cqphub.qualifications.urls")),
    path("espace/parcours/", include("cqphub.journeys.urls")),
    path("espace/evaluation/", include("cqphub.assessment.urls")),
    path("espace/jurys/", include("cqphub.juries.urls")),
    path("attestations/", include("cqphub.credentials.urls")),
    path(".well-known/", include("cqphub.credentials.wellknown_urls")),
    path("espace/rapports/", include("cqphub.reporting.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler500 = "cqphub.web.views.server_error"
