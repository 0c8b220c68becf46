"""The ceiling of issue 16: Django with no middleware, no apps and no database, serving one view
that returns 2 bytes (tests/bench/urls_bare.py), under the same gunicorn as the portal. A page's
ratio to it is the share of the machine's plain Django throughput the page keeps."""

DEBUG = False
SECRET_KEY = "bench-only-bare-django"  # noqa: S105 - signs nothing: no sessions, no apps
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = []
MIDDLEWARE = []
DATABASES = {}
ROOT_URLCONF = "tests.bench.urls_bare"
USE_TZ = True
