"""The shell's own pages. Domain pages live in their apps; these only assemble."""

from django.shortcuts import render


def home(request):
    from cqphub.registry.selectors import registry_summary

    # the summary is stored with the index version at each import: no query when the public cache
    # middleware has just read that version for this request
    summary = registry_summary(getattr(request, "registry_version", None))
    return render(request, "web/home.html", {"summary": summary})


def about(request):
    return render(request, "web/about.html")


def accessibility(request):
    return render(request, "web/accessibility.html", {"operator": operator()})


def legal(request):
    return render(request, "web/legal.html", {"operator": operator()})


def privacy(request):
    """Personal data: what is kept, why, how long, and how to exercise one's rights (review M4)."""
    from django.conf import settings

    days = settings.CQPHUB_RETENTION_DAYS
    return render(
        request,
        "web/privacy.html",
        {
            "operator": operator(),
            "login_days": days["login_attempts"],
            "audit_years": round(days["audit_personal"] / 365, 1),
            "files_days": days["candidate_files"],
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        },
    )


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


def server_error(request, template_name="500.html"):
    """The 500 page with the site's header and language (Django's default renders it without context).

    If the styled page itself fails (a broken template, the database down), a plain bilingual page is sent.
    """
    from django.http import HttpResponseServerError
    from django.template import loader

    try:
        return HttpResponseServerError(loader.get_template(template_name).render({}, request))
    except Exception:  # noqa: BLE001 — the last resort must not raise
        return HttpResponseServerError(
            "<!DOCTYPE html><html lang=fr><title>Erreur du serveur</title><h1>Erreur du serveur</h1>"
            "<p>Un problème est survenu de notre côté. Réessayez dans quelques minutes.</p>"
            "<p lang=en>A problem occurred on our side. Please try again in a few minutes.</p>"
            '<p><a href="/">Accueil / Home</a></p>',
            content_type="text/html; charset=utf-8",
        )
