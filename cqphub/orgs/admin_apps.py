"""`django.contrib.admin` with `admin_site.SecureAdminSite` as its default site (review H1).

Kept apart from `admin_site` because an app config module is imported before models are ready."""

from django.contrib.admin.apps import AdminConfig


class SecureAdminConfig(AdminConfig):
    default_site = "cqphub.orgs.admin_site.SecureAdminSite"
