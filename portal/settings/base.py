"""Settings shared by every environment. Reads only environment variables, with safe defaults:
DEBUG is off, and nothing here is a production secret."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, SELF

from portal.embedded import VAR
from portal.settings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = VAR  # var/, or the VAR_DIR environment variable (portal.embedded)

DEBUG = env_bool("DEBUG", False)
IS_PRODUCTION = False  # production.py sets True; demo-only commands refuse there
SECRET_KEY = env_str("SECRET_KEY", "insecure-local-only-key-never-used-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SERVICE_NAME = env_str("SERVICE_NAME", "Personalised cancer care")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "qsessions",  # replaces django.contrib.sessions: sessions listable and endable per user
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "drf_spectacular",
    "rules.apps.AutodiscoverRulesConfig",
    "pgtrigger",
    "pghistory",
    "portal.people",
    "portal.ui",
    "portal.access",
    "portal.audit",
    "portal.outbox",
    "portal.worklist",
    "portal.api",
    "hna",
    "treatment_summaries",
    "care_reviews",
    "followup",
    "qol_survey",
    "wellbeing",
    "alliance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.ui.middleware.NHSFrontendWhiteNoiseMiddleware",
    "qsessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.access.middleware.SessionLimitsMiddleware",
    "portal.access.middleware.RequireStaffMFAMiddleware",
    "portal.people.middleware.RoleInUseMiddleware",
    "portal.audit.middleware.RequestIdMiddleware",
    "portal.access.nostore.NoStoreMiddleware",
    # Attaches the user and URL to every change-history row pghistory writes in this request.
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        # Every page of ours: Jinja2 with the NHS.UK frontend macros.
        "BACKEND": "portal.jinja2_env.Jinja2",
        "NAME": "jinja2",  # the alias Django's own backend would have: render(..., using="jinja2")
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "portal.jinja2_env.environment",
            "context_processors": ["portal.ui.context_processors.nhsuk_template"],
            "trim_blocks": True,
            "lstrip_blocks": True,
        },
    },
    {
        # Django admin and allauth only, restyled with NHS.UK classes (templates/django/).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates" / "django"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.ui.context_processors.service",
            ],
        },
    },
]

# One engine everywhere. With DATABASE_URL unset (a fresh machine) an embedded PostgreSQL
# under var/ is started; production settings refuse to run that way.
_database_url = env_str("DATABASE_URL", "")
if not _database_url:
    from portal.embedded import database_url as _embedded_database_url

    _database_url = _embedded_database_url()
# Persistent connections (ADR 0056): a gunicorn worker keeps its connection for DB_CONN_MAX_AGE
# seconds instead of opening one per request (a new PostgreSQL backend costs a few ms and a fork).
# Health checks make Django test a kept connection before a request uses it, so a database restart
# or a pooler dropping it costs one reconnect, not an error page. 0 closes it after each request.
DATABASES = {
    "default": dj_database_url.parse(
        _database_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 600), conn_health_checks=True
    )
}
# Behind a transaction-mode pooler (docker-compose.yml's pgbouncer) a named cursor cannot outlive
# its transaction's server connection, so iterator() must fetch without one.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DB_DISABLE_SERVER_SIDE_CURSORS", False)
# Web, worker and beat connect as this role, which is not a superuser and owns nothing; `migrate`
# runs as the owner and grants it the application's tables, the access log INSERT and SELECT only
# (portal/audit/roles.py, ADR 0016). Empty: grant nothing (a one-role setup, not for production).
DATABASE_APP_ROLE = env_str("DATABASE_APP_ROLE", "portal_app")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email + password, no usernames. Staff accounts are made by service admins,
# so public sign-up stays closed until patient accounts arrive (HNA issue).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "portal.people.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "portal.people.forms.SignInForm", "reauthenticate": "portal.people.forms.PasswordAgainForm"}
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# NHS.UK frontend from npm at /static/nhsuk/, its stylesheets without the web fonts they would
# load from assets.nhs.uk (portal/ui/finders.py, ADR 0024).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "portal.ui.finders.NHSFrontendFinder",
]
NHSUK_FRONTEND_DIST = BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
NHSUK_FRONTEND_ASSETS = NHSUK_FRONTEND_DIST / "assets"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem broker under var/.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # One beat across machines: redbeat holds a lock in Redis, and a second beat waits for it.
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = REDIS_URL
    # Beat extends its lock only when it wakes, and it sleeps until the next task is due, capped by
    # beat_max_loop_interval (300 s by default; Celery 5 has no `beat_max_interval` setting, so a
    # CELERY_BEAT_MAX_INTERVAL is silently ignored). A lock shorter than that sleep expires under a
    # live beat, which then exits with LockNotOwnedError: a 30 s lock and the 60 s heartbeat did that
    # a minute in, and a `worker -B` kept running with no beat. So beat wakes every 5 s, well inside
    # a 30 s lock; a beat killed with -9 frees the lock at most 30 s after its last wake, and a
    # waiting beat (which retries every 5 s) takes over within 35 s. ADR 0015; tests/portal/test_beat.py.
    CELERY_BEAT_MAX_LOOP_INTERVAL = 5
    CELERY_REDBEAT_LOCK_TIMEOUT = 30
    # Several portals or test runs can share one Redis database without sharing queues, beat's
    # schedule or its lock: every Celery key starts with this prefix (empty: Celery's own names).
    # Django's cache is not covered; give each portal its own database for that.
    _celery_prefix = env_str("CELERY_KEY_PREFIX", "")
    CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": _celery_prefix}
    CELERY_REDBEAT_KEY_PREFIX = f"{_celery_prefix}redbeat:"
else:
    from portal.embedded import filesystem_broker_options

    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options()
    CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = "default"
# Queues split by kind so each can be scaled apart (DESIGN: "Scaling past one machine").
CELERY_TASK_ROUTES = {
    "portal.outbox.tasks.send_notification": {"queue": "notifications"},
    "portal.outbox.tasks.send_notifications": {"queue": "notifications"},
    "portal.outbox.tasks.send_pending": {"queue": "sweeps"},
    "qol_survey.tasks.daily": {"queue": "sweeps"},
    "wellbeing.tasks.reminders": {"queue": "sweeps"},
    "care_reviews.tasks.weekly_digest": {"queue": "sweeps"},
}
# Scheduled work; every task is idempotent. Feature issues add their entries here.
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "portal.tasks.heartbeat", "schedule": 60.0},
    # Picks up notifications whose send was never queued (broker down at commit) or is due a retry.
    "outbox-sweep": {"task": "portal.outbox.tasks.send_pending", "schedule": 60.0},
    # Summaries due, overdue or not acknowledged: worklist items and practice reminders (ADR 0021).
    "treatment-summaries-overdue": {
        "task": "treatment_summaries.tasks.daily",
        "schedule": crontab(hour=6, minute=30),
    },
    # HNA reminders and passcode expiry; 07:00 so no text message wakes anyone at night.
    "hna-daily": {"task": "hna.tasks.daily", "schedule": crontab(hour=7, minute=0)},
    # Follow-up reminders, check-ins, worklist safety net and discharges (ADR 0029); after the HNA run.
    "followup-daily": {"task": "followup.tasks.daily", "schedule": crontab(hour=7, minute=15)},
    # Quality of life survey invitations, reminders and expiry (ADR 0036); texts after 07:00.
    "qol-survey-daily": {"task": "qol_survey.tasks.daily", "schedule": crontab(hour=7, minute=30)},
    # Wellbeing session reminders, 24 hours ahead, once each (ADR 0042).
    "wellbeing-reminders": {"task": "wellbeing.tasks.reminders", "schedule": crontab(minute=5)},
    # Each practice's newly due and overdue cancer care reviews, once a week (ADR 0048).
    "care-reviews-weekly-digest": {
        "task": "care_reviews.tasks.weekly_digest",
        "schedule": crontab(day_of_week="mon", hour=7, minute=45),
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],  # no web fonts from elsewhere: the system font is used at once (ADR 0024)
        "form-action": [SELF],
        "frame-ancestors": ["'none'"],
        "base-uri": [SELF],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.AutoSchema",  # documents every error (ADR 17)
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.Pagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {"TITLE": "Personalised Cancer Care Portal API", "VERSION": "1.0.0"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact": {"()": "portal.logging.RedactingFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "pgserver": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

DEMO_PASSWORD = "cancer-care-demo"  # noqa: S105 - demo accounts only; seed_demo refuses in production
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

# Sessions are read from the cache (Redis where REDIS_URL is set) and written through to a
# qsessions row, which is what lets a user list and end their sessions (ADR 0056).
SESSION_ENGINE = "qsessions.backends.cached_db"
# Idle timeout 15 minutes and an absolute limit of 12 hours from sign-in (SessionLimitsMiddleware).
# A request renews the idle timeout by saving the session at most once a minute, not every time:
# a no-op request writes nothing (ADR 0056).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 15 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = env_int("SESSION_TOUCH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)

# MFA (allauth.mfa TOTP) is required for every staff role before any patient data is shown.
# Local demos may waive it with MFA_WAIVED=true; production settings refuse that.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SERVICE_NAME
MFA_WAIVED = env_bool("MFA_WAIVED", False)
MFA_ADAPTER = "portal.access.adapters.MFAAdapter"
MFA_FORMS = {
    "authenticate": "portal.access.mfa_forms.AuthenticateForm",
    "reauthenticate": "portal.access.mfa_forms.ReauthenticateForm",
    "activate_totp": "portal.access.mfa_forms.ActivateTOTPForm",
}
# After sign-in a staff user without an authenticator app is sent to set one up. Reauthentication
# stays on (ADR 0007), but the password they have just signed in with counts as it (ADR 0024).

# Sign-in rate limits (allauth) count on a cache that every worker shares: Redis when REDIS_URL
# is set, else a database table (make run's gunicorn workers would each have their own locmem).
# login_failed also counts wrong two-factor codes. Per email address 5 failures in 5 minutes;
# per client IP 50, because a whole trust can reach us from one NAT address.
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/key,50/5m/ip"}
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}}
# Behind a load balancer REMOTE_ADDR is the balancer: count the proxies that append to
# X-Forwarded-For, or every user shares one IP rate limit.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# HNA passcodes and reminders.
HNA_PASSCODE_DAYS = env_int("HNA_PASSCODE_DAYS", 14)
HNA_REMINDER_DAYS = env_int("HNA_REMINDER_DAYS", 3)
HNA_PASSCODE_KEY = env_str("HNA_PASSCODE_KEY", "")  # defaults to SECRET_KEY
# Passcode sign-in attempts allowed per client IP in 15 minutes, whatever the passcode.
HNA_PASSCODE_ATTEMPTS_PER_IP = env_int("HNA_PASSCODE_ATTEMPTS_PER_IP", 20)

# Treatment summaries: what the daily chase waits for (treatment_summaries/services/chasing.py).
# Weeks after the end of treatment before a summary not yet started goes on the team's worklist.
TREATMENT_SUMMARY_DUE_WEEKS = env_int("TREATMENT_SUMMARY_DUE_WEEKS", 4)
# Days a practice has to acknowledge a summary before it is reminded; then days after the
# reminder before the care team is asked to chase it.
TREATMENT_SUMMARY_REMINDER_DAYS = env_int("TREATMENT_SUMMARY_REMINDER_DAYS", 14)
TREATMENT_SUMMARY_ESCALATE_DAYS = env_int("TREATMENT_SUMMARY_ESCALATE_DAYS", 7)

# Audit: who did what to which patient record. Never log secrets or full NHS numbers.
AUDIT_SYSTEM_ACTOR = "system"

# Outbox: notification sending. GOV.UK Notify is used when its API key is set.
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY", "")
NOTIFY_TEMPLATE_IDS: dict[str, str] = {}  # our template code -> GOV.UK Notify template id, per deployment
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 5)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@portal.example.nhs.uk")

# Bank holidays in England (gov.uk), for counting working days (followup.working_days).
BANK_HOLIDAYS = [
    "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26",
    "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28",
    "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28",
    "2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29", "2028-08-28", "2028-12-25", "2028-12-26",
]  # fmt: skip

# Follow-up (followup app): reminder days before a test is due, and the safety-net time limits.
FOLLOWUP_REMINDER_DAYS = (14, 3)
FOLLOWUP_NO_RESULT_DAYS = 21  # no result this many days after the due date: someone must act
FOLLOWUP_REVIEW_WORKING_DAYS = 2
FOLLOWUP_TELL_WORKING_DAYS = 5

# Quality of life survey (qol_survey app, ADR 0034): invited this many months after diagnosis, and
# still invited up to QOL_DUE_WINDOW_MONTHS later (a missed day catches up; older ones are not surveyed).
QOL_DUE_MONTHS = 18
QOL_DUE_WINDOW_MONTHS = 3
QOL_MIN_AGE_AT_DIAGNOSIS = 16
# Invitations (ADR 0035): a reminder with a paper copy this many days on, closed this many days on;
# the link and short code are keyed MACs (QOL_TOKEN_KEY, defaults to SECRET_KEY).
QOL_REMINDER_DAYS = 21
QOL_EXPIRY_DAYS = 84
QOL_TOKEN_KEY = env_str("QOL_TOKEN_KEY", "")
# Where the portal is reached from outside, for links in emails, texts and letters.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://localhost:8000").rstrip("/")
QOL_DOB_ATTEMPTS = 5  # wrong dates of birth before an invitation locks
QOL_ATTEMPTS_PER_IP = 10  # wrong guesses per client address per 15 minutes
FOLLOWUP_CHECKIN_ANSWER_DAYS = 14
FOLLOWUP_CONCERN_RESPONSE_WORKING_DAYS = 2
