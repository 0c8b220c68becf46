app_name = "qol_survey"
urlpatterns: list = []
