"""Production: every secret from the environment (or NAME_FILE), no embedded services,
HTTPS only. Importing this module without them fails at start-up."""

from django.core.exceptions import ImproperlyConfigured

from portal.settings.env import env_bool, env_int, env_str

for _required in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"):
    env_str(_required)  # raises ImproperlyConfigured naming the variable

from portal.settings.base import *  # noqa: E402,F403
from portal.settings.base import SECRET_KEY  # noqa: E402
from portal.settings.jinja import compiled_once  # noqa: E402

if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters in production.")

DEBUG = False
if env_bool("MFA_WAIVED", False):
    raise ImproperlyConfigured("MFA_WAIVED cannot be used in production: every staff role needs MFA.")
MFA_WAIVED = False
IS_PRODUCTION = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@portal.nhs.uk")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Templates compiled once per process, the compiled code kept for the next one (ADR 0057).
TEMPLATES = compiled_once(TEMPLATES, VAR_DIR)  # noqa: F405
