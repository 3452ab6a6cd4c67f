"""The one settings module. Every deploy-time choice comes from a ``ZHIFA_*`` environment variable.

The defaults are the embedded mode: one machine, a SQLite file and a local folder under ``var/``.
See docs/configuration.md for the full list.
"""

import os
import secrets
import tempfile
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

VAR_DIR = Path(env.str("ZHIFA_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """ZHIFA_SECRET_KEY, or one generated once into var/secret_key with mode 600."""
    key = env.str("ZHIFA_SECRET_KEY", default="")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    # Written whole to a private temporary file, then linked into place: processes starting together (the web
    # workers, the test workers) never read a half-written key, and the first link wins.
    fd, tmp = tempfile.mkstemp(dir=VAR_DIR, prefix=".secret_key-")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("ZHIFA_DEBUG", default=False)
ALLOWED_HOSTS = env.list("ZHIFA_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("ZHIFA_CSRF_TRUSTED_ORIGINS", default=[])
HTTPS = env.bool("ZHIFA_HTTPS", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxies (IPs or CIDR blocks) whose X-Forwarded-For names the client (zhifa.core.proxy); empty: no
# proxy, the TCP peer is the client.
TRUSTED_PROXIES = env.list("ZHIFA_TRUSTED_PROXIES", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "huey.contrib.djhuey",
    "zhifa.core",
    "zhifa.org",
    "zhifa.ledger",
    "zhifa.workdays",
    "zhifa.catalog",
    "zhifa.publicity",
    "zhifa.cases",
    "zhifa.review",
    "zhifa.remedies",
    "zhifa.supervision",
    "zhifa.inspections",
    "zhifa.records",
]

MIDDLEWARE = [
    "zhifa.core.proxy.TrustedProxyMiddleware",  # REMOTE_ADDR is the client's address from here on
    "django.middleware.security.SecurityMiddleware",
    "zhifa.core.csp.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zhifa.core.uploads.BodyLimitMiddleware",  # before anything reads the body (zhifa/core/uploads.py)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhifa.org.middleware.SessionRenewalMiddleware",  # inside SessionMiddleware: it saves what this one renews
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zhifa.org.middleware.PasswordChangeRequiredMiddleware",
    "zhifa.core.guards.InputGuardMiddleware",
]

ROOT_URLCONF = "zhifa.urls"
WSGI_APPLICATION = "zhifa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zhifa" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhifa.org.context_processors.navigation",
            ],
        },
    },
]

# Database: a SQLite file by default (embedded); PostgreSQL in production.
DATABASES = {
    "default": env.db_url("ZHIFA_DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'zhifa.sqlite3'}"),
}
# Django's backends with the ledger's write tracking (zhifa.core.db): every transaction's writes are recorded.
DATABASES["default"]["ENGINE"] = {
    "django.db.backends.sqlite3": "zhifa.core.db.sqlite3",
    "django.db.backends.postgresql": "zhifa.core.db.postgresql",
}.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])
if DATABASES["default"]["ENGINE"] == "zhifa.core.db.sqlite3":
    # IMMEDIATE transactions take the write lock at BEGIN, so two writers queue instead of failing
    # half-way (the ledger's append relies on it); WAL lets readers go on while one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("ZHIFA_CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("ZHIFA_REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Embedded mode: a table in the platform's own database, shared by every web worker and the background
    # process (a per-process cache would let each of `zhifa run`'s workers count its own rate limits).
    # zhifa.core.cache makes incr atomic; the table is made by `zhifa migrate` (post_migrate) and `zhifa run`.
    CACHES = {
        "default": {
            "BACKEND": "zhifa.core.cache.DatabaseCache",
            "LOCATION": "zhifa_cache",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# Background work: Huey (zhifa.core.queue). Embedded: its SQLite storage in VAR_DIR, one consumer started by
# `zhifa run`. Production: ZHIFA_TASKS_URL=redis://… or postgresql://… (empty with a PostgreSQL database: the same
# database, tables huey_*), any number of `zhifa worker` consumers, one of them running the scheduler.
TASKS_URL = env.str("ZHIFA_TASKS_URL", default="")
if not TASKS_URL and DATABASES["default"]["ENGINE"] == "zhifa.core.db.postgresql":
    TASKS_URL = env.str("ZHIFA_DATABASE_URL")
if TASKS_URL.startswith("redis"):
    HUEY = {"huey_class": "huey.PriorityRedisHuey", "url": TASKS_URL}
elif TASKS_URL.startswith(("postgres://", "postgresql://")):
    # Tables made by `zhifa migrate` and `zhifa worker` (zhifa.core.queue.create_storage), not at every import.
    HUEY = {
        "huey_class": "huey.PostgresHuey",
        "dsn": TASKS_URL.replace("postgres://", "postgresql://", 1),
        "create_tables": False,
    }
elif TASKS_URL.startswith("sqlite:///"):
    HUEY = {"huey_class": "huey.SqliteHuey", "filename": TASKS_URL.removeprefix("sqlite://"), "timeout": 30}
elif TASKS_URL:
    raise ImproperlyConfigured(
        f"ZHIFA_TASKS_URL: redis://…, postgresql://… or sqlite:///…, not {TASKS_URL!r}"
    )
else:
    HUEY = {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "tasks.sqlite3"), "timeout": 30}
HUEY.update(
    name="zhifa",
    results=False,  # a job's outcome is its Job row (zhifa.core.models), not Huey's result store
    immediate=False,  # djhuey would follow DEBUG; tests switch it on themselves (tests/conftest.py)
    utc=True,
    consumer={"workers": env.int("ZHIFA_WORKER_THREADS", default=2), "worker_type": "thread"},
)
# An on-demand job (zhifa.core.models.Job) whose consumer stopped renewing its lease this long ago is handed to
# another consumer (a consumer killed with kill -9 loses no job).
JOB_LEASE_SECONDS = env.int("ZHIFA_JOB_LEASE_SECONDS", default=60)

# Accounts (等保 2.0 level 3): Argon2, password policy, lockout, idle timeout.
AUTH_USER_MODEL = "org.Person"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "zhifa.org.validators.ComplexityValidator", "OPTIONS": {"min_length": 8, "min_classes": 3}},
    {"NAME": "zhifa.org.validators.NotContainingUsernameValidator"},
    # Django's 20,000 most common passwords plus zhifa/org/data/common-passwords.txt (weak passwords common in China).
    {"NAME": "zhifa.org.validators.CommonPasswordValidator"},
]
# Periodic change (GB/T 22239-2019 8.1.4.1 a): after this many days a login leads to the password page first; 0: never.
PASSWORD_MAX_AGE_DAYS = env.int("ZHIFA_PASSWORD_MAX_AGE_DAYS", default=90)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
LOCKOUT_FAILURES = env.int("ZHIFA_LOCKOUT_FAILURES", default=5)
LOCKOUT_MINUTES = env.int("ZHIFA_LOCKOUT_MINUTES", default=15)
SESSION_IDLE_MINUTES = env.int("ZHIFA_SESSION_IDLE_MINUTES", default=30)
# Idle timeout: a session in use is renewed at most once a minute (zhifa.org.middleware.SessionRenewalMiddleware),
# so it ends within this many minutes of the last request.
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Security headers. Content-Security-Policy (django-csp): nothing but the platform's own files — no inline script
# or style, no plugins, no framing (a view marked xframe_options_sameorigin, e.g. the document preview, may be
# framed by the platform's own pages: zhifa.core.csp). The API docs page relaxes styles for itself only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": [
            "'self'",
            "data:",
        ],  # Swagger UI's icons are data: images (the signature pad posts a data: URL)
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
if HTTPS:
    SECURE_HSTS_SECONDS = env.int("ZHIFA_HSTS_SECONDS", default=31536000)

# Language and time: Chinese by default, English selectable.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "zhifa" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "zhifa" / "static"]
# Serve straight from the app folders too, so `zhifa run` works before collectstatic has run.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env.str("ZHIFA_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Request bodies (zhifa/core/uploads.py): a body that is not a file upload (form fields, JSON) at most
# ZHIFA_MAX_BODY_MB; a multipart upload at most ZHIFA_MAX_REQUEST_MB, or ZHIFA_MAX_ANON_REQUEST_MB for a visitor
# who is not logged in (the portal); pages with their own file limits (complaints, imports, evidence) are stricter
# or, for evidence, larger. Over the limit: 413 before the body is read, or as soon as the count passes it.
# Uploaded files go to temporary files on disk, never memory. The reverse proxy's own limit (nginx
# client_max_body_size) must be at least the largest of these, including the evidence limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("ZHIFA_MAX_BODY_MB", default=4) * 1024 * 1024
ZHIFA_MAX_REQUEST_BYTES = env.int("ZHIFA_MAX_REQUEST_MB", default=256) * 1024 * 1024
ZHIFA_MAX_ANON_REQUEST_BYTES = env.int("ZHIFA_MAX_ANON_REQUEST_MB", default=20) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "zhifa.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024  # only MemoryFileUploadHandler reads it, and it is not installed
FILE_UPLOAD_TEMP_DIR = VAR_DIR / "tmp"
FILE_UPLOAD_TEMP_DIR.mkdir(exist_ok=True)
# Production: documents and evidence in S3-compatible object storage (django-storages) when a bucket is named.
S3_BUCKET = env.str("ZHIFA_S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": S3_BUCKET,
                "endpoint_url": env.str("ZHIFA_S3_ENDPOINT_URL", default="") or None,
                "access_key": env.str("ZHIFA_S3_ACCESS_KEY", default="") or None,
                "secret_key": env.str("ZHIFA_S3_SECRET_KEY", default="") or None,
                "region_name": env.str("ZHIFA_S3_REGION", default="") or None,
                "file_overwrite": False,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "zhifa.org.authentication.BearerTokenAuthentication",
        "zhifa.org.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "zhifa.core.api.Pagination",
    "DEFAULT_PARSER_CLASSES": [
        "zhifa.core.api.JSONParser",
        "zhifa.core.api.FormParser",
        "zhifa.core.api.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "zhifa.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "zhifa API",
    "DESCRIPTION": "行政执法“三项制度”平台接口",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several apps have a "kind", "outcome", "method", "status" of their own: each choice set gets its own name, so
    # the schema is generated with no warning (tests/org/test_api.py fails on a new one).
    "ENUM_NAME_OVERRIDES": {
        "CaseOutcomeEnum": "zhifa.cases.choices.Outcome",
        "ReviewOutcomeEnum": "zhifa.review.choices.Outcome",
        "CoordinationOutcomeEnum": "zhifa.review.choices.CoordinationOutcome",
        "DiscussionOutcomeEnum": "zhifa.review.choices.DiscussionOutcome",
        "RemedyOutcomeEnum": "zhifa.remedies.choices.RemedyOutcome",
        "RemedyKindEnum": "zhifa.remedies.choices.RemedyKind",
        "PenaltyKindEnum": "zhifa.cases.choices.PenaltyKind",
        "PartyKindEnum": "zhifa.cases.choices.PartyKind",
        "RecordKindEnum": "zhifa.cases.choices.RecordKind",
        "PaymentKindEnum": "zhifa.cases.choices.PaymentKind",
        "ServiceMethodEnum": "zhifa.cases.choices.ServiceMethod",
        "ServiceProofKindEnum": "zhifa.cases.choices.ServiceProofKind",
        "DocumentKindEnum": "zhifa.records.choices.DocumentKind",
        "EvidenceKindEnum": "zhifa.records.choices.EvidenceKind",
        "SignatureMethodEnum": "zhifa.records.choices.SignatureMethod",
        "CriterionKindEnum": "zhifa.review.choices.CriterionKind",
        "ItemKindEnum": "zhifa.catalog.choices.ItemKind",
        "ListKindEnum": "zhifa.catalog.choices.ListKind",
        "ComplaintKindEnum": "zhifa.publicity.choices.ComplaintKind",
        "ComplaintStatusEnum": "zhifa.publicity.choices.ComplaintStatus",
        "LawStatusEnum": "zhifa.catalog.choices.LawStatus",
        "CertificateStatusEnum": "zhifa.org.choices.CertificateStatus",
        "DeadlineEventKindEnum": "zhifa.workdays.choices.DeadlineEventKind",
        "DayKindEnum": "zhifa.workdays.choices.DayKind",
    },
}

# Ledger: where the agencies' signing keys live (outside the database rows users can read).
LEDGER_KEY_DIR = Path(env.str("ZHIFA_LEDGER_KEY_DIR", default=str(VAR_DIR / "keys")))
LEDGER_CHECKPOINT_MINUTES = env.int("ZHIFA_LEDGER_CHECKPOINT_MINUTES", default=10)
# After an appending transaction commits, its log is signed if the last checkpoint is older than this; the periodic
# job signs the tail of a burst as often (zhifa.ledger.tasks). 0: only every LEDGER_CHECKPOINT_MINUTES.
LEDGER_CHECKPOINT_SECONDS = env.int("ZHIFA_LEDGER_CHECKPOINT_SECONDS", default=60)

LEDGER_KEY_ALGORITHM = env.str("ZHIFA_LEDGER_KEY_ALGORITHM", default="ed25519")  # or "sm2"
LEDGER_ORIGIN_PREFIX = env.str("ZHIFA_LEDGER_ORIGIN_PREFIX", default="zhifa.local")

# Public portal: the agency shown at /portal/ when several share the deployment, and rate limits per address.
PORTAL_DEFAULT_AGENCY = env.str("ZHIFA_PORTAL_DEFAULT_AGENCY", default="")
PORTAL_VERIFY_PER_MINUTE = env.int("ZHIFA_PORTAL_VERIFY_PER_MINUTE", default=20)
PORTAL_COMPLAINT_PER_MINUTE = env.int("ZHIFA_PORTAL_COMPLAINT_PER_MINUTE", default=5)
PORTAL_STATUS_PER_MINUTE = env.int("ZHIFA_PORTAL_STATUS_PER_MINUTE", default=10)

# Deadlines: how many working days ahead a deadline counts as "due soon" (临近届满).
DEADLINE_DUE_SOON_WORKING_DAYS = env.int("ZHIFA_DEADLINE_DUE_SOON_WORKING_DAYS", default=3)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "[%(asctime)s] %(levelname)s %(name)s %(process)d: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("ZHIFA_LOG_LEVEL", default="WARNING")},
}
