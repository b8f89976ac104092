"""Security review L3: schemathesis against the whole OpenAPI document (`/api/v1`), every check,
bounded examples per operation, 0 failures allowed.

The world is the demo one (registry fiches, organisations, the demo CQP, one candidacy), so the
fuzzer reaches the views and not only their 401/404: operations secured by a Bearer key get a centre
key, those secured by HTTP Basic the demo assessor (no TOTP device, so Basic is allowed), and the
`ignored_auth` check then replays each accepted call without credentials and expects 401.
`CQPHUB_FUZZ_EXAMPLES` sets the examples per operation (default 15); `CQPHUB_FUZZ_ONLY` (a regular
expression on the path) narrows the run when working on one router."""

from __future__ import annotations

import base64
import os
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

EXAMPLES = int(os.environ.get("CQPHUB_FUZZ_EXAMPLES", "15"))
# The one refusal of schema-valid input that JSON Schema cannot express (a comparison between two
# fields): such a 422 is right, every other 422 to schema-valid input fails the run.
CROSS_FIELD_422 = {
    "/api/v1/orientation": re.compile(r"registered_until: \S+ is before registered_from"),
}
ONLY = re.compile(os.environ.get("CQPHUB_FUZZ_ONLY", ""))


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


@pytest.fixture
def api_world(db, settings, tmp_path):
    """The demo world with one candidacy; returns the headers for each security scheme."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    from cqphub.journeys import services
    from cqphub.orgs.demo import DEMO_PASSWORD
    from cqphub.reference.services import load_demo_reference
    from tests.journeys.conftest import build_world
    from tests.journeys.helpers import enrol

    load_demo_reference()  # some rows to page through
    world = build_world()
    enrol(world)
    _token, key = services.create_api_token(
        actor=None, name="SI du centre", user=world.users["trainer"], centre=world.extra["lyon"]
    )
    basic = base64.b64encode(f"{world.users['assessor'].email}:{DEMO_PASSWORD}".encode()).decode()
    return {"TokenAuth": f"Bearer {key}", "BasicAuth": f"Basic {basic}"}


def _headers(operation, auth: dict[str, str]) -> dict[str, str]:
    for requirement in operation.definition.raw.get("security", []):
        for scheme in requirement:
            if scheme in auth:
                return {"Authorization": auth[scheme]}
    return {}


@pytest.mark.django_db
def test_L3_api_conforms_to_its_schema(connections_kept_open, api_world):
    from cqphub.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    failures = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not ONLY.search(operation.path):
            continue
        operations += 1
        headers = _headers(operation, api_world)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case):  # called at once below, so the loop's variables are the current ones
            if headers:  # noqa: B023
                # The credentials are the test's own (not generated), so `ignored_auth` replays the call
                # without them and with made-up ones, and expects 401/403 (schemathesis's auth providers
                # set this flag the same way).
                case.headers = {**(case.headers or {}), **headers}  # noqa: B023
                case._has_explicit_auth = True
            response = case.call()
            allowed = CROSS_FIELD_422.get(operation.path)  # noqa: B023
            cross_field = (
                response.status_code == 422 and allowed is not None and allowed.search(response.text)
            )
            case.validate_response(
                response, excluded_checks=[positive_data_acceptance] if cross_field else []
            )

        try:
            check()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - collect every operation's failure
            failures.append(f"{operation.method.upper()} {operation.path}: {error}"[:3000])
    assert operations >= (1 if ONLY.pattern else 25)
    assert not failures, f"{len(failures)} of {operations} operations fail:\n\n" + "\n\n".join(failures)


def test_L3_orientation_dates_start_with_the_rule_book():
    """The `on` pattern of the orientation body says "from BOOK_START on", which JSON Schema cannot
    say of a date: it must follow the rule book's first day."""
    from datetime import timedelta

    from cqphub.orientation.api import OrientationIn
    from cqphub.rules.book import BOOK_START

    on = OrientationIn.model_json_schema()["properties"]["on"]["anyOf"][0]
    pattern = re.compile(on["pattern"])
    assert pattern.search(BOOK_START.isoformat())
    assert pattern.search("2026-06-01") and pattern.search("2100-01-01")
    assert not pattern.search((BOOK_START - timedelta(days=1)).isoformat())


@pytest.mark.django_db
def test_L3_basic_auth_writes_need_no_csrf_token(api_world):
    """A centre system's HTTP Basic write is not refused by the session's CSRF check (it was: 403),
    while a browser session without the CSRF token still is."""
    from django.test import Client

    from cqphub.orgs.models import User

    client = Client(enforce_csrf_checks=True)
    url = "/api/v1/assessment/grids/999999/results"
    response = client.put(url, {}, content_type="application/json", HTTP_AUTHORIZATION=api_world["BasicAuth"])
    assert response.status_code == 404, response.content  # through the auth, to the view
    client.force_login(User.objects.get(email="evaluateur@demo.cqphub.fr"))
    assert client.put(url, {}, content_type="application/json").status_code == 403


@pytest.mark.django_db
def test_L3_verify_file_is_not_taken_for_a_number(client):
    """`POST /credentials/verify/file` reached the `{number}` route and answered 405."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("x.json", b"{}", content_type="application/json")
    response = client.post("/api/v1/credentials/verify/file", {"document": upload})
    assert response.status_code == 200 and response.json()["outcome"] in {"unknown", "tampered"}
