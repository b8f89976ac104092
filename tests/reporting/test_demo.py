"""The demo loader: a reportable CQP with holders, one rejected and one overdue award; idempotent."""

import pytest
from django.utils import timezone

from cqphub.juries.models import Award
from cqphub.orgs.demo import load_demo_orgs
from cqphub.qualifications.demo import load_demo_qualifications
from cqphub.reporting import selectors, services
from cqphub.reporting.demo import load_demo_reporting
from cqphub.reporting.models import HolderReportEntry
from cqphub.reporting.states import Urgency

pytestmark = pytest.mark.django_db


def test_demo_has_holders_one_rejected_one_overdue_and_loads_twice(shared_data, settings):
    settings.CQPHUB_CDC_XSD = str(
        shared_data / "cdc_accrochage" / "cpf_accrochage_pc5_schema_1.0.0_v1.1.2_pix.xsd"
    )
    load_demo_orgs()
    load_demo_qualifications()
    assert load_demo_reporting()["created"] == 9
    awards = Award.objects.count()
    entries = HolderReportEntry.objects.all()
    certifier = entries.first().certifier
    counts = selectors.urgency_counts(certifier, timezone.localdate())
    assert counts[Urgency.OVERDUE] == 1 and counts[Urgency.REJECTED] == 1
    assert counts[Urgency.DONE] == 3 and counts[Urgency.DUE] == 3
    report = certifier.holder_reports.get()
    assert report.validated and report.count == 4
    assert load_demo_reporting()["created"] == 0
    assert Award.objects.count() == awards
    # the largest demo file validates too (the next one: 3 due + 1 overdue)
    nxt, result = services.build_file(certifier)
    assert nxt.validated and nxt.count == 4 and result.valid
