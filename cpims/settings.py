"""CPIMS settings: one module, every value from the environment (see docs/configuration.md)."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
VAR_DIR = Path(env("CPIMS_VAR_DIR", str(BASE_DIR / "var")))

_INSECURE_DEV_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdefghijklmnop"
SECRET_KEY = env("SECRET_KEY", _INSECURE_DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off (see docs/configuration.md)")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "csp",
    "cpims.core",
    "cpims.geo",
    "cpims.accounts",
    "cpims.audit",
    "cpims.jobs",
    "cpims.registry",
    "cpims.notifications",
    "cpims.cases",
    "cpims.referrals",
    "cpims.privacy",
    "cpims.finance",
    "cpims.helpline",
    "cpims.justice",
    "cpims.workforce",
    "cpims.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cpims.core.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cpims.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cpims.audit.middleware.AuditContextMiddleware",
    "cpims.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "cpims.urls"
WSGI_APPLICATION = "cpims.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "cpims.core.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT_DIR = Path(env("CPIMS_STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cpims.sqlite3'}"),
        conn_max_age=env_int("CPIMS_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web server and the job worker share one SQLite file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, so tests see the same locking as production (worker + web server);
    # one per process, so parallel runs never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-cpims-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A read replica (PostgreSQL streaming replica) for reports and dashboards; see
# cpims/core/db_router.py. Without it every query uses the primary.
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env("DATABASE_REPLICA_URL"),
        conn_max_age=env_int("CPIMS_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["cpims.core.db_router.ReplicaRouter"]

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("CPIMS_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "cpims.accounts.passwords.CharacterClassValidator"},
]
CPIMS_LOGIN_MAX_FAILURES = env_int("CPIMS_LOGIN_MAX_FAILURES", 5)
CPIMS_LOGIN_LOCKOUT_MINUTES = env_int("CPIMS_LOGIN_LOCKOUT_MINUTES", 15)
CPIMS_SESSION_IDLE_MINUTES = env_int("CPIMS_SESSION_IDLE_MINUTES", 30)
CPIMS_2FA_REQUIRED = env_bool("CPIMS_2FA_REQUIRED", not env_bool("CPIMS_DEMO", DEBUG))
CPIMS_REAUTH_MINUTES = env_int("CPIMS_REAUTH_MINUTES", 10)
CPIMS_LOGIN_MAX_FAILURES_PER_IP = env_int("CPIMS_LOGIN_MAX_FAILURES_PER_IP", 30)
CPIMS_FIELD_ENCRYPTION_KEY = env("CPIMS_FIELD_ENCRYPTION_KEY", "")
SESSION_COOKIE_AGE = CPIMS_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: an idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = env("CPIMS_LANGUAGE_CODE", "mn")  # Mongolian unless a deployment says otherwise
LANGUAGES = [("mn", _("Mongolian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "cpims" / "locale"]
LANGUAGE_COOKIE_NAME = "cpims_language"
TIME_ZONE = env("CPIMS_TIME_ZONE", "Asia/Ulaanbaatar")
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ---------------------------------------------------------------
STATIC_URL = "/static/"
MEDIA_URL = "/media/"  # never served directly: attachments go through an access check
STATIC_ROOT = STATIC_ROOT_DIR
MEDIA_ROOT = Path(env("CPIMS_MEDIA_ROOT", str(VAR_DIR / "media")))
# Hashed, compressed file names need `collectstatic` first; development and tests skip that.
CPIMS_STATIC_MANIFEST = env_bool("CPIMS_STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if not CPIMS_STATIC_MANIFEST
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not CPIMS_STATIC_MANIFEST
# Attachments on S3-compatible storage (MinIO, Ceph, AWS) when a bucket is named; needs the
# optional `s3` extra (django-storages[s3]). Credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.
if env("CPIMS_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("CPIMS_S3_BUCKET"),
            "endpoint_url": env("CPIMS_S3_ENDPOINT_URL") or None,
            "region_name": env("CPIMS_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

# --- Security headers (secure by default; `check --deploy` is clean with DEBUG=0) -------------
SECURE_SSL_REDIRECT = env_bool("CPIMS_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("CPIMS_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("CPIMS_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Session first: an anonymous request answers 403 (no WWW-Authenticate challenge).
        "rest_framework.authentication.SessionAuthentication",
        "cpims.accounts.tokens.TokenAuthentication",
    ],
    # Signed in, and holding the view's declared `required_capability` (if any).
    "DEFAULT_PERMISSION_CLASSES": ["cpims.core.access.HasCapability"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [  # DRF's three, refusing NUL characters (cpims/core/parsers.py)
        "cpims.core.parsers.JSONParser",
        "cpims.core.parsers.FormParser",
        "cpims.core.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CPIMS API",
    "DESCRIPTION": "Child Protection Information Management System",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "LocationLevelEnum": "cpims.geo.models.Location.Level",
        "ServiceLevelEnum": "cpims.referrals.choices.Level",
        "ReferralStatusEnum": "cpims.referrals.choices.Status",
        "ApprovalStatusEnum": "cpims.cases.choices.ApprovalStatus",
        "ContactUrgencyEnum": "cpims.helpline.choices.Urgency",
        "HelplineSexEnum": "cpims.helpline.choices.ChildSex",
        "HelplineRelationshipEnum": "cpims.helpline.choices.Relationship",
        "IcvacEnum": "cpims.helpline.choices.Icvac",
        "HarmEnum": "cpims.cases.choices.Harm",
        "ReferralUrgencyEnum": "cpims.referrals.choices.Urgency",
        "ContactOutcomeEnum": "cpims.helpline.choices.Outcome",
        "ContactChannelEnum": "cpims.helpline.choices.Channel",
        "ContactStatusEnum": "cpims.helpline.choices.Status",
        "CallTypeEnum": "cpims.helpline.choices.CallType",
        "PoliceReportChannelEnum": "cpims.justice.choices.ReportChannel",
        "PoliceStatusEnum": "cpims.justice.choices.PoliceStatus",
        "CourtOutcomeEnum": "cpims.justice.choices.CourtOutcome",
        "InterviewPlaceEnum": "cpims.justice.choices.InterviewPlace",
        "LegalAidKindEnum": "cpims.justice.choices.LegalAidKind",
        "OffenceCategoryEnum": "cpims.justice.choices.OffenceCategory",
        "ConflictPathEnum": "cpims.justice.choices.ConflictPath",
        "ConflictMeasureEnum": "cpims.justice.choices.ConflictMeasure",
        "ProbationComplianceEnum": "cpims.justice.choices.Compliance",
        "DvAssessmentKindEnum": "cpims.justice.choices.AssessmentKind",
        "DangerLevelEnum": "cpims.justice.choices.DangerLevel",
        "ProtectionOrderKindEnum": "cpims.justice.choices.OrderKind",
        "IssuingBodyEnum": "cpims.justice.choices.IssuingBody",
        "StayReasonEnum": "cpims.justice.choices.StayReason",
        "InspectionKindEnum": "cpims.justice.choices.InspectionKind",
        "InspectionSeasonEnum": "cpims.justice.choices.Season",
        "StaffKindEnum": "cpims.workforce.choices.StaffKind",
        "QualificationEnum": "cpims.workforce.choices.Qualification",
        "CourseTopicEnum": "cpims.workforce.choices.Topic",
        "SupervisionKindEnum": "cpims.workforce.choices.SupervisionKind",
    },
}

# --- Background jobs ------------------------------------------------------------------------
CPIMS_JOB_MAX_ATTEMPTS = env_int("CPIMS_JOB_MAX_ATTEMPTS", 5)
CPIMS_JOB_BACKOFF_SECONDS = env_int("CPIMS_JOB_BACKOFF_SECONDS", 30)
CPIMS_JOB_LEASE_SECONDS = env_int("CPIMS_JOB_LEASE_SECONDS", 300)
CPIMS_WORKER_POLL_SECONDS = float(env("CPIMS_WORKER_POLL_SECONDS", "2"))

# --- Case management ------------------------------------------------------------------------
CPIMS_APPROVALS_GATE = env_bool("CPIMS_APPROVALS_GATE", True)
CPIMS_ATTACHMENT_MAX_MB = env_int("CPIMS_ATTACHMENT_MAX_MB", 10)
CPIMS_NOTIFICATION_SENDER = env(
    "CPIMS_NOTIFICATION_SENDER", "cpims.notifications.senders.LogSender"
)

# --- Helpline -------------------------------------------------------------------------------
# Minutes a local team has to acknowledge a helpline escalation before it moves up a level.
CPIMS_ESCALATION_ACK_MINUTES_EMERGENCY = env_int("CPIMS_ESCALATION_ACK_MINUTES_EMERGENCY", 60)
CPIMS_ESCALATION_ACK_MINUTES_OTHER = env_int("CPIMS_ESCALATION_ACK_MINUTES_OTHER", 1440)

# --- Privacy ----------------------------------------------------------------------------------
CPIMS_RETENTION_YEARS_AFTER_CLOSURE = env_int("CPIMS_RETENTION_YEARS_AFTER_CLOSURE", 5)
CPIMS_RETENTION_YEARS_AFTER_ADULTHOOD = env_int("CPIMS_RETENTION_YEARS_AFTER_ADULTHOOD", 5)

# --- Services and referrals -----------------------------------------------------------------
CPIMS_REFERRAL_RESPONSE_HOURS = {
    "emergency": env_int("CPIMS_REFERRAL_HOURS_EMERGENCY", 4),
    "urgent": env_int("CPIMS_REFERRAL_HOURS_URGENT", 48),
    "routine": env_int("CPIMS_REFERRAL_HOURS_ROUTINE", 168),
}
CPIMS_DIRECTORY_STALE_DAYS = env_int("CPIMS_DIRECTORY_STALE_DAYS", 180)

# --- Justice, domestic violence, child labour ------------------------------------------------
# A reminder goes to the case worker this many days before a protection order lapses.
CPIMS_PROTECTION_ORDER_REMINDER_DAYS = env_int("CPIMS_PROTECTION_ORDER_REMINDER_DAYS", 7)
# The accompanying social worker is reminded this many hours before a court hearing.
CPIMS_HEARING_REMINDER_HOURS = env_int("CPIMS_HEARING_REMINDER_HOURS", 24)
# More forensic interviews of one child than this is flagged (fewer is better).
CPIMS_INTERVIEWS_PER_CHILD_MAX = env_int("CPIMS_INTERVIEWS_PER_CHILD_MAX", 1)
CPIMS_JOCKEY_MIN_AGE = env_int("CPIMS_JOCKEY_MIN_AGE", 7)
CPIMS_WORK_MIN_AGE = env_int("CPIMS_WORK_MIN_AGE", 15)
# Open cases per social worker above which a worker counts as over the norm (workforce).
CPIMS_CASELOAD_NORM = env_int("CPIMS_CASELOAD_NORM", 25)
# Aggregate exports suppress any cell below this count (and complementary cells).
CPIMS_SUPPRESSION_THRESHOLD = env_int("CPIMS_SUPPRESSION_THRESHOLD", 5)

# --- Demo -----------------------------------------------------------------------------------
CPIMS_DEMO = env_bool("CPIMS_DEMO", DEBUG)
CPIMS_DEMO_PASSWORD = env("CPIMS_DEMO_PASSWORD", "Demo-CPIMS-2026!")

# --- E-mail and logging ---------------------------------------------------------------------
EMAIL_BACKEND = env("CPIMS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("CPIMS_FROM_EMAIL", "cpims@localhost")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("CPIMS_LOG_LEVEL", "INFO")},
}

AUTHENTICATION_BACKENDS = ["cpims.accounts.backends.LockoutModelBackend"]
