"""Settings for gandan, read from the environment only.

Embedded mode (the default) needs nothing set: SQLite in ``var/``, a secret key generated
once and kept in ``var/``. Production (``GANDAN_ENV=production``) refuses to start with an
insecure key or with DEBUG on.
"""

import datetime as dt
import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GANDAN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
VAR_DIR.chmod(0o700)  # the embedded database, keys and uploads: the server's account only


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


GANDAN_ENV = os.environ.get("GANDAN_ENV", "embedded")
# The province this installation serves (its two-digit code, as in both structures): one
# installation, one province. Nothing in the code names a province; the demo is Huế's (46).
GANDAN_PROVINCE = os.environ.get("GANDAN_PROVINCE", "46").strip()
if not (len(GANDAN_PROVINCE) == 2 and GANDAN_PROVINCE.isascii() and GANDAN_PROVINCE.isdigit()):
    raise ImproperlyConfigured("GANDAN_PROVINCE must be a two-digit province code, such as 46.")
PRODUCTION = GANDAN_ENV == "production"
DEBUG = _env_bool("GANDAN_DEBUG", default=False)


def _secret_key() -> str:
    key = os.environ.get("GANDAN_SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        return ""
    # Embedded mode: generate once and keep it, so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


# Written before the secret key is generated: an installation that already had a secret key
# encrypted its personal data under a key derived from it (see _field_key).
_HAD_SECRET_KEY = (VAR_DIR / "secret_key").exists()
SECRET_KEY = _secret_key()


def _field_key() -> str:
    """The master key of the encrypted personal data (gandan.core.crypto), apart from the
    secret key so that either can be rotated alone (``gandan rotate_field_key``)."""
    key = os.environ.get("GANDAN_FIELD_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "GANDAN_FIELD_KEY must be set in production: the key of the encrypted personal "
            "data (keep it apart from GANDAN_SECRET_KEY and from the database's backups)."
        )
    path = VAR_DIR / "field_key"
    if not path.exists():
        # An embedded installation that encrypted under its secret key keeps that material.
        path.write_text(SECRET_KEY if _HAD_SECRET_KEY else secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


GANDAN_FIELD_KEY = _field_key()

if PRODUCTION:
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "GANDAN_SECRET_KEY must be set to a random value of at least 50 characters in production."
        )
    if DEBUG:
        raise ImproperlyConfigured("GANDAN_DEBUG must be off in production.")

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", "")
# A form refused for its token: a Vietnamese page that says to reload (gandan.portal.views).
CSRF_FAILURE_VIEW = "gandan.portal.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "gandan.core",
    "gandan.geo",
    "gandan.accounts",
    "gandan.officials",
    "gandan.feedback",
    "gandan.households",
    "gandan.onestop",
    "gandan.reports",
    "gandan.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # One memo a request for the user's memberships and scope (gandan.core.request_memo).
    "gandan.core.request_memo.RequestMemoMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gandan.accounts.sessions.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "gandan.core.security.NoStoreMiddleware",
    # A NUL in a path, query or form is a 400 before any view (PostgreSQL cannot store it).
    "gandan.core.security.NullCharacterMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "gandan.core.timeouts.RequestTimeoutMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes requires it).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gandan.urls"
WSGI_APPLICATION = "gandan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gandan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gandan.accounts.context_processors.memberships",
                "gandan.portal.navigation.navigation",
            ],
        },
    },
]

DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'gandan.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL, conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE avoids "database is locked"
        # when two transactions upgrade to writers at once.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("GANDAN_TEST_SQLITE") or None}
else:
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("GANDAN_TEST_DATABASE", "test_gandan")}
    # psycopg prepares only the statements gandan asks it to (gandan.core.statements: a few
    # run on every request); Django's own cursors bind on the client and are never prepared.
    # Those statements are look-ups by key and inserts, planned once (a generic plan) rather
    # than again whenever PostgreSQL's estimates waver. A connection pooler in transaction
    # mode that cannot keep prepared statements needs GANDAN_DB_PREPARE=0
    # (docs/decisions/0009).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    if _env_bool("GANDAN_DB_PREPARE", default=True):
        _options["prepare_threshold"] = 2**31 - 1
        _options["options"] = " ".join(
            filter(None, [_options.get("options", ""), "-c plan_cache_mode=force_generic_plan"])
        )
    else:
        _options["prepare_threshold"] = None
    # No JIT compilation: a report's statement crosses PostgreSQL's cost threshold at Huế's
    # scale and spends 0.1–0.9 s compiling what runs in less (docs/decisions/0014).
    _options["options"] = " ".join(filter(None, [_options.get("options", ""), "-c jit=off"]))

# Seconds of database work a web request may take before it is stopped and answered 503
# (gandan.core.timeouts); 0: no limit.
GANDAN_REQUEST_TIMEOUT = int(os.environ.get("GANDAN_REQUEST_TIMEOUT", "30"))
# Figures that read a whole province are kept and computed again in the background once older
# than this many minutes (gandan.core.figures).
GANDAN_FIGURES_MAX_AGE = int(os.environ.get("GANDAN_FIGURES_MAX_AGE", "10"))
if (
    GANDAN_REQUEST_TIMEOUT
    and os.environ.get("GANDAN_PROCESS") == "web"
    and DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"
):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(
        filter(
            None,
            [_options.get("options", ""), f"-c statement_timeout={GANDAN_REQUEST_TIMEOUT * 1000}"],
        )
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "gandan.accounts.validators.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:staff_home"
LOGOUT_REDIRECT_URL = "portal:home"

# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated):
# the client address of every limit, lockout and log (gandan.core.clients).
GANDAN_TRUSTED_PROXIES = _env_list("GANDAN_TRUSTED_PROXIES", "")
for _proxy in GANDAN_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"GANDAN_TRUSTED_PROXIES: {_proxy!r} is not an address or a network."
        ) from None

# A signed-in session ends after GANDAN_SESSION_IDLE_MINUTES without a request, and in any
# case GANDAN_SESSION_HOURS after signing in (gandan.accounts.sessions).
GANDAN_SESSION_IDLE_MINUTES = int(os.environ.get("GANDAN_SESSION_IDLE_MINUTES", "30"))
GANDAN_SESSION_HOURS = int(os.environ.get("GANDAN_SESSION_HOURS", "12"))
SESSION_COOKIE_AGE = GANDAN_SESSION_HOURS * 3600

# Mail (password reset links): SMTP when GANDAN_EMAIL_HOST is set, else written to the
# server's log (the embedded mode).
GANDAN_EMAIL_HOST = os.environ.get("GANDAN_EMAIL_HOST", "")
if GANDAN_EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = GANDAN_EMAIL_HOST
    EMAIL_PORT = int(os.environ.get("GANDAN_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("GANDAN_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("GANDAN_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = _env_bool("GANDAN_EMAIL_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("GANDAN_EMAIL_FROM", "gandan@localhost")
PASSWORD_RESET_TIMEOUT = 3600  # seconds a reset link stays valid

# Login throttling: five failures on one account (from any address) lock that account, and
# five failures from one address (on any accounts) lock that address, for 15 minutes after the
# last try; a successful sign-in clears its account's and its address's count.
AXES_FAILURE_LIMIT = int(os.environ.get("GANDAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "gandan.core.clients.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# The interface speaks Vietnamese only: Django's and DRF's own messages come in their
# Vietnamese translations; there is no language negotiation.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
# Vietnamese for the messages Django REST framework's own catalogue leaves in English.
LOCALE_PATHS = [BASE_DIR / "gandan" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

MEDIA_ROOT = VAR_DIR / "media"  # uploaded photos; served through views that check moderation
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "gandan" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
# Source maps are read by browsers' developer tools only; compressing the API documentation's
# (several MB each, brotli at its slowest level) took most of every collectstatic.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # Embedded mode: files under var/, so that every process of the server counts the same
    # rate limits (a per-process memory cache would let each worker count its own).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Background jobs (docs/decisions/0003): queued in the database and run by `gandan db_worker`,
# which `gandan serve` starts beside the web server. GANDAN_TASKS_BACKEND=immediate runs each
# job inside the request or command that starts it (no worker); any other value containing a
# dot is the import path of a django-tasks backend.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = os.environ.get("GANDAN_TASKS_BACKEND", "database")
if _task_backend not in _TASK_BACKENDS and "." not in _task_backend:
    raise ImproperlyConfigured(
        f"GANDAN_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)} or a backend's import path."
    )
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS.get(_task_backend, _task_backend),
        "QUEUES": ["default"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (docs/security.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _env_bool("GANDAN_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("GANDAN_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): scripts from this site only, plus the inline scripts
# that carry the request's nonce; no plug-ins, no framing, forms post here only. Inline style
# attributes stay allowed (htmx and a few templates use them); they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token first: a request without credentials is answered 401 with the
        # WWW-Authenticate header naming the token scheme.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Limit and offset, at most 500 rows a page (gandan.core.api.Pagination).
    "DEFAULT_PAGINATION_CLASS": "gandan.core.api.Pagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "gandan.core.api.exception_handler",
    # Counted in the shared cache, so every process of the server counts the same requests.
    "DEFAULT_THROTTLE_CLASSES": [
        "gandan.core.throttles.AnonRateThrottle",
        "gandan.core.throttles.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("GANDAN_API_RATE_ANON", "120/min"),
        "user": os.environ.get("GANDAN_API_RATE_USER", "100/s"),
    },
}
# API tokens (django-rest-knox): stored as SHA-512 digests, shown once when issued
# (`gandan token`), valid GANDAN_API_TOKEN_DAYS days, revoked one by one or all together;
# read from the Authorization header only ("Authorization: Token gd_…").
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(days=int(os.environ.get("GANDAN_API_TOKEN_DAYS", "90"))),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_PREFIX": "gd_",
    "AUTO_REFRESH": False,
}

# Vietnamese writes 1.234.567: Django's vi locale sets the separator but not the grouping.
NUMBER_GROUPING = 3

SPECTACULAR_SETTINGS = {
    "TITLE": "gandan API",
    "DESCRIPTION": "API của hệ thống thông tin chính quyền cơ sở gandan.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a ``status``: name their enums apart in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ReviewStatusEnum": "gandan.households.models.ReviewStatus",
        "ReviewRequestStatusEnum": "gandan.households.models.RequestStatus",
        "ReportStatusEnum": "gandan.feedback.models.Status",
        "ReportChannelEnum": "gandan.feedback.models.Channel",
        "DossierStatusEnum": "gandan.onestop.models.Status",
        "TaskStatusEnum": "gandan.feedback.models.TaskStatus",
        "DossierChannelEnum": "gandan.onestop.models.Channel",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GANDAN_LOG_LEVEL", "WARNING")},
}

# The one-stop desk's SMS sender (apologies, appointments): a dotted path to a function
# ``send(*, phone, text)``; empty = print to the console (development).
GANDAN_SMS_SENDER = os.environ.get("GANDAN_SMS_SENDER", "")
