"""The resource library and services directory API URLs, a plain list that wellbeing/api_urls.py
includes under /api/v1/wellbeing/ (its app_name names them)."""

from django.urls import path

from wellbeing import api_library as api

# str, not uuid: a malformed id then reaches the view and gets a JSON 404, not the HTML page.
urlpatterns = [
    path("resources/", api.ResourceList.as_view(), name="api-wellbeing-resource-list"),
    path("resources/<str:pk>/", api.ResourceDetail.as_view(), name="api-wellbeing-resource-detail"),
    path("directory/", api.ServiceList.as_view(), name="api-wellbeing-directory-list"),
    path("directory/<str:pk>/", api.ServiceDetail.as_view(), name="api-wellbeing-directory-detail"),
]
