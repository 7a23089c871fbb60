"""Virage settings, read from the environment.

VIRAGE_ENV selects the profile: ``production`` (the default, strict), ``development`` (what
``make run`` uses) or ``test``. Everything else is an environment variable with a safe default;
see docs/deployment.md for the list.
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

VIRAGE_ENV = env_str("VIRAGE_ENV", "production")
if VIRAGE_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(f"VIRAGE_ENV must be production, development or test, not {VIRAGE_ENV!r}.")
IS_PRODUCTION = VIRAGE_ENV == "production"

DEBUG = env_bool("DEBUG", default=VIRAGE_ENV == "development")
if IS_PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG cannot be on when VIRAGE_ENV is production.")

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if IS_PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production.")
    # Only for local development and tests: never used when VIRAGE_ENV is production.
    SECRET_KEY = "insecure-local-development-key-" + "x" * 32

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "bootstrap",
    "virage.core",
    "virage.accounts",
    "virage.geography",
    "virage.organizations",
    "virage.programs",
    "virage.events",
    "virage.learning",
    "virage.diagnostics",
    "virage.indicators",
    "virage.api",
    "virage.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "virage.accounts.middleware.FrenchByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "virage.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "virage" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "virage.accounts.context_processors.virage",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'virage.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a write is in progress; IMMEDIATE takes the write lock at the
    # start of a transaction, so two writers queue instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME", "")} if env_str("SQLITE_TEST_NAME") else {}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["virage.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if VIRAGE_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "virage" / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "America/Montreal"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "virage_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = IS_PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "virage" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024)

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Public forms (event registration, organization self-registration): submissions per client address.
PUBLIC_FORM_RATE = env_str("PUBLIC_FORM_RATE", "20/h")
# Behind a reverse proxy, the request header holding the client's address (e.g. HTTP_X_REAL_IP).
RATELIMIT_IP_META_KEY = env_str("RATELIMIT_IP_META_KEY") or None

# E-mail: the console in development, the in-memory outbox in tests, SMTP in production.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Virage <no-reply@virage.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)

# Background work: Celery with a broker when one is configured, inline otherwise.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# Periodic work, for `celery beat` when a broker is configured; without one, cron runs the
# matching management command (send_event_reminders).
CELERY_BEAT_SCHEDULE = {
    "send-event-reminders": {"task": "virage.events.send_due_reminders", "schedule": 15 * 60},
    "reconcile-reach-recent": {"task": "virage.events.reconcile_reach", "schedule": 10 * 60},
    "reconcile-reach-all": {
        "task": "virage.events.reconcile_reach",
        "schedule": crontab(hour=3, minute=30),
        "kwargs": {"minutes": None},
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "virage.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "virage.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute", "user": "600/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Virage API",
    "DESCRIPTION": "Programs, organizations, people and Quebec geography of a Virage installation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind", a "status" or a "language": each choice set gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "virage.organizations.models.Organization.Kind",
        "EventKindEnum": "virage.events.models.Event.Kind",
        "EventLanguageEnum": "virage.events.models.Event.Language",
        "EventStatusEnum": "virage.events.models.Event.Status",
        "RegistrationStatusEnum": "virage.events.models.Registration.Status",
        "LanguageEnum": "virage.api.events.LANGUAGE_CHOICES",
        "DiagnosticDimensionEnum": "virage.diagnostics.models.DimensionCode",
    },
}

# Law 25: who answers for personal information, shown in every privacy notice.
PRIVACY_OFFICER_NAME = env_str("PRIVACY_OFFICER_NAME", "Responsable de la protection des renseignements personnels")
PRIVACY_OFFICER_EMAIL = env_str("PRIVACY_OFFICER_EMAIL", "vie.privee@virage.local")
OPERATOR_NAME = env_str("OPERATOR_NAME", "Virage")
RETENTION_YEARS = env_int("RETENTION_YEARS", 7)
# Aggregates shown to funders hide any count smaller than this.
SMALL_COUNT_THRESHOLD = env_int("SMALL_COUNT_THRESHOLD", 5)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", IS_PRODUCTION) else None
SESSION_COOKIE_SECURE = IS_PRODUCTION
CSRF_COOKIE_SECURE = IS_PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", IS_PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if IS_PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = IS_PRODUCTION
SECURE_HSTS_PRELOAD = IS_PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs each step of each PDF at INFO; its warnings (a missing font) still show.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}
