"""Follow-up staff pages for pathways and protocols (ADR 0027)."""

from django.urls import path

from followup.views import path_changes, path_protocols, path_staff

urlpatterns = [
    path("", path_staff.caseload_page, name="caseload"),
    path("patients/<uuid:patient_id>/", path_staff.timeline, name="timeline"),
    path("patients/<uuid:patient_id>/stratify/", path_changes.stratify, name="stratify"),
    path("pathways/<uuid:pathway_id>/amend/", path_changes.amend, name="pathway_amend"),
    path("pathways/<uuid:pathway_id>/suspend/", path_changes.suspend, name="pathway_suspend"),
    path("pathways/<uuid:pathway_id>/reactivate/", path_changes.reactivate, name="pathway_reactivate"),
    path("pathways/<uuid:pathway_id>/tests/add/", path_changes.add_test, name="test_add"),
    path("tests/<uuid:test_id>/move/", path_changes.move_test, name="test_move"),
    path("tests/<uuid:test_id>/cancel/", path_changes.cancel_test, name="test_cancel"),
    path("protocols/", path_protocols.protocol_list, name="protocols"),
    path("protocols/<uuid:protocol_version_id>/", path_protocols.version_page, name="protocol_version"),
    path(
        "protocols/<uuid:protocol_version_id>/settings/",
        path_protocols.version_settings,
        name="protocol_version_settings",
    ),
]
