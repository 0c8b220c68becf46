"""The root URLconf with the library's API in place under /api/v1/wellbeing/, for its tests: the
wellbeing API URLs (wellbeing/api_urls.py) include it in the real one."""

from django.urls import include, path

from portal import urls as root
from wellbeing import api_urls_library

urlpatterns = [
    path("api/v1/wellbeing/", include((api_urls_library.urlpatterns, "wellbeing_library_api"))),
    *root.urlpatterns,
]
handler400, handler403, handler404, handler500 = root.handler400, root.handler403, root.handler404, root.handler500
