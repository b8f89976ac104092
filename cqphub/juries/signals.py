"""Signals other apps connect to (credentials, reporting): sent once the transaction commits.

    from cqphub.juries.signals import award_recorded, award_revoked

    @receiver(award_recorded)
    def issue(sender, award, **kwargs): ...          # a new Award row (sender: Award)

    @receiver(award_revoked)
    def withdraw(sender, award, replacement, reason, **kwargs): ...
        # `award` is revoked; `replacement` is the award that replaces it (None: nothing remains)

Receivers read the award through `cqphub.juries.selectors`; they never read decisions or grids.
"""

from django.dispatch import Signal

award_recorded = Signal()
award_revoked = Signal()
