import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cqphub.orgs.models import AuditEntry, User
from tests.factories.orgs import PASSWORD, MembershipFactory, UserFactory

LOGIN = reverse("orgs:login")
DASHBOARD = reverse("orgs:dashboard")


def token_for(device, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - offset * device.step, digits=device.digits):06d}"


@pytest.mark.django_db
class TestLogin:
    def test_login_page_renders(self, client):
        response = client.get(LOGIN)
        assert response.status_code == 200
        assert 'type="email"' in response.content.decode()

    def test_login_by_email_case_insensitive(self, client):
        user = UserFactory(email="claire@example.org")
        response = client.post(LOGIN, {"username": "Claire@Example.org", "password": PASSWORD})
        assert response.status_code == 302 and response["Location"] == DASHBOARD
        assert client.session["_auth_user_id"] == str(user.pk)

    def test_wrong_password(self, client):
        UserFactory(email="claire@example.org")
        response = client.post(LOGIN, {"username": "claire@example.org", "password": "wrong-password-123"})
        assert response.status_code == 200
        assert "incorrect" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_back_office_requires_login(self, client):
        response = client.get(DASHBOARD)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)

    def test_logout_is_a_post(self, client):
        client.force_login(UserFactory())
        assert client.get(reverse("orgs:logout")).status_code == 405
        assert client.post(reverse("orgs:logout")).status_code == 302
        assert "_auth_user_id" not in client.session

    def test_lockout_after_five_failures(self, client, settings):
        settings.AXES_ENABLED = True
        UserFactory(email="claire@example.org")
        for _ in range(5):
            client.post(LOGIN, {"username": "claire@example.org", "password": "wrong-password-123"})
        response = client.post(LOGIN, {"username": "claire@example.org", "password": PASSWORD})
        assert response.status_code == 429
        assert "temporairement bloqué" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_four_failures_then_success(self, client, settings):
        settings.AXES_ENABLED = True
        UserFactory(email="claire@example.org")
        for _ in range(4):
            client.post(LOGIN, {"username": "claire@example.org", "password": "wrong-password-123"})
        response = client.post(LOGIN, {"username": "claire@example.org", "password": PASSWORD})
        assert response.status_code == 302


@pytest.mark.django_db
class TestPasswordReset:
    def test_reset_flow(self, client):
        user = UserFactory(email="claire@example.org")
        response = client.post(reverse("orgs:password_reset"), {"email": "claire@example.org"})
        assert response.status_code == 302 and response["Location"] == reverse("orgs:password_reset_done")
        assert len(mail.outbox) == 1 and mail.outbox[0].to == ["claire@example.org"]
        link = re.search(r"https?://[^/]+(/espace/mot-de-passe-oublie/\S+/\S+/)", mail.outbox[0].body).group(
            1
        )
        response = client.get(link)
        assert response.status_code == 302  # Django swaps the token for a session key
        form_url = response["Location"]
        weak = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
        assert weak.status_code == 200 and not User.objects.get(pk=user.pk).check_password("short")
        new = "une-phrase-de-passe-solide-2026"
        done = client.post(form_url, {"new_password1": new, "new_password2": new})
        assert done.status_code == 302 and done["Location"] == reverse("orgs:password_reset_complete")
        assert User.objects.get(pk=user.pk).check_password(new)

    def test_unknown_address_reveals_nothing(self, client):
        response = client.post(reverse("orgs:password_reset"), {"email": "nobody@example.org"})
        assert response.status_code == 302 and mail.outbox == []

    def test_invited_user_can_choose_a_password(self, client, django_capture_on_commit_callbacks):
        from cqphub.orgs import services

        admin = MembershipFactory()
        with django_capture_on_commit_callbacks(execute=True):
            services.invite_member(
                actor=admin.user,
                email="nina@example.org",
                role="jury_member",
                branch=admin.branch,
                base_url="http://testserver/",
            )
        link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
        form_url = client.get(link)["Location"]
        new = "une-phrase-de-passe-solide-2026"
        assert client.post(form_url, {"new_password1": new, "new_password2": new}).status_code == 302
        assert client.post(LOGIN, {"username": "nina@example.org", "password": new}).status_code == 302


@pytest.mark.django_db
class TestTotp:
    def test_enrol_then_second_step_at_next_login(self, client):
        user = MembershipFactory().user
        client.force_login(user)
        page = client.get(reverse("orgs:otp_setup"))
        assert page.status_code == 200 and "<svg" in page.content.decode()
        assert not TOTPDevice.objects.filter(user=user).exists()  # review L8: no device on GET
        pending = TOTPDevice(user=user, key=client.session["orgs_otp_pending_key"])
        bad = client.post(
            reverse("orgs:otp_setup"), {"token": "000000" if token_for(pending) != "000000" else "111111"}
        )
        assert bad.status_code == 200 and not TOTPDevice.objects.filter(user=user).exists()
        good = client.post(reverse("orgs:otp_setup"), {"token": token_for(pending)})
        assert good.status_code == 302
        device = TOTPDevice.objects.get(user=user)
        assert device.confirmed and device.key == pending.key
        assert AuditEntry.objects.filter(action="otp_enable", object_id=str(user.pk)).exists()
        # the enrolling session is verified
        assert client.get(DASHBOARD).status_code == 200

        client.post(reverse("orgs:logout"))
        response = client.post(LOGIN, {"username": user.email, "password": PASSWORD})
        assert response.status_code == 302 and response["Location"].startswith(reverse("orgs:otp_verify"))
        # logged in but not verified: the back office sends to the second step
        blocked = client.get(reverse("orgs:branch", kwargs={"slug": user.memberships.get().branch.slug}))
        assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("orgs:otp_verify"))
        wrong = client.post(reverse("orgs:otp_verify"), {"token": "12345"})
        assert wrong.status_code == 200
        device.refresh_from_db()
        ok = client.post(
            reverse("orgs:otp_verify") + "?next=/espace/compte/", {"token": token_for(device, 1)}
        )
        assert ok.status_code == 302 and ok["Location"] == "/espace/compte/"
        assert client.get(DASHBOARD).status_code == 200

    def test_open_redirect_refused(self, client):
        user = UserFactory()
        device = TOTPDevice.objects.create(user=user, name="t", confirmed=True)
        client.force_login(user)
        response = client.post(
            reverse("orgs:otp_verify") + "?next=https://evil.example/", {"token": token_for(device)}
        )
        assert response.status_code == 302 and response["Location"] == DASHBOARD

    def test_disable(self, client):
        user = UserFactory()
        device = TOTPDevice.objects.create(user=user, name="t", confirmed=True)
        client.force_login(user)
        client.post(reverse("orgs:otp_verify"), {"token": token_for(device)})
        device.refresh_from_db()
        response = client.post(
            reverse("orgs:otp_disable"), {"password": PASSWORD, "token": token_for(device, 1)}
        )
        assert response.status_code == 302
        assert not TOTPDevice.objects.filter(user=user).exists()
        assert AuditEntry.objects.filter(action="otp_disable").exists()
