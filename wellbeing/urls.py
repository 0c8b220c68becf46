app_name = "wellbeing"
urlpatterns: list = []
