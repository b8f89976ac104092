"""The shell's own pages. Domain pages live in their apps; these only assemble."""

from django.shortcuts import render


def home(request):
    from cqphub.registry.selectors import registry_summary

    return render(request, "web/home.html", {"summary": registry_summary()})


def about(request):
    return render(request, "web/about.html")


def accessibility(request):
    return render(request, "web/accessibility.html")
