"""Reacting to the award chain: a new award gets its reporting entry, a revocation moves it.

The juries app sends `award_recorded` / `award_revoked` once its transaction has committed.
"""

from __future__ import annotations

from cqphub.juries.signals import award_recorded, award_revoked


def on_award_recorded(sender, award, **kwargs):
    from cqphub.reporting import services

    services.record_award(award)
    services.schedule_statistics()


def on_award_revoked(sender, award, replacement=None, **kwargs):
    from cqphub.reporting import services

    if services.record_award(award) is not None:  # an award recorded before this app was connected
        services.record_revocation(award)
    if replacement is not None:
        services.record_award(replacement)
    services.schedule_statistics()


award_recorded.connect(on_award_recorded, dispatch_uid="reporting.award_recorded")
award_revoked.connect(on_award_revoked, dispatch_uid="reporting.award_revoked")
