"""Security review H1 (second factor everywhere, L2's 2FA switch-off, L8) and H2 (lock-out)."""

import re

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cqphub.orgs import permissions
from cqphub.orgs.lockout import client_ip
from cqphub.orgs.models import AuditEntry, Role
from tests.factories.orgs import PASSWORD, MembershipFactory, UserFactory
from tests.orgs.test_accounts import token_for

LOGIN = reverse("orgs:login")
VERIFY = reverse("orgs:otp_verify")
SETUP = reverse("orgs:otp_setup")

pytestmark = pytest.mark.django_db


def _superuser_with_device():
    user = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    return user, device


def _verify(client, device, offset=0):
    device.refresh_from_db()
    response = client.post(VERIFY, {"token": token_for(device, offset)})
    assert response.status_code == 302
    return response


# --- H1 -----------------------------------------------------------------------------------------


def test_H1_admin_requires_totp(client):
    user, device = _superuser_with_device()
    # the admin's own log-in form is gone: it sends to the platform's log-in
    response = client.get("/admin/login/?next=/admin/orgs/user/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    client.post("/admin/login/", {"username": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    # password step only: nothing of the admin is reachable
    client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    for url in ("/admin/", "/admin/orgs/user/", f"/admin/orgs/user/{user.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302, url
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    # with the code, the admin opens
    client.post(VERIFY + "?next=/admin/", {"token": token_for(device)})
    assert client.get("/admin/orgs/user/").status_code == 200


def test_H1_staff_without_a_device_must_enrol_before_the_admin(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(SETUP)
    assert client.get("/admin/orgs/user/").status_code == 302


def test_H1_non_staff_is_sent_to_the_back_office_not_into_a_loop(client):
    client.force_login(UserFactory())
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == reverse("orgs:dashboard")


def test_H1_totp_key_is_never_displayed_after_enrolment(client):
    user, device = _superuser_with_device()
    other = TOTPDevice.objects.create(user=UserFactory(), name="o", confirmed=True)
    client.force_login(user)
    _verify(client, device)
    page = client.get(f"/admin/otp_totp/totpdevice/{other.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert other.key not in body and device.key not in body
    assert client.get(f"/admin/otp_totp/totpdevice/{other.pk}/config/").status_code in (403, 404)
    assert client.get(f"/admin/otp_totp/totpdevice/{other.pk}/qrcode/").status_code in (403, 404)
    # the enrolment page of an enrolled user shows no key either
    response = client.get(SETUP)
    assert response.status_code == 302
    assert device.key not in client.get(reverse("orgs:account")).content.decode()


@pytest.mark.parametrize(
    ("role", "required"),
    [
        (Role.BRANCH_ADMIN, True),
        (Role.CERTIFICATION_OFFICER, True),
        (Role.JURY_MEMBER, False),
        (Role.TRAINER, False),
    ],
)
def test_H1_second_factor_is_mandatory_for_signing_roles(client, settings, role, required):
    settings.CQPHUB_REQUIRE_2FA = True
    if role == Role.TRAINER:
        membership = MembershipFactory(centre_role=True, role=role)
    else:
        membership = MembershipFactory(role=role)
    client.force_login(membership.user)
    response = client.get(reverse("orgs:dashboard"))
    if required:
        assert response.status_code == 302 and response["Location"].startswith(SETUP)
        page = client.get(response["Location"])
        assert page.status_code == 200 and "signer des décisions" in page.content.decode()
    else:
        assert response.status_code == 200


def test_H1_superuser_must_enrol_and_then_gets_in(client, settings):
    settings.CQPHUB_REQUIRE_2FA = True
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    response = client.get(reverse("orgs:dashboard"))
    assert response["Location"].startswith(SETUP)
    client.get(response["Location"])
    pending = TOTPDevice(user=user, key=client.session["orgs_otp_pending_key"])
    done = client.post(response["Location"], {"token": token_for(pending)})
    assert done.status_code == 302 and done["Location"] == reverse("orgs:dashboard")
    assert client.get(reverse("orgs:dashboard")).status_code == 200


def test_H1_apps_can_require_a_second_factor(client, settings, monkeypatch):
    settings.CQPHUB_REQUIRE_2FA = True
    president = UserFactory(email="presidente@example.org")
    monkeypatch.setattr(permissions, "_SECOND_FACTOR_RULES", [])
    permissions.register_second_factor_rule(lambda user: user.email.startswith("presidente"))
    assert permissions.second_factor_required(president)
    assert not permissions.second_factor_required(UserFactory())
    client.force_login(president)
    assert client.get(reverse("orgs:dashboard"))["Location"].startswith(SETUP)


def test_H1_L2_disabling_asks_password_and_current_code(client):
    user = UserFactory()
    device = TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    client.force_login(user)
    _verify(client, device)
    url = reverse("orgs:otp_disable")
    assert client.post(url).status_code == 400
    assert client.post(url, {"password": "wrong-password-123", "token": "123456"}).status_code == 400
    device.refresh_from_db()
    assert client.post(url, {"password": PASSWORD, "token": "000000"}).status_code == 400
    assert TOTPDevice.objects.filter(user=user).exists()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    assert client.post(url, {"password": PASSWORD, "token": token_for(device, 1)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_L8_get_on_the_setup_page_creates_no_device(client):
    user = UserFactory()
    client.force_login(user)
    for _ in range(3):
        assert client.get(SETUP).status_code == 200
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_L1_admin_changes_to_users_and_devices_are_audited(client):
    root, device = _superuser_with_device()
    victim = UserFactory(email="employeur@example.org")
    victim_device = TOTPDevice.objects.create(user=victim, name="v", confirmed=True)
    client.force_login(root)
    _verify(client, device)
    page = client.get(f"/admin/orgs/user/{victim.pk}/change/")
    assert page.status_code == 200
    form = {
        "email": victim.email,
        "first_name": "",
        "last_name": "",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    response = client.post(f"/admin/orgs/user/{victim.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(object_type="orgs.user", object_id=str(victim.pk), action="update")
    assert entry.changes["is_superuser"] == [False, True] and entry.actor == root
    assert "password" not in entry.changes
    response = client.post(f"/admin/otp_totp/totpdevice/{victim_device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    deleted = AuditEntry.objects.get(object_type="otp_totp.totpdevice", action="delete")
    assert victim_device.key not in str(deleted.changes)


# --- H2 -----------------------------------------------------------------------------------------


def _fail(client, email, ip, times=1):
    for _ in range(times):
        client.post(LOGIN, {"username": email, "password": "wrong-password-123"}, REMOTE_ADDR=ip)


def test_H2_one_address_never_locks_everyone(client, settings):
    settings.AXES_ENABLED = True
    UserFactory(email="claire@example.org")
    for n in range(6):
        _fail(client, f"nobody{n}@nowhere.example", "192.0.2.10")
    response = client.post(
        LOGIN, {"username": "claire@example.org", "password": PASSWORD}, REMOTE_ADDR="192.0.2.10"
    )
    assert response.status_code == 302


def test_H2_account_and_address_pair_is_locked(client, settings):
    settings.AXES_ENABLED = True
    UserFactory(email="claire@example.org")
    _fail(client, "claire@example.org", "192.0.2.10", times=5)
    locked = client.post(
        LOGIN, {"username": "claire@example.org", "password": PASSWORD}, REMOTE_ADDR="192.0.2.10"
    )
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "nouveau mot de passe" in body and reverse("orgs:password_reset") in body
    # the same person from the office next door still gets in
    ok = client.post(
        LOGIN, {"username": "claire@example.org", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert ok.status_code == 302


def test_H2_account_is_locked_after_failures_from_many_addresses_and_a_reset_unlocks_it(client, settings):
    settings.AXES_ENABLED = True
    settings.CQPHUB_ACCOUNT_FAILURE_LIMIT = 8
    UserFactory(email="jury@example.org")
    for n in range(8):
        _fail(client, "jury@example.org", f"203.0.113.{n + 1}")
    locked = client.post(
        LOGIN, {"username": "jury@example.org", "password": PASSWORD}, REMOTE_ADDR="198.51.100.9"
    )
    assert locked.status_code == 429
    # the owner proves control of the mailbox: a new password lifts the lock at once
    client.post(reverse("orgs:password_reset"), {"email": "jury@example.org"})
    link = re.search(r"https?://[^/]+(/espace/mot-de-passe-oublie/\S+/\S+/)", mail.outbox[-1].body).group(1)
    form_url = client.get(link)["Location"]
    new = "une-phrase-de-passe-solide-2026"
    assert client.post(form_url, {"new_password1": new, "new_password2": new}).status_code == 302
    ok = client.post(LOGIN, {"username": "jury@example.org", "password": new}, REMOTE_ADDR="198.51.100.9")
    assert ok.status_code == 302


def test_H2_success_on_another_account_does_not_reset_failures(client, settings):
    settings.AXES_ENABLED = True
    UserFactory(email="victim@example.org")
    UserFactory(email="attacker@example.org")
    ip = "192.0.2.44"
    for _ in range(2):
        _fail(client, "victim@example.org", ip, times=3)
        client.post(LOGIN, {"username": "attacker@example.org", "password": PASSWORD}, REMOTE_ADDR=ip)
        client.post(reverse("orgs:logout"))
    locked = client.post(LOGIN, {"username": "victim@example.org", "password": PASSWORD}, REMOTE_ADDR=ip)
    assert locked.status_code == 429


def test_H2_forwarded_for_is_ignored_without_a_trusted_proxy(settings):
    settings.CQPHUB_TRUSTED_PROXIES = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "10.0.0.2"


def test_H2_client_address_behind_trusted_proxies(settings):
    factory = RequestFactory()
    settings.CQPHUB_TRUSTED_PROXIES = 1
    # the client forged an entry; nginx appended the real address last
    request = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"
    settings.CQPHUB_TRUSTED_PROXIES = 2  # a load balancer, then nginx
    request = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9, 10.0.0.5")
    assert client_ip(request) == "203.0.113.9"
    request = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="garbage")
    settings.CQPHUB_TRUSTED_PROXIES = 1
    assert client_ip(request) == "127.0.0.1"


def test_H2_behind_a_proxy_each_client_is_throttled_apart(client, settings):
    settings.AXES_ENABLED = True
    settings.CQPHUB_TRUSTED_PROXIES = 1
    UserFactory(email="claire@example.org")
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "claire@example.org", "password": "wrong-password-123"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    ok = client.post(
        LOGIN,
        {"username": "claire@example.org", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert ok.status_code == 302


# -- CQPHUB_REQUIRE_2FA: each value, its default, and the API's ways in ------------------------------


def _settings_with(monkeypatch, **env):
    import importlib
    import sys

    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.delenv("CQPHUB_REQUIRE_2FA", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    saved = sys.modules.pop("cqphub.settings")
    try:
        return importlib.import_module("cqphub.settings").CQPHUB_REQUIRE_2FA
    finally:
        sys.modules["cqphub.settings"] = saved


def test_H1_require_2fa_default_follows_debug_and_the_variable_wins(monkeypatch):
    assert _settings_with(monkeypatch, DEBUG="0") is True  # production: on
    assert _settings_with(monkeypatch, DEBUG="1") is False  # development and the demo: off
    assert _settings_with(monkeypatch, DEBUG="0", CQPHUB_REQUIRE_2FA="0") is False
    assert _settings_with(monkeypatch, DEBUG="1", CQPHUB_REQUIRE_2FA="1") is True


@pytest.mark.parametrize("required", [True, False])
def test_H1_require_2fa_each_value_for_a_signing_role(client, settings, required):
    settings.CQPHUB_REQUIRE_2FA = required
    membership = MembershipFactory(role=Role.BRANCH_ADMIN)
    client.force_login(membership.user)
    response = client.get(reverse("orgs:dashboard"))
    if required:
        assert response.status_code == 302 and response["Location"].startswith(SETUP)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("required", [True, False])
def test_H1_require_2fa_each_value_on_the_api(client, settings, required):
    """HTTP Basic (password only) is refused to an account that must use a second factor; so is a
    browser session that has not enrolled. A trainer is not concerned either way."""
    import base64

    settings.CQPHUB_REQUIRE_2FA = required
    settings.AXES_ENABLED = False
    admin = MembershipFactory(role=Role.BRANCH_ADMIN).user
    trainer = MembershipFactory(centre_role=True, role=Role.TRAINER).user

    def basic(user):
        token = base64.b64encode(f"{user.email}:{PASSWORD}".encode()).decode()
        return client.get("/api/v1/juries/sessions", HTTP_AUTHORIZATION=f"Basic {token}").status_code

    assert basic(trainer) == 200
    assert basic(admin) == (401 if required else 200)
    client.force_login(admin)
    assert client.get("/api/v1/juries/sessions").status_code == (401 if required else 200)


def test_H1_api_session_needs_the_code_when_the_account_has_a_device(client):
    """The password step alone logs in; the API (like the back office) waits for the code."""
    user, device = _superuser_with_device()
    client.force_login(user)
    assert client.get("/api/v1/juries/sessions").status_code == 401
    _verify(client, device)
    assert client.get("/api/v1/juries/sessions").status_code == 200


def test_H1_deploy_check_warns_when_2fa_is_off(settings):
    from cqphub.orgs.checks import second_factor_enforced

    settings.DEBUG = False
    settings.CQPHUB_REQUIRE_2FA = False
    assert [w.id for w in second_factor_enforced(None)] == ["cqphub.W001"]
    settings.CQPHUB_REQUIRE_2FA = True
    assert second_factor_enforced(None) == []
