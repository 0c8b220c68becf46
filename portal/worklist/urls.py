from django.urls import path

from portal.worklist import views

urlpatterns = [path("worklist/", views.worklist, name="worklist")]
