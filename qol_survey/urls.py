"""/quality-of-life/: each part of the survey keeps its own URL file, so they change apart."""

from django.urls import include, path

app_name = "qol_survey"
urlpatterns = [
    path("", include("qol_survey.urls_answer")),  # the respondent's pages (link or code + date of birth)
    path("letters/", include("qol_survey.urls_letters")),  # the care team's letter batches
    path("team/", include("qol_survey.urls_team")),  # staff: key in a paper return, responses
    path("dashboard/", include("qol_survey.urls_dashboard")),  # staff: the survey's results
]
