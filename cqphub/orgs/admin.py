from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from cqphub.orgs import audit
from cqphub.orgs.models import AuditEntry, Branch, Centre, CertifierEntity, Committee, Membership, User


class AuditedMixin:
    """Changes made through the admin site go to the audit trail too, inlines included (review L1).

    Fields named in `audit_exclude` (secrets, password hashes) are never written to the trail: a
    change to one of them is recorded as `"<field>": ["…", "…"]` without the values."""

    audit_exclude: tuple[str, ...] = ()

    def _snapshot(self, obj, exclude=None) -> dict:
        exclude = self.audit_exclude if exclude is None else exclude
        data = audit.snapshot(obj)
        return {key: ("…" if key in exclude else value) for key, value in data.items()} | {
            f"{key}#": hash(str(data[key])) for key in exclude if key in data
        }

    def _changes(self, before: dict, after: dict) -> dict:
        changes = audit.diff(before, after)
        for key in [k for k in changes if k.endswith("#")]:
            changes[key[:-1]] = ["…", "…"]
            del changes[key]
        return changes

    def save_model(self, request, obj, form, change):
        before = self._snapshot(type(obj)._base_manager.get(pk=obj.pk)) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        changes = self._changes(before, self._snapshot(obj))
        if changes or not change:
            audit.record(request.user, "update" if change else "create", obj, changes=changes)

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        many = [f.name for f in obj._meta.many_to_many]
        before = audit.snapshot(type(obj)._base_manager.get(pk=obj.pk), fields=many) if many else {}
        super().save_related(request, form, formsets, change)
        changes = audit.diff(before, audit.snapshot(obj, fields=many)) if many and change else {}
        if changes:
            audit.record(request.user, "update", obj, changes=changes)

    def save_formset(self, request, form, formset, change):
        model = formset.model
        pks = [f.instance.pk for f in formset.initial_forms if f.instance.pk is not None]
        before = {o.pk: o for o in model._base_manager.filter(pk__in=pks)}
        deleted = [before[f.instance.pk] for f in formset.deleted_forms if f.instance.pk in before]
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit.record(request.user, "create", obj, changes=self._changes({}, self._snapshot(obj, ())))
        for obj, _fields in formset.changed_objects:
            old = before.get(obj.pk)
            changes = self._changes(self._snapshot(old, ()) if old else {}, self._snapshot(obj, ()))
            audit.record(request.user, "update", obj, changes=changes)
        for old in deleted:
            audit.record(request.user, "delete", old, changes=self._changes(self._snapshot(old, ()), {}))

    def delete_model(self, request, obj):
        audit.record(request.user, "delete", obj, changes=self._changes(self._snapshot(obj), {}))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(request.user, "delete", obj, changes=self._changes(self._snapshot(obj), {}))
        super().delete_queryset(request, queryset)


class AuditedAdmin(AuditedMixin, admin.ModelAdmin):
    pass


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["branch", "centre"]


@admin.register(User)
class UserAdmin(AuditedMixin, DjangoUserAdmin):
    audit_exclude = ("password", "last_login")
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name")}),
        (_("Droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),
    )
    inlines = [MembershipInline]

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            audit.record(request.user, "password_set", user, changes={"password": ["…", "…"]})
        return response


# The TOTP devices in the admin: never their key nor their QR code (settings
# OTP_ADMIN_HIDE_SENSITIVE_DATA), and every change or removal audited (review H1, L1).
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuditedTOTPDeviceAdmin(AuditedMixin, TOTPDeviceAdmin):
    audit_exclude = ("key", "last_t", "throttling_failure_timestamp", "throttling_failure_count")

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *(("key",) if obj else ())]


@admin.register(Branch)
class BranchAdmin(AuditedAdmin):
    list_display = ["name", "slug", "idcc_codes"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Committee)
class CommitteeAdmin(AuditedAdmin):
    list_display = ["short_name", "name"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["branches"]


@admin.register(CertifierEntity)
class CertifierEntityAdmin(AuditedAdmin):
    list_display = ["name", "siret", "branch"]
    search_fields = ["name", "siret"]
    list_filter = ["branch"]


@admin.register(Centre)
class CentreAdmin(AuditedAdmin):
    list_display = ["name", "kind", "siret", "city", "qualiopi_certified_on"]
    list_filter = ["kind"]
    search_fields = ["name", "siret", "city"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "role", "branch", "centre", "organisation", "active"]
    list_filter = ["role", "active", "branch"]
    search_fields = ["user__email", "organisation"]
    autocomplete_fields = ["user", "branch", "centre"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_repr", "action", "object_type", "object_repr", "branch", "centre"]
    list_filter = ["action", "object_type", "branch"]
    search_fields = ["actor_repr", "object_repr", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
