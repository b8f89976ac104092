"""Security review L3: schemathesis against the OpenAPI document, every check, bounded examples.

The reference-list endpoints (`/idcc`, `/opco`, `/rome`, `/nsf`) are fuzzed here with 0 failures
allowed. The other routers belong to apps under active development; `CQPHUB_FUZZ_ALL=1` fuzzes the
whole API (used to report their findings)."""

import os
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

FUZZ_ALL = os.environ.get("CQPHUB_FUZZ_ALL") == "1"
OWN = re.compile(r"^/api/v1/(idcc|opco|rome|nsf)")
EXAMPLES = int(os.environ.get("CQPHUB_FUZZ_EXAMPLES", "25"))


@pytest.fixture
def connections_kept_open():
    """schemathesis calls the WSGI application directly, whose request signals would close the test's
    database connection (and its transaction) after each call; Django's test client unhooks them too."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_L3_api_conforms_to_its_schema(connections_kept_open):
    from cqphub.reference.services import load_demo_reference
    from cqphub.wsgi import application

    load_demo_reference()  # some rows to page through

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    failures = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not (FUZZ_ALL or OWN.match(operation.path)):
            continue
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case):
            case.call_and_validate()

        try:
            check()
        except Exception as error:  # noqa: BLE001 - collect every operation's failure
            failures.append(f"{operation.method.upper()} {operation.path}: {error}"[:3000])
    assert operations >= 4
    assert not failures, "\n\n".join(failures)
