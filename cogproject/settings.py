"""Settings for Cog, read from environment variables.

One module for every environment: production differences are environment values, not a second
settings tree. Every variable is documented in README.md ("Settings"). A local `.env` file (made
by `make run`) fills in the ones the environment leaves unset, except when tests run.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from cogproject import envfile

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_float(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from exc


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


TESTING = env_bool("COG_TESTING", False)

# The local .env (or the file ENV_FILE names) only fills gaps: real variables win. Tests never
# read it, so they run the same on every machine whatever a developer keeps there.
if not TESTING:
    try:
        envfile.load(env_str("ENV_FILE") or BASE_DIR / ".env", required=bool(env_str("ENV_FILE")))
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc)) from exc

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

EVENT_NAME = env_str("EVENT_NAME", "HackDemo")

# Allow-lists (comma-separated, case-insensitive); the admin keeps a list of its own too.
ORGANISER_EMAILS = env_list("ORGANISER_EMAILS")
SPONSOR_EMAILS = env_list("SPONSOR_EMAILS")

INSTALLED_APPS = [
    "cogproject.apps.CogAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "accounts.mymlh",
    "import_export",
    # Background tasks: participant emails are sent by `manage.py db_worker`, not in a request.
    "django_tasks",
    "django_tasks_db",
    # Apps depend downward only (see README, Architecture; `lint-imports` checks it).
    "core",
    "accounts",
    "inventory",
    "checkout",
    # The read API at /api/v1/ (django-ninja; "ninja" serves its docs page's own static files).
    "ninja",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compressing pages is the proxy's job in production (it also terminates TLS), which keeps
    # the app's CPU for the rush. Without such a proxy, GZIP=1 compresses here (pages shrink
    # about tenfold for phones; Django adds random bytes against BREACH).
    *(["django.middleware.gzip.GZipMiddleware"] if env_bool("GZIP", False) else []),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # NUL in a query string or form field: 400 before any view reaches PostgreSQL with it.
    "cogproject.middleware.RejectNulBytes",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

# The debug toolbar shows every page's SQL queries to developers; never in tests or production.
DEBUG_TOOLBAR = DEBUG and not TESTING and env_bool("DEBUG_TOOLBAR", True)
if DEBUG_TOOLBAR:
    INSTALLED_APPS.append("debug_toolbar")
    MIDDLEWARE.insert(0, "debug_toolbar.middleware.DebugToolbarMiddleware")
    INTERNAL_IPS = ["127.0.0.1", "::1"]
    # Start as the small tab at the edge: opened, it covers most of a phone's screen.
    DEBUG_TOOLBAR_CONFIG = {"SHOW_COLLAPSED": True}

ROOT_URLCONF = "cogproject.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cogproject.context_processors.event",
                "cogproject.context_processors.desk_access",
            ],
        },
    },
]

WSGI_APPLICATION = "cogproject.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Sessions live in a signed, HttpOnly cookie: no database query per request, and any number of
# app servers share them. Trade-off: signing out clears the cookie but cannot revoke a copy of
# it before SESSION_COOKIE_AGE; rotating SECRET_KEY signs everyone out. Set SESSION_ENGINE to
# django.contrib.sessions.backends.db to keep sessions in the database instead.
SESSION_ENGINE = env_str("SESSION_ENGINE", "django.contrib.sessions.backends.signed_cookies")
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 4 * 24 * 3600)
SESSION_COOKIE_HTTPONLY = True

# Rendered catalogue and desk fragments are cached per process, keyed on a version token in the
# database, so every app server serves fresh pages without a shared cache.
# Per process by default (nothing to run); CACHE_URL=redis://host:6379/0 shares the cache, and
# with it the catalogue's render lock, between every worker and server.
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    )
}
FRAGMENT_CACHE_SECONDS = env_int("FRAGMENT_CACHE_SECONDS", 60)
# Live polls are answered from a per-process copy of the version tokens, refreshed from the
# database at most this often (core/live_snapshot.py): other servers' writes show this much later.
LIVE_SNAPSHOT_SECONDS = env_float("LIVE_SNAPSHOT_SECONDS", 0.5)

# The read API (api/): requests per token, or per client address without one, in a window
# that opens at the caller's first request ("120/min", "10/sec", "5000/hour"). Counted in the
# cache above: with CACHE_URL every server shares the count; without it each process counts
# alone, so the real limit is this times the number of processes.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "120/min")
# How many proxies in front of the app append to X-Forwarded-For; 0 counts by REMOTE_ADDR.
NINJA_NUM_PROXIES = env_int("API_NUM_PROXIES", 0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# django-allauth: sign in with email and password. MyMLH plugs in as a social provider.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "none")
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupNameForm"  # password sign-up asks for a name

# MyMLH (Major League Hacking's OAuth2 identity service, API v4). Configured in settings, no
# database row: set MYMLH_CLIENT_ID and MYMLH_CLIENT_SECRET to turn it on.
MYMLH_CLIENT_ID = env_str("MYMLH_CLIENT_ID")
MYMLH_CLIENT_SECRET = env_str("MYMLH_CLIENT_SECRET")
MYMLH_ENABLED = bool(MYMLH_CLIENT_ID and MYMLH_CLIENT_SECRET)
SOCIALACCOUNT_PROVIDERS = {
    "mymlh": {
        "APPS": (
            [{"client_id": MYMLH_CLIENT_ID, "secret": MYMLH_CLIENT_SECRET, "key": ""}]
            if MYMLH_ENABLED
            else []
        ),
        "SCOPE": env_str("MYMLH_SCOPE", "public user:read:profile user:read:email").split()
        + env_list("MYMLH_EXTRA_SCOPES"),
        "AUTHORIZE_URL": env_str("MYMLH_AUTHORIZE_URL", "https://my.mlh.io/oauth/authorize"),
        "ACCESS_TOKEN_URL": env_str("MYMLH_TOKEN_URL", "https://my.mlh.io/oauth/token"),
        "PROFILE_URL": env_str("MYMLH_USER_URL", "https://api.mlh.com/v4/users/me"),
    }
}
SOCIALACCOUNT_REQUESTS_TIMEOUT = env_int("MYMLH_TIMEOUT", 5)
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True  # MyMLH verifies emails: match existing accounts
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
# Password sign-up for participants: off by default once MyMLH is the way in, on in the demo.
ACCOUNT_ALLOW_SIGNUPS = env_bool("ALLOW_PASSWORD_SIGNUP", not MYMLH_ENABLED)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "checkout:catalogue"


def _entry_url(entry):
    from django.urls import reverse

    return reverse("checkout:entry", args=[entry.pk])


# An entry's page is the checkout app's (inventory, below it, names no URL of the apps above).
ABSOLUTE_URL_OVERRIDES = {"inventory.entry": _entry_url}
ACCOUNT_LOGOUT_REDIRECT_URL = "checkout:catalogue"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# The worker sends with notification rows locked: a mail server that hangs must not hold them.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "hardware@localhost")
# Participant emails wait this long for more changes to the same person (three approvals, a
# return and then the ID given back), so each batch arrives as one email.
EMAIL_BATCH_SECONDS = env_int("EMAIL_BATCH_SECONDS", 30)
# desk_housekeeping reminds whoever holds a loan due back within this many minutes, once.
DUE_REMINDER_MINUTES = env_int("DUE_REMINDER_MINUTES", 60)
# Where the site is, for links in emails (no request to build them from in the worker).
SITE_URL = env_str(
    "SITE_URL",
    "http://127.0.0.1:8000"
    if DEBUG or TESTING or not ALLOWED_HOSTS
    else f"https://{ALLOWED_HOSTS[0]}",
).rstrip("/")

# Tasks (django-tasks, the backport of Django 6's framework) are rows in the database that
# `manage.py db_worker` runs: no broker, and an enqueue is one INSERT.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Development and tests serve static files without collectstatic.
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Files. CVs are personal data: they live on their own private storage alias ("cvs"), outside
# MEDIA_ROOT, and are only served through a permission-checking view. With CV_S3_BUCKET set they
# go to S3-compatible storage: private ACL, short-lived signed URLs, no custom domain.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
# Public uploads (entry pictures and their resized copies) use the "default" alias: files under
# MEDIA_ROOT, served at MEDIA_URL by runserver in DEBUG and by the proxy in production, or with
# MEDIA_S3_BUCKET an S3-compatible bucket: publicly readable objects, plain unsigned URLs.
MEDIA_S3_BUCKET = env_str("MEDIA_S3_BUCKET")
if MEDIA_S3_BUCKET:
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": env_str("MEDIA_S3_REGION") or None,
            "access_key": env_str("MEDIA_S3_ACCESS_KEY_ID"),
            "secret_key": env_str("MEDIA_S3_SECRET_ACCESS_KEY"),
            # Empty for buckets that refuse ACLs (a bucket policy makes them public instead).
            "default_acl": env_str("MEDIA_S3_ACL", "public-read") or None,
            "querystring_auth": False,
            "custom_domain": env_str("MEDIA_S3_CUSTOM_DOMAIN") or None,
            "file_overwrite": False,
            # Every upload gets a new random name, so browsers and CDNs may keep it for good.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
PICTURE_MAX_BYTES = env_int("PICTURE_MAX_BYTES", 10 * 1024 * 1024)
CV_MAX_BYTES = env_int("CV_MAX_BYTES", 10 * 1024 * 1024)
CV_S3_BUCKET = env_str("CV_S3_BUCKET")
if CV_S3_BUCKET:
    CV_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": CV_S3_BUCKET,
            "endpoint_url": env_str("CV_S3_ENDPOINT_URL") or None,
            "region_name": env_str("CV_S3_REGION") or None,
            "access_key": env_str("CV_S3_ACCESS_KEY_ID"),
            "secret_key": env_str("CV_S3_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env_int("CV_URL_EXPIRY_SECONDS", 60),
            "custom_domain": None,
            "file_overwrite": False,
        },
    }
else:
    CV_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env_str("CV_ROOT", str(BASE_DIR / "private" / "cvs")),
            "base_url": None,
        },
    }
STORAGES = {
    "default": MEDIA_STORAGE,
    # Production: WhiteNoise serves compressed files with hashed names (run collectstatic).
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
    "cvs": CV_STORAGE,
}

# django-import-export: an import runs in one transaction, so one bad row writes nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Importing the inventory from a published Google Sheet (CSV link).
SHEET_IMPORT_TIMEOUT = env_int("SHEET_IMPORT_TIMEOUT", 10)
SHEET_IMPORT_MAX_BYTES = env_int("SHEET_IMPORT_MAX_BYTES", 2 * 1024 * 1024)
# Sheet links into private networks are refused unless this is on (tests serve sheets locally).
SHEET_IMPORT_ALLOW_PRIVATE = env_bool("SHEET_IMPORT_ALLOW_PRIVATE", False)

if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # HSTS preload is a promise to browsers that is hard to take back; leave it to the
    # operator (SECURE_HSTS_PRELOAD=1) rather than warn about it on every deploy check.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
