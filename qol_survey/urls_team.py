"""/quality-of-life/team/ pages (see qol_survey/urls.py): staff read a response, key in a paper one."""

from django.urls import path

from qol_survey import views_team

urlpatterns = [
    path("responses/<uuid:response_id>/", views_team.response_page, name="team_response"),
    path("responses/<uuid:response_id>/pdf/", views_team.response_pdf, name="team_response_pdf"),
    path("paper/", views_team.paper_find, name="team_paper"),
    path("paper/<uuid:invitation_id>/", views_team.paper_entry, name="team_paper_entry"),
    path("paper/<uuid:invitation_id>/unlock/", views_team.unlock, name="team_unlock"),
]
