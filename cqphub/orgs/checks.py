"""`cqphub check --deploy`: production without the mandatory second factor is said out loud."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def second_factor_enforced(app_configs, **kwargs):
    if settings.DEBUG or getattr(settings, "CQPHUB_REQUIRE_2FA", False):
        return []
    return [
        Warning(
            "CQPHUB_REQUIRE_2FA is off: superusers, staff and the roles that sign decisions can use the "
            "back office and the API with a password alone.",
            hint="Unset CQPHUB_REQUIRE_2FA (on by default when DEBUG is off) or set it to 1.",
            id="cqphub.W001",
        )
    ]
