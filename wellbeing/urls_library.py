"""/wellbeing/resources/ and /wellbeing/directory/: the resource library and the services directory
(issue 13 items 1 and 2), and their service admin pages under /wellbeing/admin/; included by
wellbeing/urls.py."""

from django.urls import path

from wellbeing import views_library as views

urlpatterns = [
    path("resources/", views.resource_list, name="resources"),
    path("resources/<uuid:resource_id>/", views.resource_page, name="resource"),
    path("directory/", views.directory_list, name="directory"),
    path("directory/<uuid:service_id>/", views.directory_page, name="directory-entry"),
    path("admin/resources/", views.admin_resources, name="admin-resources"),
    path("admin/resources/new/", views.admin_resource_new, name="admin-resource-new"),
    path("admin/resources/<uuid:resource_id>/edit/", views.admin_resource_edit, name="admin-resource-edit"),
    path("admin/resources/<uuid:resource_id>/retire/", views.admin_resource_retire, name="admin-resource-retire"),
    path("admin/resources/<uuid:resource_id>/restore/", views.admin_resource_restore, name="admin-resource-restore"),
    path("admin/directory/", views.admin_directory, name="admin-directory"),
    path("admin/directory/new/", views.admin_directory_new, name="admin-directory-new"),
    path("admin/directory/<uuid:service_id>/edit/", views.admin_directory_edit, name="admin-directory-edit"),
    path("admin/directory/<uuid:service_id>/retire/", views.admin_directory_retire, name="admin-directory-retire"),
    path("admin/directory/<uuid:service_id>/restore/", views.admin_directory_restore, name="admin-directory-restore"),
]
