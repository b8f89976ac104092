"""Helpers shared by the write services: audit, errors."""

from __future__ import annotations

from cqphub.orgs import audit


def record(actor, action: str, obj, *, qualification=None, changes=None, centre=None):
    """Audit entry filed under the first owning branch of the qualification concerned (returned)."""
    branch = None
    if qualification is not None:
        branch = qualification.owning_branches().order_by("pk").first()
    return audit.record(actor, action, obj, branch=branch, centre=centre, changes=changes)
