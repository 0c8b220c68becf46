"""/alliance/ pages: the cancer alliance's coverage report (ADR 0055)."""

from django.urls import path

from alliance import views

app_name = "alliance"

urlpatterns = [
    path("coverage/", views.coverage_page, name="coverage"),
    path("coverage/export.csv", views.export, name="coverage_export"),
]
