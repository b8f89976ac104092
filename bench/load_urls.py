"""The platform's URLs plus `/bench/trivial`, a trivial JSON view: the baseline of bench/load.py."""

from django.http import JsonResponse
from django.urls import path

from cqphub.urls import urlpatterns as platform_urls


def trivial(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/trivial", trivial), *platform_urls]
