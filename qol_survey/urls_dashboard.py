"""/quality-of-life/ pages (see qol_survey/urls.py)."""

urlpatterns: list = []
