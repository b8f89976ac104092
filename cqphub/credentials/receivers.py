"""Reactions to the juries' award signals (sent once the juries' transaction has committed).

- `award_recorded`: queue the issuance of the award's jury session (one run per session; a run
  issues every award still without documents, so the N signals of a session close make one run).
- `award_revoked`: revoke the award's documents and flip their status bits, in one transaction.
  The juries send it after their own commit, so it cannot share their transaction: a lost signal
  is caught by `services.reconcile_revocations()`, which every issuance run and
  `cqphub credentials reconcile` call (see tests/credentials/test_services.py).
"""

from django.dispatch import receiver

from cqphub.juries.signals import award_recorded, award_revoked

# `services` is imported when a signal comes: it brings the JSON-LD and signing libraries (a quarter
# of a second), which every process would otherwise load at start-up, a registry import or a web worker.


@receiver(award_recorded, dispatch_uid="credentials.issue")
def issue_on_award(sender, award, **kwargs):
    from cqphub.credentials import services

    services.request_session_issuance(award.jury_session)


@receiver(award_revoked, dispatch_uid="credentials.revoke")
def revoke_on_award(sender, award, replacement=None, reason="", **kwargs):
    from cqphub.credentials import services

    services.revoke_for_award(award, reason=reason)
