app_name = "care_reviews"
urlpatterns: list = []
