"""Treatment summary staff pages (names in the "treatment_summaries:" namespace)."""

from django.urls import path

from treatment_summaries.views import staff, staff_edit

urlpatterns = [
    path("", staff.team_list, name="team_list"),
    path("patients/<uuid:patient_id>/start/", staff.start, name="start"),
    path("<uuid:summary_id>/", staff.summary_detail, name="summary"),
    path("<uuid:summary_id>/versions/<uuid:version_id>/", staff.version_detail, name="version"),
    path("<uuid:summary_id>/sign-off/", staff.sign_off, name="sign_off"),
    path("<uuid:summary_id>/send/", staff.send, name="send"),
    path("<uuid:summary_id>/amend/", staff.amend, name="amend"),
    path("versions/<uuid:version_id>/pdf/", staff.version_pdf, name="version_pdf"),
    # The draft, one section per page
    path("<uuid:summary_id>/diagnosis/", staff_edit.edit_section, {"section": "diagnosis"}, name="edit_diagnosis"),
    path("<uuid:summary_id>/aim/", staff_edit.edit_section, {"section": "aim"}, name="edit_aim"),
    path("<uuid:summary_id>/effects/", staff_edit.edit_section, {"section": "effects"}, name="edit_effects"),
    path("<uuid:summary_id>/contacts/", staff_edit.edit_section, {"section": "contacts"}, name="edit_contacts"),
    path("<uuid:summary_id>/plan/", staff_edit.edit_section, {"section": "plan"}, name="edit_plan"),
    path("<uuid:summary_id>/support/", staff_edit.edit_section, {"section": "support"}, name="edit_support"),
    path(
        "<uuid:summary_id>/information/",
        staff_edit.edit_section,
        {"section": "information"},
        name="edit_information",
    ),
    path("<uuid:summary_id>/treatments/", staff_edit.treatments, name="treatments"),
    path(
        "<uuid:summary_id>/treatments/<uuid:treatment_id>/remove/",
        staff_edit.remove_treatment,
        name="remove_treatment",
    ),
    path("<uuid:summary_id>/gp-actions/", staff_edit.gp_actions, name="gp_actions"),
    path(
        "<uuid:summary_id>/gp-actions/<uuid:gp_action_id>/remove/",
        staff_edit.remove_gp_action,
        name="remove_gp_action",
    ),
]
