from django.conf import settings


def site(request):
    """What every page needs from the shell: the site's name and the theme in force."""
    return {
        "platform_name": "cqphub",
        "site_theme": getattr(settings, "CQPHUB_THEME", "neutral"),
    }
