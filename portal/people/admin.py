from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from portal.access.admin import PatientAccountsHidden, PolicyAdmin
from portal.people.forms import PatientAdminForm
from portal.people.models import CareTeam, Diagnosis, Organisation, Patient, RoleAssignment, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "ods_code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "ods_code"]


@admin.register(CareTeam)
class CareTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "tumour_site", "phone"]
    list_filter = ["tumour_site", "organisation"]
    search_fields = ["name"]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organisation", "team"]


@admin.register(User)
class UserAdmin(PatientAccountsHidden, DjangoUserAdmin):
    """Staff accounts; a patient's own account only for someone who may see that patient."""

    user_path = ""
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [RoleAssignmentInline]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Name", {"fields": ["first_name", "last_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "active_role"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "active_role":
            user_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = RoleAssignment.objects.filter(user_id=user_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # Disabling an account signs it out everywhere, at once.
            from portal.access.sessions import end_sessions

            end_sessions(obj)


class DiagnosisInline(admin.StackedInline):
    model = Diagnosis
    extra = 0

    def get_queryset(self, request):
        return Diagnosis.objects.visible_to(request.user)


@admin.register(Patient)
class PatientAdmin(PolicyAdmin):
    patient_path = ""
    form = PatientAdminForm
    list_display = ["family_name", "given_name", "nhs_number", "date_of_birth", "registered_practice"]
    search_fields = ["nhs_number", "family_name", "given_name"]
    list_select_related = ["registered_practice"]
    filter_horizontal = ["care_teams"]
    autocomplete_fields = ["user"]
    inlines = [DiagnosisInline]


@admin.register(Diagnosis)
class DiagnosisAdmin(PolicyAdmin):
    list_display = ["patient", "tumour_site", "icd10_code", "date_of_diagnosis", "stage"]
    list_filter = ["tumour_site", "stage"]
    list_select_related = ["patient"]
    autocomplete_fields = ["patient"]
    search_fields = ["patient__nhs_number", "patient__family_name"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organisation", "team"]
    list_filter = ["role", "organisation"]
    autocomplete_fields = ["user", "organisation", "team"]


admin.site.site_header = "Personalised cancer care: admin"
admin.site.site_title = "Personalised cancer care admin"
