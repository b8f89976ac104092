"""Security review L1 (audit trail kept), L2 (headers, sessions), L3 (API paging), L7 (password reset)."""

import json
import logging
import re
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.db.models import ProtectedError
from django.urls import reverse

from cqphub.orgs import audit
from cqphub.orgs.middleware import SEEN_KEY
from cqphub.orgs.models import AuditEntry
from tests.factories.orgs import BranchFactory, CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_L1_deleting_an_organisation_never_rewrites_its_audit_entries():
    branch = BranchFactory()
    centre = CentreFactory()
    audit.record(None, "update", branch)
    audit.record(None, "update", centre)
    with pytest.raises(ProtectedError):
        branch.delete()
    with pytest.raises(ProtectedError):
        centre.delete()
    assert AuditEntry.objects.filter(branch=branch).count() == 1
    assert AuditEntry.objects.filter(centre=centre).count() == 1


def test_L1_admin_membership_inline_changes_are_audited(client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.orgs.test_accounts import token_for

    root = UserFactory(is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=root, name="t", confirmed=True)
    client.force_login(root)
    client.post(reverse("orgs:otp_verify"), {"token": token_for(device)})
    membership = MembershipFactory()
    user, branch = membership.user, membership.branch
    form = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": str(membership.pk),
        "memberships-0-user": str(user.pk),
        "memberships-0-role": "certification_officer",
        "memberships-0-branch": str(branch.pk),
        "memberships-0-centre": "",
        "memberships-0-organisation": "",
        "memberships-0-active": "on",
    }
    response = client.post(f"/admin/orgs/user/{user.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get(object_type="orgs.membership", action="update")
    assert entry.changes["role"] == ["branch_admin", "certification_officer"]
    assert entry.branch == branch and entry.actor == root


def test_L2_security_headers(client, settings):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["Permissions-Policy"].startswith("camera=()")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_L2_no_inline_script_in_the_pages_a_csp_would_block(client):
    """Inline handlers and inline <script> blocks are refused by the CSP: the pages have none."""
    for url in ("/", reverse("orgs:login"), "/api/v1/docs"):
        body = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", body), url
        assert not re.search(r"\son[a-z]+=", body), url


def test_L2_production_defaults(monkeypatch):
    """With DEBUG off, HSTS, SSL redirect and secure cookies are on unless the environment says no."""
    import importlib
    import sys

    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "CQPHUB_REQUIRE_2FA", "SECURE_COOKIES"):
        monkeypatch.delenv(name, raising=False)
    saved = sys.modules.pop("cqphub.settings")
    try:
        prod = importlib.import_module("cqphub.settings")
        assert prod.SECURE_SSL_REDIRECT and prod.SECURE_HSTS_SECONDS >= 31536000
        assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
        assert prod.CQPHUB_REQUIRE_2FA
        assert prod.SESSION_COOKIE_AGE <= 12 * 3600
        monkeypatch.setenv("SECURE_SSL_REDIRECT", "0")
        monkeypatch.setenv("SECURE_HSTS_SECONDS", "60")
        sys.modules.pop("cqphub.settings")
        adjusted = importlib.import_module("cqphub.settings")
        assert not adjusted.SECURE_SSL_REDIRECT and adjusted.SECURE_HSTS_SECONDS == 60
    finally:
        sys.modules["cqphub.settings"] = saved


def test_L2_staff_session_ends_after_idle_time(client, settings):
    settings.CQPHUB_STAFF_IDLE_MINUTES = 30
    settings.CQPHUB_IDLE_MINUTES = 120
    admin = MembershipFactory().user  # a branch administrator: the strict timeout
    client.force_login(admin)
    assert client.get(reverse("orgs:dashboard")).status_code == 200
    session = client.session
    session[SEEN_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("orgs:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("orgs:login"))
    # someone else (a trainer) keeps the longer timeout
    trainer = MembershipFactory(centre_role=True, role="trainer").user
    client.force_login(trainer)
    client.get(reverse("orgs:dashboard"))
    session = client.session
    session[SEEN_KEY] = int(time.time()) - 31 * 60
    session.save()
    assert client.get(reverse("orgs:dashboard")).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/idcc", "/api/v1/nsf", "/api/v1/rome"])
def test_L3_huge_page_numbers_are_422_not_500(client, path):
    for page in ("9223372036854775807", "1997193729380036378624", "100001"):
        response = client.get(path, {"page": page, "page_size": 98})
        assert response.status_code == 422, (path, page, response.status_code)


def test_L7_password_reset_link_uses_the_configured_site_url(client, settings):
    settings.SITE_URL = "https://cqp.example.org"
    settings.ALLOWED_HOSTS = ["cqp.example.org", "localhost", "testserver"]
    cache.clear()
    UserFactory(email="claire@example.org")
    client.post(reverse("orgs:password_reset"), {"email": "claire@example.org"}, HTTP_HOST="localhost")
    assert re.search(r"https://cqp\.example\.org/espace/mot-de-passe-oublie/\S+/\S+/", mail.outbox[0].body)
    assert "localhost" not in mail.outbox[0].body


def test_L7_password_reset_is_rate_limited(client, settings):
    settings.CQPHUB_PASSWORD_RESET_PER_HOUR = 3
    cache.clear()
    UserFactory(email="claire@example.org")
    for _ in range(10):
        response = client.post(reverse("orgs:password_reset"), {"email": "claire@example.org"})
        assert response.status_code == 302  # the same answer every time: nothing to learn
    assert len(mail.outbox) == 3


def test_L7_invitation_link_uses_the_configured_site_url(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://cqp.example.org"
    admin = MembershipFactory().user
    client.force_login(admin)
    branch = admin.memberships.get().branch
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("orgs:branch_member_invite", kwargs={"slug": branch.slug}),
            {"email": "nina@example.org", "role": "jury_member", "first_name": "", "last_name": ""},
        )
    assert response.status_code == 302
    assert "https://cqp.example.org/" in mail.outbox[0].body


def test_request_log_is_one_json_line_without_query_string(client, caplog):
    with caplog.at_level(logging.INFO, logger="cqphub.request"):
        client.get("/orientation/", {"disability": "zzsecretzz", "age": "52"})
    records = [r for r in caplog.records if r.name == "cqphub.request"]
    assert records
    from cqphub.web.request_log import JsonLineFormatter

    line = JsonLineFormatter().format(records[-1])
    data = json.loads(line)
    assert data["path"] == "/orientation/" and data["method"] == "GET" and "ms" in data
    assert "zzsecretzz" not in line and "disability" not in line and "age=" not in line
