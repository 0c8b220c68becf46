app_name = "treatment_summaries"
urlpatterns: list = []
