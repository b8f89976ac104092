from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import AuditEntry, Branch, Centre, CertifierEntity, Committee, Membership, User


class AuditedAdmin(admin.ModelAdmin):
    """Changes made through the admin site go to the audit trail too."""

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(type(obj)._base_manager.get(pk=obj.pk)) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        changes = audit.diff(before, audit.snapshot(obj))
        if changes or not change:
            audit.record(request.user, "update" if change else "create", obj, changes=changes)

    def delete_model(self, request, obj):
        audit.record(request.user, "delete", obj, changes=audit.diff(audit.snapshot(obj), {}))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(request.user, "delete", obj, changes=audit.diff(audit.snapshot(obj), {}))
        super().delete_queryset(request, queryset)


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["branch", "centre"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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
