import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from cqphub.orgs import audit, services
from cqphub.orgs.models import AuditEntry, Branch, Centre, CentreKind, Membership, Role, User, complete_siret
from tests.factories.orgs import BranchFactory, CentreFactory, MembershipFactory, UserFactory


class TestDiff:
    def test_only_changed_keys(self):
        assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": "x"}) == {"b": [2, 3], "c": [None, "x"]}

    def test_values_made_json_safe(self):
        changes = audit.diff({"d": None}, {"d": dt.date(2026, 1, 2)})
        assert changes == {"d": [None, "2026-01-02"]}


@pytest.mark.django_db
class TestBranchServices:
    def test_create_is_audited(self):
        actor = UserFactory()
        branch = services.create_branch(actor=actor, name="Coiffure", slug="coiffure", idcc_codes=["2596"])
        entry = AuditEntry.objects.get()
        assert (entry.actor, entry.action, entry.branch) == (actor, "create", branch)
        assert entry.object_type == "orgs.branch" and entry.object_id == str(branch.pk)
        assert entry.changes["idcc_codes"] == [None, ["2596"]]

    def test_update_records_the_diff(self):
        actor = UserFactory()
        branch = BranchFactory(name="Coiffure", idcc_codes=["2596"])
        services.update_branch(actor=actor, branch=branch, name="Coiffure et esthétique")
        entry = AuditEntry.objects.get()
        assert entry.action == "update"
        assert entry.changes == {"name": ["Coiffure", "Coiffure et esthétique"]}

    def test_no_change_no_entry(self):
        branch = BranchFactory(name="Coiffure")
        services.update_branch(actor=UserFactory(), branch=branch, name="Coiffure")
        assert not AuditEntry.objects.exists()

    def test_bad_input_writes_nothing(self):
        with pytest.raises(ValidationError) as error:
            services.create_branch(actor=None, name="X", slug="x", idcc_codes=["12"])
        assert "idcc_codes" in error.value.message_dict
        assert not Branch.objects.exists() and not AuditEntry.objects.exists()

    def test_unknown_field_refused(self):
        with pytest.raises(TypeError):
            services.update_branch(actor=None, branch=BranchFactory(), colour="red")

    def test_joint_committee_filed_under_each_branch(self):
        a, b = BranchFactory(), BranchFactory()
        committee = services.create_committee(actor=None, name="CPI", short_name="CPI", branches=[a, b])
        assert committee.is_joint
        assert set(AuditEntry.objects.values_list("branch", flat=True)) == {a.pk, b.pk}

    def test_committee_needs_a_branch(self):
        with pytest.raises(ValidationError):
            services.create_committee(actor=None, name="CPI", short_name="CPI", branches=[])


@pytest.mark.django_db
class TestCentreServices:
    def test_create_and_update(self):
        centre = services.create_centre(
            actor=None,
            name="Centre A",
            siret=complete_siret("9990990000001"),
            kind=CentreKind.TRAINING,
            city="Nancy",
        )
        services.update_centre(actor=None, centre=centre, qualiopi_certified_on=dt.date(2024, 5, 6))
        update = AuditEntry.objects.get(action="update")
        assert update.centre == centre
        assert update.changes == {"qualiopi_certified_on": [None, "2024-05-06"]}

    def test_bad_siret_named(self):
        with pytest.raises(ValidationError) as error:
            services.create_centre(actor=None, name="C", siret="12345678901234", kind=CentreKind.BOTH)
        assert "siret" in error.value.message_dict
        assert not Centre.objects.exists()


@pytest.mark.django_db
class TestMemberships:
    def test_invite_new_person(self, django_capture_on_commit_callbacks):
        admin = MembershipFactory().user
        branch = admin.memberships.get().branch
        with django_capture_on_commit_callbacks(execute=True):
            membership = services.invite_member(
                actor=admin,
                email="New.Person@Example.org",
                role=Role.CERTIFICATION_OFFICER,
                branch=branch,
                first_name="Nina",
                base_url="https://cqphub.example/",
            )
        user = User.objects.get(email="new.person@example.org")
        assert membership.user == user and not user.has_usable_password()
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["new.person@example.org"]
        assert "https://cqphub.example/espace/mot-de-passe-oublie/" in message.body
        assert branch.name in message.body
        actions = sorted(AuditEntry.objects.filter(branch=branch).values_list("action", flat=True))
        assert actions == ["create", "invite"]

    def test_invite_existing_person_sends_no_mail(self, django_capture_on_commit_callbacks):
        branch = BranchFactory()
        person = UserFactory()
        with django_capture_on_commit_callbacks(execute=True):
            services.invite_member(
                actor=None, email=person.email, role=Role.JURY_MEMBER, branch=branch, base_url="http://x/"
            )
        assert person.memberships.get().role == Role.JURY_MEMBER
        assert mail.outbox == []

    def test_invite_twice_refused(self):
        membership = MembershipFactory()
        with pytest.raises(ValidationError):
            services.invite_member(
                actor=None,
                email=membership.user.email,
                role=membership.role,
                branch=membership.branch,
                base_url="http://x/",
            )

    def test_invite_centre_role_without_centre_refused(self):
        with pytest.raises(ValidationError):
            services.invite_member(actor=None, email="a@b.fr", role=Role.TRAINER, base_url="http://x/")
        assert not User.objects.exists()

    def test_deactivate_and_reactivate(self):
        membership = MembershipFactory(role=Role.JURY_MEMBER)
        services.deactivate_membership(actor=None, membership=membership)
        membership.refresh_from_db()
        assert not membership.active
        again = services.add_membership(
            actor=None, user=membership.user, role=membership.role, branch=membership.branch
        )
        assert again.pk == membership.pk and again.active
        assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
            "deactivate",
            "reactivate",
        ]

    def test_admin_cannot_remove_own_admin_role(self):
        membership = MembershipFactory(role=Role.BRANCH_ADMIN)
        with pytest.raises(ValidationError):
            services.deactivate_membership(actor=membership.user, membership=membership)
        assert Membership.objects.get().active

    def test_centre_membership_audit_filed_under_centre(self):
        centre = CentreFactory()
        services.add_membership(actor=None, user=UserFactory(), role=Role.ASSESSOR, centre=centre)
        assert AuditEntry.objects.get().centre == centre
