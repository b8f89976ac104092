import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cqphub.orgs.models import (
    AuditEntry,
    Branch,
    Membership,
    Role,
    User,
    complete_siret,
    luhn_ok,
    validate_idcc_codes,
    validate_siret,
)
from tests.factories.orgs import BranchFactory, CentreFactory, MembershipFactory, UserFactory


class TestSiret:
    def test_complete_siret_passes_luhn(self):
        siret = complete_siret("9990010000001")
        assert len(siret) == 14 and luhn_ok(siret)
        validate_siret(siret)

    @pytest.mark.parametrize("value", ["", "1234", "1234567890123A", "123456789012345"])
    def test_format(self, value):
        with pytest.raises(ValidationError) as error:
            validate_siret(value)
        assert error.value.code == "siret_format"

    def test_checksum(self):
        good = complete_siret("9990010000001")
        bad = good[:-1] + str((int(good[-1]) + 1) % 10)
        with pytest.raises(ValidationError) as error:
            validate_siret(bad)
        assert error.value.code == "siret_checksum"
        assert bad in str(error.value)

    def test_la_poste_rule(self):
        # La Poste's establishments (SIREN 356000000) use a digit sum divisible by 5.
        validate_siret("35600000000048")  # head office: Luhn
        validate_siret("35600000012346")  # an establishment: digit sum 30


class TestIdcc:
    def test_valid(self):
        validate_idcc_codes(["0843", "1267"])

    @pytest.mark.parametrize("value", [[], "0843", ["843"], ["08431"], [843], ["0843", "0843"]])
    def test_invalid(self, value):
        with pytest.raises(ValidationError):
            validate_idcc_codes(value)

    @pytest.mark.django_db
    def test_branch_full_clean_names_the_bad_code(self):
        branch = Branch(name="X", slug="x", idcc_codes=["12a4"])
        with pytest.raises(ValidationError) as error:
            branch.full_clean()
        assert "12a4" in str(error.value.message_dict["idcc_codes"])


@pytest.mark.django_db
class TestUser:
    def test_email_is_the_login_and_is_lowercased(self):
        user = User.objects.create_user("Claire.Martin@Example.ORG", "a-long-password-123")
        assert user.email == "claire.martin@example.org"
        assert User.USERNAME_FIELD == "email"
        assert not hasattr(user, "username") or user.username is None
        assert User.objects.get_by_natural_key("CLAIRE.martin@example.org") == user
        assert user.check_password("a-long-password-123")

    def test_email_unique(self):
        User.objects.create_user("a@example.org")
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create_user("A@example.org")

    def test_no_password_means_unusable(self):
        assert not User.objects.create_user("b@example.org").has_usable_password()

    def test_superuser(self):
        root = User.objects.create_superuser("root@example.org", "a-long-password-123")
        assert root.is_staff and root.is_superuser
        with pytest.raises(ValueError):
            User.objects.create_superuser("r2@example.org", "x", is_staff=False)


@pytest.mark.django_db
class TestMembershipConstraints:
    def test_branch_role_needs_a_branch_in_the_database(self):
        user = UserFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.create(user=user, role=Role.BRANCH_ADMIN)

    def test_centre_role_cannot_point_at_a_branch(self):
        user = UserFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.create(
                user=user, role=Role.TRAINER, branch=BranchFactory(), centre=CentreFactory()
            )

    def test_advisor_needs_an_organisation(self):
        user = UserFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.create(user=user, role=Role.ADVISOR, branch=BranchFactory())
        Membership.objects.create(user=user, role=Role.ADVISOR, organisation="France Travail")

    def test_unique_role_per_organisation(self):
        membership = MembershipFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.create(user=membership.user, role=membership.role, branch=membership.branch)

    def test_clean_explains(self):
        membership = Membership(user=UserFactory(), role=Role.ASSESSOR, branch=BranchFactory())
        with pytest.raises(ValidationError) as error:
            membership.full_clean()
        assert "centre" in error.value.message_dict

    def test_valid_scopes(self):
        assert MembershipFactory().branch is not None
        assert MembershipFactory(centre_role=True).centre is not None
        assert MembershipFactory(outside=True).organisation


@pytest.mark.django_db
class TestAuditEntryIsAppendOnly:
    def test_cannot_update_or_delete(self):
        entry = AuditEntry.objects.create(action="create", object_type="orgs.branch", object_id="1")
        entry.action = "update"
        with pytest.raises(TypeError):
            entry.save()
        with pytest.raises(TypeError):
            entry.delete()
        with pytest.raises(TypeError):
            AuditEntry.objects.all().update(action="x")
        with pytest.raises(TypeError):
            AuditEntry.objects.all().delete()
        assert AuditEntry.objects.get().action == "create"

    def test_survives_the_deletion_of_its_actor(self):
        user = UserFactory()
        AuditEntry.objects.create(actor=user, actor_repr=user.email, action="create", object_type="x.y")
        user.delete()
        entry = AuditEntry.objects.get()
        assert entry.actor is None and entry.actor_repr
