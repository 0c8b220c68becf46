"""HNA reports, the COSD export, and patient accounts (names in the "hna:" namespace)."""

from django.urls import path

from hna.views import accounts, reports

urlpatterns = [
    path("reports/", reports.report, name="reports"),
    path("reports/export.csv", reports.export, name="reports_export"),
    path("account/", accounts.start, name="account"),
    path("account/passcode/", accounts.check, name="account_check"),
    path("account/details/", accounts.details, name="account_details"),
    path(
        "assessments/<uuid:assessment_id>/account-passcode/",
        accounts.staff_passcode,
        name="account_passcode",
    ),
]
