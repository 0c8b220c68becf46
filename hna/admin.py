"""The concerns checklist in the admin. A service admin makes a new draft from a version (same
categories and items, same codes), adds, renames, reorders or removes items in the draft, then
publishes it. A published version is read-only for good: assessments answered on it point at it,
and new assessments use the newest published version (ChecklistVersion.current())."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Max
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from hna.models import ChecklistVersion, ConcernCategory, ConcernItem

DRAFT = ChecklistVersion.Status.DRAFT


@transaction.atomic
def copy_as_draft(version: ChecklistVersion) -> ChecklistVersion:
    """A new draft numbered after every existing version, with the same categories and items."""
    number = (ChecklistVersion.objects.select_for_update().aggregate(n=Max("number"))["n"] or 0) + 1
    draft = ChecklistVersion.objects.create(number=number, name=version.name, status=DRAFT)
    for category in version.categories.prefetch_related("items"):
        copy = ConcernCategory.objects.create(
            version=draft, code=category.code, name=category.name, position=category.position
        )
        ConcernItem.objects.bulk_create(
            ConcernItem(category=copy, code=item.code, text=item.text, position=item.position)
            for item in category.items.all()
        )
    return draft


class CannotPublish(Exception):
    pass


@transaction.atomic
def publish(version: ChecklistVersion, user) -> ChecklistVersion:
    version = ChecklistVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != DRAFT:
        raise CannotPublish(f"Version {version.number} is already published")
    newer = ChecklistVersion.objects.filter(status="published", number__gt=version.number).first()
    if newer:
        raise CannotPublish(f"Version {newer.number} is newer and already published: make a new draft from it instead")
    empty = [c.name for c in version.categories.all() if not c.items.exists()]
    if not version.categories.exists() or empty:
        what = f"these categories have no items: {', '.join(empty)}" if empty else "it has no categories"
        raise CannotPublish(f"Version {version.number} cannot be published: {what}")
    version.status, version.published_at, version.published_by = "published", timezone.now(), user
    version.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    return version


def _is_draft(version) -> bool:
    return version is not None and version.status == DRAFT


class StableCodeForm(forms.ModelForm):
    """A code is fixed once saved: answers are compared across versions by code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding and "code" in self.fields:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = "Codes never change, so answers compare across versions"


class CategoryForm(StableCodeForm):
    pass  # (version, code) is unique in the database, and the form checks that constraint


class ItemForm(StableCodeForm):
    def clean_code(self):
        """Unique within the whole version (the database only enforces it per category)."""
        code = self.cleaned_data["code"]
        version_id = self.instance.category.version_id if self.instance.category_id else None
        if version_id and self.instance._state.adding:
            if ConcernItem.objects.filter(category__version=version_id, code=code).exists():
                raise forms.ValidationError("Another item in this version already uses this code")
        return code


class DraftOnlyInline(admin.TabularInline):
    """Rows can be added, changed and deleted while the parent belongs to a draft, never after."""

    extra = 0

    def _draft(self, obj) -> bool:
        raise NotImplementedError

    def has_add_permission(self, request, obj=None):
        return self._draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._draft(obj) and super().has_delete_permission(request, obj)


class ConcernCategoryInline(DraftOnlyInline):
    model = ConcernCategory
    form = CategoryForm
    fields = ["code", "name", "position"]
    show_change_link = True

    def _draft(self, obj):
        return _is_draft(obj)


class ConcernItemInline(DraftOnlyInline):
    model = ConcernItem
    form = ItemForm
    fields = ["code", "text", "position"]

    def _draft(self, obj):
        return obj is None or _is_draft(obj.version)  # a new category can only be added to a draft


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "status", "published_at", "published_by"]
    list_filter = ["status"]
    fields = ["number", "name", "status", "published_at", "published_by"]
    readonly_fields = ["number", "status", "published_at", "published_by"]
    inlines = [ConcernCategoryInline]
    actions = ["make_draft", "publish_versions"]

    def has_add_permission(self, request):
        return False  # new versions start as a copy: "Make a new draft from this version"

    def has_change_permission(self, request, obj=None):
        return (obj is None or _is_draft(obj)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # a draft is cleared by removing its rows; versions themselves stay numbered

    @admin.action(description="Make a new draft from this version", permissions=["change"])
    def make_draft(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select one version to copy.", messages.ERROR)
            return None
        draft = copy_as_draft(queryset.get())
        self.log_addition(request, draft, [{"added": {}}])
        self.message_user(request, f"Version {draft.number} made as a draft: change it, then publish it.")
        return HttpResponseRedirect(reverse("admin:hna_checklistversion_change", args=[draft.pk]))

    @admin.action(description="Publish", permissions=["change"])
    def publish_versions(self, request, queryset):
        for version in queryset.order_by("number"):
            try:
                publish(version, request.user)
            except CannotPublish as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.log_change(request, version, "Published")
                self.message_user(request, f"Version {version.number} is published: new assessments use it.")


@admin.register(ConcernCategory)
class ConcernCategoryAdmin(admin.ModelAdmin):
    form = CategoryForm
    list_display = ["name", "code", "version", "position"]
    list_filter = ["version"]
    list_select_related = ["version"]
    fields = ["version", "code", "name", "position"]
    inlines = [ConcernItemInline]

    def get_readonly_fields(self, request, obj=None):
        return ["version"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = ChecklistVersion.objects.filter(status=DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return (obj is None or _is_draft(obj.version)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is not None and _is_draft(obj.version) and super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        """A draft category goes with its items (nothing has been answered on a draft)."""
        objs = list(objs)
        items = [str(item) for category in objs for item in category.items.all()]
        return [*map(str, objs), items], {"concern categories": len(objs), "concern items": len(items)}, set(), []

    @transaction.atomic
    def delete_model(self, request, obj):
        obj.items.all().delete()
        obj.delete()

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk delete would reach published versions
        return actions
