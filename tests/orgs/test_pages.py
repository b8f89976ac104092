import pytest
from django.core import mail
from django.urls import reverse

from cqphub.orgs import dashboard
from cqphub.orgs.demo import load_demo_orgs
from cqphub.orgs.models import AuditEntry, Membership, Role, User
from tests.html import Page


@pytest.mark.django_db
class TestDashboard:
    def test_branch_admin_sees_roles_branches_and_journal(self, client, demo):
        client.force_login(demo.users["branch_admin"])
        page = Page(client.get(reverse("orgs:dashboard")))
        assert "Administrateur de branche" in page.text("section[aria-labelledby=roles-title]")
        assert demo.branch.name in page.texts("#branches-title + ul li a")
        journal = page.text("section[aria-labelledby=journal-title]")
        assert "CPNEFP Boulangerie" in journal  # the demo load is in the branch's journal

    def test_centre_manager_sees_centre_not_journal(self, client, demo):
        client.force_login(demo.users["centre_manager"])
        page = Page(client.get(reverse("orgs:dashboard")))
        assert demo.manager_centre.name in page.texts("#centres-title + ul li a")
        assert page.select("#journal-title") == []  # absent, whatever its wording

    def test_account_menu_in_header(self, client, demo):
        assert "Se connecter" in client.get("/").content.decode()
        client.force_login(demo.users["trainer"])
        html = client.get("/").content.decode()
        assert "formateur@demo.cqphub.fr" in html and "Se déconnecter" in html

    def test_panels_registry(self, client, demo, monkeypatch):
        monkeypatch.setattr(
            dashboard,
            "DASHBOARD_PANELS",
            [lambda request: ("orgs/_memberships.html", {"memberships": []}), lambda request: None],
        )
        monkeypatch.setattr("cqphub.orgs.views.DASHBOARD_PANELS", dashboard.DASHBOARD_PANELS)
        client.force_login(demo.users["no_role"])
        html = client.get(reverse("orgs:dashboard")).content.decode()
        assert html.count("Aucun rôle ne vous est attribué") == 2


@pytest.mark.django_db
class TestBranchPages:
    def test_branch_page(self, client, demo):
        client.force_login(demo.users["certification_officer"])
        html = client.get(reverse("orgs:branch", kwargs={"slug": demo.branch.slug})).content.decode()
        assert "IDCC 0843" in html
        assert "CPI Boulangerie-Pâtisserie" in html and "Commission commune" in html
        assert "Association pour les CQP de la boulangerie" in html
        assert reverse("orgs:branch_audit", kwargs={"slug": demo.branch.slug}) not in html  # admin only

    def test_invite_through_the_page(self, client, demo, django_capture_on_commit_callbacks):
        client.force_login(demo.users["branch_admin"])
        url = reverse("orgs:branch_member_invite", kwargs={"slug": demo.branch.slug})
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url, {"email": "nouveau@example.org", "role": Role.JURY_MEMBER, "first_name": "Léa"}
            )
        assert response.status_code == 302
        assert Membership.objects.get(user__email="nouveau@example.org").branch == demo.branch
        assert len(mail.outbox) == 1
        journal = client.get(reverse("orgs:branch_audit", kwargs={"slug": demo.branch.slug})).content.decode()
        assert "nouveau@example.org" in journal and "admin.branche@demo.cqphub.fr" in journal

    def test_invite_advisor_needs_organisation(self, client, demo):
        client.force_login(demo.users["branch_admin"])
        url = reverse("orgs:branch_member_invite", kwargs={"slug": demo.branch.slug})
        response = client.post(url, {"email": "c@example.org", "role": Role.ADVISOR})
        assert response.status_code == 200 and "Indiquez l&#x27;organisme" in response.content.decode()
        assert not User.objects.filter(email="c@example.org").exists()

    def test_invite_cannot_give_a_centre_role(self, client, demo):
        client.force_login(demo.users["branch_admin"])
        url = reverse("orgs:branch_member_invite", kwargs={"slug": demo.branch.slug})
        response = client.post(url, {"email": "c@example.org", "role": Role.TRAINER})
        assert response.status_code == 200 and not User.objects.filter(email="c@example.org").exists()

    def test_withdraw_a_role(self, client, demo):
        client.force_login(demo.users["branch_admin"])
        membership = Membership.objects.get(user=demo.users["jury_member"])
        url = reverse(
            "orgs:branch_membership_deactivate", kwargs={"slug": demo.branch.slug, "pk": membership.pk}
        )
        assert client.get(url).status_code == 405
        assert client.post(url).status_code == 302
        membership.refresh_from_db()
        assert not membership.active
        entry = AuditEntry.objects.filter(action="deactivate").get()
        assert entry.branch == demo.branch and entry.actor == demo.users["branch_admin"]

    def test_cannot_withdraw_a_membership_of_another_branch(self, client, demo):
        client.force_login(demo.users["branch_admin"])
        other = Membership.objects.get(user=demo.users["outsider"])
        url = reverse("orgs:branch_membership_deactivate", kwargs={"slug": demo.branch.slug, "pk": other.pk})
        assert client.post(url).status_code == 404
        other.refresh_from_db()
        assert other.active

    def test_journal_lists_entries_of_the_branch_only(self, client, demo):
        client.force_login(demo.users["branch_admin"])
        html = client.get(reverse("orgs:branch_audit", kwargs={"slug": demo.branch.slug})).content.decode()
        assert "Boulangerie-pâtisserie artisanale" in html
        assert "Métallurgie" not in html.split("<main")[1]


@pytest.mark.django_db
class TestCentrePages:
    def test_manager_sees_and_invites_staff(self, client, demo, django_capture_on_commit_callbacks):
        client.force_login(demo.users["centre_manager"])
        centre = demo.manager_centre
        html = client.get(reverse("orgs:centre", kwargs={"pk": centre.pk})).content.decode()
        assert centre.siret in html and "Personnels du centre" in html
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("orgs:centre_member_invite", kwargs={"pk": centre.pk}),
                {"email": "eval@example.org", "role": Role.ASSESSOR},
            )
        assert response.status_code == 302
        assert Membership.objects.get(user__email="eval@example.org").centre == centre

    def test_trainer_sees_centre_without_staff_list(self, client, demo):
        client.force_login(demo.users["trainer"])
        centre = demo.centres[0]
        html = client.get(reverse("orgs:centre", kwargs={"pk": centre.pk})).content.decode()
        assert centre.name in html and "Personnels du centre" not in html


@pytest.mark.django_db
def test_demo_is_idempotent(demo):
    counts = (User.objects.count(), Membership.objects.count(), AuditEntry.objects.count())
    assert load_demo_orgs() == dict.fromkeys(
        ["branches", "committees", "certifiers", "centres", "users", "memberships"], 0
    )
    assert (User.objects.count(), Membership.objects.count(), AuditEntry.objects.count()) == counts
    assert User.objects.get(email="admin@demo.cqphub.fr").is_superuser


@pytest.mark.django_db
def test_english_translation(client):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("orgs:login")).content.decode()
    assert "Log in to the back office" in html and "E-mail address" in html


@pytest.mark.django_db
class TestEditPages:
    def test_branch_admin_edits_idcc_and_it_is_audited(self, client, demo):
        client.force_login(demo.users["branch_admin"])
        url = reverse("orgs:branch_edit", kwargs={"slug": demo.branch.slug})
        bad = client.post(url, {"name": demo.branch.name, "idcc_codes": "0843, 12"})
        assert bad.status_code == 200 and "12" in bad.content.decode()
        good = client.post(url, {"name": demo.branch.name, "idcc_codes": "0843, 1747"})
        assert good.status_code == 302
        demo.branch.refresh_from_db()
        assert demo.branch.idcc_codes == ["0843", "1747"]
        entry = AuditEntry.objects.filter(action="update", branch=demo.branch).get()
        assert entry.changes == {"idcc_codes": [["0843"], ["0843", "1747"]]}

    def test_centre_manager_sets_qualiopi_date(self, client, demo):
        client.force_login(demo.users["centre_manager"])
        centre = demo.manager_centre
        url = reverse("orgs:centre_edit", kwargs={"pk": centre.pk})
        response = client.post(
            url,
            {
                "address": centre.address,
                "postcode": "59800",
                "city": "Lille",
                "qualiopi_certified_on": "2025-01-31",
            },
        )
        assert response.status_code == 302
        entry = AuditEntry.objects.filter(action="update", centre=centre).get()
        assert entry.changes == {
            "postcode": ["59000", "59800"],
            "qualiopi_certified_on": ["2021-11-22", "2025-01-31"],
        }
