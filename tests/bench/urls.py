"""The bench URLconf: every portal URL, plus a bare view to measure the fixed cost of a
request (WSGI, the whole middleware stack, the session) against."""

from django.urls import include, path

from portal.urls import handler400, handler403, handler404, handler500  # noqa: F401 - Django reads them here
from tests.bench.urls_bare import bare  # the same view bare Django serves, behind the whole stack

urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("portal.urls")),
]
