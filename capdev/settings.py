"""capdev settings: one module, driven by environment variables (see `.env.example`).

SQLite in the data directory is the embedded default; set DATABASE_URL for PostgreSQL.
Outside demo/debug mode capdev refuses to start without a real SECRET_KEY.
"""

from __future__ import annotations

import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from capdev.env import ConfigurationError, env_bool, env_int, env_list, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = env_path("CAPDEV_DATA_DIR", PROJECT_DIR / "var")
TESTING = "pytest" in sys.modules or env_bool("CAPDEV_TESTING")

DEBUG = env_bool("DEBUG", False)
DEMO = env_bool("CAPDEV_DEMO", False)

_INSECURE_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or DEMO or TESTING:
        SECRET_KEY = _INSECURE_KEY
    else:
        raise ConfigurationError(
            "SECRET_KEY is not set. Generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` and put it in the environment."
        )
elif SECRET_KEY == _INSECURE_KEY and not (DEBUG or DEMO or TESTING):
    raise ConfigurationError("SECRET_KEY is the development default: set a real secret key.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "capdev.core",
    "capdev.accounts",
    "capdev.reference",
    "capdev.organisations",
    "capdev.people",
    "capdev.competencies",
    "capdev.catalogue",
    "capdev.actions",
    "capdev.experts",
    "capdev.cohorts",
    "capdev.learning",
    "capdev.delivery",
    "capdev.knowledge",
    "capdev.portfolio",
    "capdev.portal",
    "capdev.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "capdev.urls"
WSGI_APPLICATION = "capdev.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "capdev.core.context_processors.shell",
            ],
        },
    },
]

# Database: SQLite in the data directory unless DATABASE_URL says otherwise.
_default_sqlite = f"sqlite:///{DATA_DIR / 'capdev.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_sqlite),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL and a busy timeout let the web workers and the demo loader share the file.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # No server-side cursors for QuerySet.iterator(): every model <select> of a filter form reads
    # its choices with iterator(), which on PostgreSQL costs DECLARE ... WITH HOLD, FETCH and
    # CLOSE (three round trips and a materialised result) for a dozen rows. capdev iterates no
    # large result set; connection poolers in transaction mode need this setting anyway.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Internationalisation: five shipped UI languages, Arabic right-to-left.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Brussels")
LANGUAGE_COOKIE_NAME = "capdev_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Static and uploaded files: everything served locally (whitenoise), no CDN.
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env_path("STATIC_ROOT", DATA_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = env_path("MEDIA_ROOT", DATA_DIR / "media")
WHITENOISE_USE_FINDERS = DEBUG or DEMO or TESTING
if WHITENOISE_USE_FINDERS:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if WHITENOISE_USE_FINDERS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# E-mail: console in demo/debug, SMTP otherwise.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEBUG or DEMO)
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "capdev <noreply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [("Operator", addr) for addr in env_list("ADMINS")]

# Security: strict by default outside debug/demo; `capdev manage check --deploy` is clean with
# a production configuration (HTTPS behind a proxy that sets X-Forwarded-Proto).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
_HTTPS = env_bool("CAPDEV_HTTPS", not (DEBUG or DEMO or TESTING))
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
LANGUAGE_COOKIE_SECURE = _HTTPS
SECURE_SSL_REDIRECT = _HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS and env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("CAPDEV_BEHIND_PROXY", _HTTPS):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "capdev.api.pagination.DeferredJoinPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "capdev.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "capdev API",
    "DESCRIPTION": "REST API of capdev. Every list is scoped to what the authenticated user may see.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Every choice set has one stable name in the OpenAPI schema (no generated suffixes).
    "ENUM_NAME_OVERRIDES": {
        "ActionTypeEnum": "capdev.actions.models.ActionType",
        "ActivityStatusEnum": "capdev.actions.models.ActivityStatus",
        "ActivityTypeEnum": "capdev.actions.models.ActivityType",
        "RequestChannelEnum": "capdev.actions.models.Channel",
        "DeliverableKindEnum": "capdev.actions.models.DeliverableKind",
        "DeliverableStatusEnum": "capdev.actions.models.DeliverableStatus",
        "CapacityLevelEnum": "capdev.actions.models.Level",
        "ActionPhaseEnum": "capdev.actions.models.Phase",
        "RequestStatusEnum": "capdev.actions.models.RequestStatus",
        "CourseKindEnum": "capdev.catalogue.models.CourseKind",
        "DeliveryModeEnum": "capdev.catalogue.models.DeliveryMode",
        "PartKindEnum": "capdev.catalogue.models.PartKind",
        "QualificationFrameworkEnum": "capdev.catalogue.models.QualificationFramework",
        "RuleKindEnum": "capdev.catalogue.models.RuleKind",
        "ItemKindEnum": "capdev.competencies.models.ItemKind",
        "NatureEnum": "capdev.competencies.models.Nature",
        "VersionStatusEnum": "capdev.competencies.models.VersionStatus",
        "AttendanceStatusEnum": "capdev.delivery.models.AttendanceStatus",
        "SessionKindEnum": "capdev.delivery.models.SessionKind",
        "DeploymentStatusEnum": "capdev.experts.models.DeploymentStatus",
        "InstitutionTypeEnum": "capdev.experts.models.InstitutionType",
        "LessonKindEnum": "capdev.knowledge.models.LessonKind",
        "OrganisationTypeEnum": "capdev.organisations.models.OrganisationType",
        "SexEnum": "capdev.people.models.Sex",
        "RegionEnum": "capdev.reference.models.Region",
    },
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}


CAPDEV_PAGE_SIZE = env_int("CAPDEV_PAGE_SIZE", 25)
FILTERS_EMPTY_CHOICE_LABEL = _("All")
