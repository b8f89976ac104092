"""The shell's own pages. Domain pages live in their apps; these only assemble."""

from django.shortcuts import render


def home(request):
    from cqphub.registry.selectors import registry_summary

    return render(request, "web/home.html", {"summary": registry_summary()})


def about(request):
    return render(request, "web/about.html")


def accessibility(request):
    return render(request, "web/accessibility.html")


def legal(request):
    return render(request, "web/legal.html", {"operator": operator()})


def operator() -> dict:
    """The operator's details for the legal notice and the accessibility statement (settings.CQPHUB_OPERATOR)."""
    from django.conf import settings

    defaults = {
        "name": "Opérateur de la plateforme cqphub",
        "address": "",
        "email": "contact@example.org",
        "director": "",
        "host": "",
        "siret": "",
    }
    return {**defaults, **getattr(settings, "CQPHUB_OPERATOR", {})}
