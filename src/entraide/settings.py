"""Django settings for Entraide. Every value comes from the environment (see docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from entraide.core.env import ConfigurationError, envbool, envint, envlist, envstr
from entraide.core.runtime import threshold_from_env

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(envstr("ENTRAIDE_DATA_DIR", str(Path.cwd() / "var")))

DEBUG = envbool("ENTRAIDE_DEBUG", True)
_secret = envstr("ENTRAIDE_SECRET_KEY", "")
if not _secret:
    if not DEBUG:
        raise ConfigurationError("ENTRAIDE_SECRET_KEY (or ENTRAIDE_SECRET_KEY_FILE) is required when ENTRAIDE_DEBUG=0")
    _secret = "insecure-development-key-only-for-ENTRAIDE_DEBUG-1-do-not-use-in-production"  # noqa: S105
SECRET_KEY = _secret
ALLOWED_HOSTS = envlist("ENTRAIDE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("ENTRAIDE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "csp",
    "entraide.core",
    "entraide.accounts",
    "entraide.directory",
    "entraide.audit",
    "entraide.cases",
    "entraide.notifications",
    "entraide.drafting",
    "entraide.execution",
    "entraide.extradition",
    "entraide.informal",
    "entraide.matching",
    "entraide.security",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "entraide.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "entraide.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "entraide.security.middleware.SecurityMiddleware",  # idle sessions, two-factor, API audit (docs/security.md)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "entraide.urls"
WSGI_APPLICATION = "entraide.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["entraide.accounts.backends.LockoutBackend"]  # lockout against password guessing
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:my-work"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "entraide.core.context_processors.entraide",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'entraide.sqlite3'}"
_db_url = envstr("ENTRAIDE_DATABASE_URL", _default_db)
try:
    _db = dj_database_url.parse(_db_url, conn_max_age=envint("ENTRAIDE_DB_CONN_MAX_AGE", 60, minimum=0))
except Exception as exc:
    raise ConfigurationError(f"ENTRAIDE_DATABASE_URL={_db_url!r} cannot be parsed: {exc}") from exc
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0 if _db["NAME"] == ":memory:" else _db["CONN_MAX_AGE"]
    _db["OPTIONS"] = {
        # WAL lets readers work while a writer commits; IMMEDIATE avoids "database is locked" on upgrade.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA cache_size=-64000; PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;"
        ),
    }
_db["TEST"] = {"NAME": envstr("ENTRAIDE_TEST_DATABASE_NAME", "")} if envstr("ENTRAIDE_TEST_DATABASE_NAME", "") else {}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = envstr("ENTRAIDE_LANGUAGE", "fr")
LANGUAGES = [("fr", _("French")), ("en", _("English")), ("ar", _("Arabic"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = envstr("ENTRAIDE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(envstr("ENTRAIDE_STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    # Documents are encrypted at rest (AES-256-GCM, a data key per file): see docs/security.md.
    "default": {"BACKEND": "entraide.security.storage.EncryptedFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if envstr("ENTRAIDE_S3_BUCKET", ""):  # the same encryption, in an S3-compatible bucket (docs/security.md)
    STORAGES["default"] = {"BACKEND": "entraide.security.storage.EncryptedS3Storage"}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(envstr("ENTRAIDE_MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media-not-served/"  # documents are only ever served through access-checked views

ENTRAIDE_MAX_UPLOAD_MB = envint("ENTRAIDE_MAX_UPLOAD_MB", 50, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Our own reference pattern for new matters; {kind}, {direction}, {year} and {seq} are available.
ENTRAIDE_REFERENCE_PATTERN = envstr("ENTRAIDE_REFERENCE_PATTERN", "{kind}/{direction}/{year}/{seq:05d}")
ENTRAIDE_COUNTRY = envstr("ENTRAIDE_COUNTRY", "MA").upper()
ENTRAIDE_INSTANCE_NAME = envstr("ENTRAIDE_INSTANCE_NAME", "")
ENTRAIDE_SITE_URL = envstr("ENTRAIDE_SITE_URL", "http://127.0.0.1:8000")  # links in e-mails
# Set by `entraide demo`: shows the demo banner and the demo users on the login page.
ENTRAIDE_DEMO = envbool("ENTRAIDE_DEMO", False)

SESSION_COOKIE_AGE = envint("ENTRAIDE_SESSION_IDLE_SECONDS", 8 * 3600, minimum=60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
_https = envbool("ENTRAIDE_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = envbool("ENTRAIDE_SSL_REDIRECT", _https)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("ENTRAIDE_BEHIND_PROXY", False) else None
SECURE_HSTS_SECONDS = envint("ENTRAIDE_HSTS_SECONDS", 31536000 if _https else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS: list[str] = []

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "entraide.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "30/minute", "user": "600/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Entraide API",
    "DESCRIPTION": "Register of international mutual legal assistance and extradition matters.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Swagger UI and Redoc served from the package (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name ("kind", "direction"…) get their own names in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ChannelEnum": "entraide.core.choices.Channel",
        "AdmissibilityDecisionKindEnum": "entraide.execution.choices.DecisionKind",
        "ChallengeOutcomeEnum": "entraide.execution.choices.ChallengeOutcome",
        "JudicialStepKindEnum": "entraide.extradition.choices.StepKind",
        "JudicialOutcomeEnum": "entraide.extradition.choices.Outcome",
        "CustodyStatusEnum": "entraide.extradition.choices.CustodyStatus",
        "CaseDirectionEnum": "entraide.cases.choices.Direction",
        "CaseKindEnum": "entraide.cases.choices.Kind",
        "CommunicationDirectionEnum": "entraide.cases.choices.CommDirection",
        "DocumentKindEnum": "entraide.cases.choices.DocumentKind",
        "IdentifierTypeEnum": "entraide.cases.choices.IdentifierType",
        "LinkKindEnum": "entraide.cases.choices.LinkKind",
        "MeasureStatusEnum": "entraide.cases.choices.MeasureStatus",
        "MeasureTypeEnum": "entraide.cases.catalogue.MeasureType",
        "SubjectKindEnum": "entraide.cases.choices.SubjectKind",
        "SubjectRoleEnum": "entraide.cases.choices.SubjectRole",
    },
}

EMAIL_BACKEND = envstr("ENTRAIDE_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = envstr("ENTRAIDE_SMTP_HOST", "localhost")
EMAIL_PORT = envint("ENTRAIDE_SMTP_PORT", 25, minimum=1)
EMAIL_HOST_USER = envstr("ENTRAIDE_SMTP_USER", "")
EMAIL_HOST_PASSWORD = envstr("ENTRAIDE_SMTP_PASSWORD", "")
EMAIL_USE_TLS = envbool("ENTRAIDE_SMTP_STARTTLS", False)
DEFAULT_FROM_EMAIL = envstr("ENTRAIDE_FROM_EMAIL", "entraide@localhost")
EMAIL_FILE_PATH = str(DATA_DIR / "mail")  # used by the file backend (the demo writes its e-mail there)

# The garbage collector's thresholds (entraide.core.runtime; docs/performance.md).
ENTRAIDE_GC_THRESHOLD = threshold_from_env()

# Background work (huey): periodic clocks, reminders, digests and e-mail. The queue lives in a SQLite file beside
# the data by default, and in Redis when ENTRAIDE_REDIS_URL is set (several workers, several servers).
# `entraide worker` runs the consumer and its scheduler.
ENTRAIDE_REDIS_URL = envstr("ENTRAIDE_REDIS_URL", "")
HUEY: dict[str, Any] = {
    "name": "entraide",
    "immediate": envbool("ENTRAIDE_TASKS_IMMEDIATE", False),
    "utc": True,
    "consumer": {"workers": envint("ENTRAIDE_WORKER_THREADS", 2, minimum=1), "worker_type": "thread"},
}
if ENTRAIDE_REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": ENTRAIDE_REDIS_URL}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # huey opens its file when the app loads
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "tasks.sqlite3")}

# The cache holds the API rate-limit counts (docs/security.md), so it must be shared by every server process:
# Redis when ENTRAIDE_REDIS_URL is set (several machines), else files in ENTRAIDE_CACHE_DIR (the processes of one
# machine; never the per-process LocMem).
CACHES: dict[str, Any] = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": ENTRAIDE_REDIS_URL}
    if ENTRAIDE_REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": envstr("ENTRAIDE_CACHE_DIR", str(DATA_DIR / "cache")),
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("ENTRAIDE_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
