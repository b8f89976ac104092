"""Every URL of the reporting back office, with every role (harness: tests/orgs/permission_matrix.py).

The demo CQP's certifier entity belongs to the bakery branch: its administrator and certification
officer manage its holder report and read the statistics; everyone else gets 404, anonymous visitors
the login page. The metallurgy administrator (outsider) manages another branch and sees nothing here.
"""

import pytest

from cqphub.qualifications.demo import CQP_TITLE
from cqphub.qualifications.models import Qualification
from cqphub.reporting.models import HolderReportEntry, HolderReportFile
from tests.orgs.permission_matrix import Case, assert_matrix

STAFF = {"superuser": 200, "branch_admin": 200, "certification_officer": 200}

pytestmark = pytest.mark.django_db


def siret(w):
    return {"siret": w.extra["certifier"].siret}


def report_file(w):
    return {"pk": w.extra["file"].pk}


CASES = [
    # the outsider administers another branch, whose own certifier entity it manages: its index opens
    Case("reporting:index", lambda w: {}, STAFF | {"outsider": 200}),
    Case("reporting:certifier", siret, STAFF),
    Case("reporting:account", siret, STAFF),
    Case("reporting:file", report_file, STAFF),
    Case("reporting:download", report_file, STAFF),
    Case("reporting:answer", report_file, STAFF),
    Case("reporting:discard", report_file, STAFF),
    Case("reporting:correct", lambda w: {"pk": w.extra["rejected"].pk}, STAFF),
    Case("reporting:statistics", lambda w: {}, STAFF),
    Case("reporting:renewal", lambda w: {"pk": w.extra["cqp"].pk}, STAFF),
    # writes last: an outsider's POST changes nothing and learns nothing
    Case(
        "reporting:build",
        siret,
        {"superuser": 302, "branch_admin": 302, "certification_officer": 302},
        method="post",
    ),
]


def test_reporting_permission_matrix(client, demo_world):
    cqp = Qualification.objects.get(title=CQP_TITLE)
    demo_world.extra.update(
        cqp=cqp,
        certifier=cqp.ip_holder,
        file=HolderReportFile.objects.get(certifier=cqp.ip_holder, number=1),
        rejected=HolderReportEntry.objects.get(certifier=cqp.ip_holder, state="rejected"),
    )
    assert_matrix(client, demo_world, CASES)
