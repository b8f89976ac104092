"""The back-office dashboard panel: what each certifier the user manages has to declare."""

from django.utils import timezone

from cqphub.reporting.states import Urgency


def holder_report_panel(request):
    from cqphub.reporting import selectors

    certifiers = list(selectors.certifiers_for(request.user).order_by("name")[:20])
    if not certifiers:
        return None
    today = timezone.localdate()
    rows = []
    for certifier in certifiers:
        counts = selectors.urgency_counts(certifier, today)
        rows.append(
            {
                "certifier": certifier,
                "due": counts[Urgency.DUE],
                "overdue": counts[Urgency.OVERDUE],
                "rejected": counts[Urgency.REJECTED],
            }
        )
    return "reporting/_dashboard_panel.html", {"rows": rows}
