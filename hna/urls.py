app_name = "hna"
urlpatterns: list = []
