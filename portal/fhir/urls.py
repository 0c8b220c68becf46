"""Included last under /fhir/ in portal/urls.py, after every app's FHIR URLs: any other address
gets an OperationOutcome 404."""

from django.urls import re_path

from portal.fhir.views import not_found

urlpatterns = [re_path(r"^.*$", not_found)]
