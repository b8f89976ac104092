"""Admin pages to browse the nomenclatures (they are filled by the importers, not by hand)."""

from django.contrib import admin

from cqphub.reference.models import (
    CollectiveAgreement,
    CpneReference,
    Formacode,
    NsfCode,
    Opco,
    OpcoAttachment,
    RomeCode,
    RomeJobTitle,
    RomeSkill,
)


class OpcoAttachmentInline(admin.TabularInline):
    model = OpcoAttachment
    extra = 0
    autocomplete_fields = ["opco"]


@admin.register(CollectiveAgreement)
class CollectiveAgreementAdmin(admin.ModelAdmin):
    list_display = ["idcc", "title", "active", "source"]
    list_filter = ["active", "source"]
    search_fields = ["idcc", "title", "short_title", "search_text"]
    readonly_fields = ["search_text"]
    inlines = [OpcoAttachmentInline]


@admin.register(Opco)
class OpcoAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name"]
    search_fields = ["name", "short_name"]


@admin.register(OpcoAttachment)
class OpcoAttachmentAdmin(admin.ModelAdmin):
    list_display = ["agreement", "opco", "valid_from", "source"]
    list_filter = ["opco", "source"]
    search_fields = ["agreement__idcc", "agreement__title"]
    autocomplete_fields = ["agreement", "opco"]


@admin.register(CpneReference)
class CpneReferenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "source"]
    search_fields = ["code", "name"]
    filter_horizontal = ["agreements"]


class RomeJobTitleInline(admin.TabularInline):
    model = RomeJobTitle
    extra = 0
    fields = ["code_ogr", "title", "principal"]


@admin.register(RomeCode)
class RomeCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "parent_code"]
    search_fields = ["code", "title", "search_text"]
    readonly_fields = ["search_text"]
    inlines = [RomeJobTitleInline]


@admin.register(RomeJobTitle)
class RomeJobTitleAdmin(admin.ModelAdmin):
    list_display = ["code_ogr", "title", "rome", "principal"]
    list_filter = ["principal"]
    search_fields = ["code_ogr", "title", "rome__code"]
    raw_id_fields = ["rome"]


@admin.register(RomeSkill)
class RomeSkillAdmin(admin.ModelAdmin):
    list_display = ["code_ogr", "title", "kind", "category", "rome"]
    list_filter = ["kind", "category"]
    search_fields = ["code_ogr", "title"]
    raw_id_fields = ["rome"]


@admin.register(NsfCode)
class NsfCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "level", "official"]
    list_filter = ["level", "official"]
    search_fields = ["code", "label"]


@admin.register(Formacode)
class FormacodeAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "version", "parent_code", "domain"]
    list_filter = ["version"]
    search_fields = ["code", "label"]
