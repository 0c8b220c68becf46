from django.urls import path

from portal.people import views

urlpatterns = [path("role/", views.choose_role, name="choose_role")]
