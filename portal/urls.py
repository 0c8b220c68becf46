"""The root URLconf: the only file that knows every app."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from portal import views

# Admin sign-in goes through allauth's: the same form, two-factor stage and rate limits.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health_view, name="health"),
    path("accessibility/", views.info_page, {"page": "accessibility"}, name="accessibility"),
    path("privacy/", views.info_page, {"page": "privacy"}, name="privacy"),
    path("accounts/", include("allauth.urls")),
    path("", include("portal.people.urls")),
    path("account/sessions/", include("portal.access.urls")),
    path("account/api-tokens/", include("portal.access.token_urls")),
    path("", include("portal.worklist.urls")),
    path("", include("portal.audit.urls")),
    # Before "api/": portal.api.urls ends with a catch-all JSON 404.
    path("api/v1/", include("hna.api_urls")),
    path("api/v1/", include("treatment_summaries.api_urls")),
    path("api/v1/followup/", include("followup.api_urls")),
    path("api/v1/qol/", include("qol_survey.api_urls")),
    path("api/v1/wellbeing/", include("wellbeing.api_urls")),
    path("api/v1/care-reviews/", include("care_reviews.api_urls")),
    path("api/", include("portal.api.urls")),
    path("fhir/", include("treatment_summaries.fhir_urls")),
    # Follow-up's before hna's: its CarePlan read and search answer for both apps' care plans.
    path("fhir/", include("followup.fhir_urls")),
    path("fhir/", include("hna.fhir_urls")),
    path("fhir/", include("care_reviews.fhir_urls")),
    # After every app's FHIR URLs: a catch-all OperationOutcome 404.
    path("fhir/", include("portal.fhir.urls")),
    path("admin/", admin.site.urls),
    path("hna/", include("hna.urls")),
    path("treatment-summaries/", include("treatment_summaries.urls")),
    path("care-reviews/", include("care_reviews.urls")),
    path("follow-up/", include("followup.urls")),
    path("quality-of-life/", include("qol_survey.urls")),
    path("wellbeing/", include("wellbeing.urls")),
    path("alliance/", include("alliance.urls")),
]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
