from django.urls import path

from portal.people import views

urlpatterns = [
    path("role/", views.choose_role, name="choose_role"),
    path("patients/", views.patient_list, name="patient_list"),
    path("patients/<uuid:patient_id>/", views.patient_detail, name="patient_detail"),
    path("patients/<uuid:patient_id>/support/", views.patient_support, name="patient_support"),
]
