"""One settings module, read from the environment.

Every value that differs between machines comes from an environment variable
(or a ``*_FILE`` variable naming a file that holds it, for secrets). Bad values
fail loudly at start-up rather than at first use.

IOM_ENV chooses the profile:
- ``production`` (the default): DEBUG off, HTTPS-only cookies, two-factor
  sign-in enforced, a secret key required;
- ``development``: the local demo (``make run``), may switch off two-factor
  sign-in with IOM_REQUIRE_2FA=false;
- ``test``: the test suite.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Lets typed generics such as ModelForm[Nominal] work at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
NODE_MODULES = BASE_DIR / "node_modules"


def env(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    raw = env(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, *, default: int) -> int:
    raw = env(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_count(name: str, *, default: int, least: int = 0, most: int | None = None) -> int:
    """A whole number from NAME, refused below ``least`` or above ``most``."""
    value = env_int(name, default=default)
    if value < least or (most is not None and value > most):
        bounds = f"from {least} to {most}" if most is not None else f"at least {least}"
        raise ImproperlyConfigured(f"{name} must be {bounds}, not {value}")
    return value


def env_text(name: str) -> str:
    """Text from NAME, or from the file NAME_FILE names; "" when neither is set."""
    try:
        text = (env(name) or "").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"{name}_FILE names a file that cannot be read: {exc}") from exc
    if not text and os.environ.get(f"{name}_FILE"):
        raise ImproperlyConfigured(f"{name}_FILE names an empty file")
    return text


def env_names(name: str, *, meaning: str) -> dict[str, str]:
    """A JSON object of names to names from NAME (or the file NAME_FILE names); {} when unset."""
    text = env_text(name)
    if not text:
        return {}
    try:
        found = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(f"{name} is not valid JSON ({exc}): {text!r}") from exc
    if not isinstance(found, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object of {meaning}, not {text!r}")
    for key, value in found.items():
        if not isinstance(value, str) or not value.strip():
            raise ImproperlyConfigured(f"{name}: the value for {key!r} must be a name, "
                                       f"not {value!r}")
    return {key: value.strip() for key, value in found.items()}


IOM_ENV = env("IOM_ENV", "production") or "production"
if IOM_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(f"IOM_ENV must be production, development or test, not {IOM_ENV!r}")
PRODUCTION = IOM_ENV == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=False)
if DEBUG and PRODUCTION:
    raise ImproperlyConfigured("DJANGO_DEBUG cannot be true when IOM_ENV is production")

SECRET_KEY = env("DJANGO_SECRET_KEY") or ""
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set")
    # Development and tests get a throw-away key made at start-up: nothing
    # signed with it needs to outlive the process's sessions.
    import secrets

    SECRET_KEY = secrets.token_urlsafe(50)

ALLOWED_HOSTS = [h.strip() for h in (env("DJANGO_ALLOWED_HOSTS", "") or "").split(",") if h.strip()]
if not PRODUCTION:
    ALLOWED_HOSTS += ["localhost", "127.0.0.1", "testserver", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_forms_gds",
    "ninja",  # its bundled Swagger UI for /api/docs, served as our own static files
    "iom.core",
    "iom.accounts",
    "iom.audit",
    "iom.people",
    "iom.governance",
    "iom.scoring",
    "iom.cohorts",
    "iom.casework",
    "iom.meetings",
    "iom.reporting",
    "iom.monitoring",
    # Before django_tasks_db: its db_worker command is ours, with a heartbeat.
    "iom.feeds",
    "iom.operations",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "iom.accounts.middleware.AccessContextMiddleware",
    "iom.operations.middleware.RequestLogMiddleware",
    "iom.accounts.middleware.RequireSignInMiddleware",
    "iom.api.errors.ApiErrorShapeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "iom" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "iom.core.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'iom.sqlite3'}") or "",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=0),
        # A kept connection is checked before each request reuses it, so that a restart
        # of PostgreSQL costs no request an error (docs/deploy.md).
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", default=True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the demo's reads and writes overlap.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if IOM_ENV == "test"
    else [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ]
)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock-out after repeated failed sign-ins (django-axes).
AXES_FAILURE_LIMIT = env_int("IOM_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("IOM_LOGIN_COOLOFF_MINUTES", default=30))
# Per username only: keyed on the address as well, one address would lock out every user
# behind it (all of an office behind one reverse proxy). The price is that anyone can lock
# one account for the cool-off by failing its password; an administrator can lift it
# (manage.py axes_reset_username USERNAME). The address recorded with each attempt is
# REMOTE_ADDR (django-ipware is not installed and nothing reads X-Forwarded-For, which a
# client can forge): in production, the reverse proxy in front of the application.
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns (W006) that without the address, changing user agent or cookies gets round
# the limit; that holds only for limits keyed on those. Keyed on the username, an account
# is locked however its attempts arrive. What is not limited is trying one password
# against many usernames: strong passwords (AUTH_PASSWORD_VALIDATORS) and two-factor
# sign-in answer that.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Two-factor sign-in (TOTP). Production refuses to start with it off.
IOM_REQUIRE_2FA = env_bool("IOM_REQUIRE_2FA", default=True)
if PRODUCTION and not IOM_REQUIRE_2FA:
    raise ImproperlyConfigured("IOM_REQUIRE_2FA cannot be false when IOM_ENV is production")
OTP_TOTP_ISSUER = "IOM Northshire"
# With two-factor required, an authenticator is set up only with a one-time code from an
# administrator (or manage.py two_factor_enrolment), given apart from the password.
IOM_2FA_ENROLMENT_HOURS = env_int("IOM_2FA_ENROLMENT_HOURS", default=72)

# Sessions end when idle: every request pushes the expiry on.
SESSION_COOKIE_AGE = env_int("IOM_SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# How long a stated reason for viewing someone outside one's caseload lasts.
IOM_ACCESS_REASON_MINUTES = env_int("IOM_ACCESS_REASON_MINUTES", default=60)
# Number of independent hash chains in the access log (see docs/adr/0002).
IOM_ACCESS_LOG_CHAINS = env_int("IOM_ACCESS_LOG_CHAINS", default=8)
# The secret that keys the access log's hashes and signs its checkpoints, kept out of
# the database so that its owner cannot re-hash a rewritten log (docs/adr/0008). Where
# the checkpoints of every chain head are appended (iom/audit/checkpoints.py).
IOM_ACCESS_LOG_KEY = env_text("IOM_ACCESS_LOG_KEY")
if not IOM_ACCESS_LOG_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("IOM_ACCESS_LOG_KEY (or IOM_ACCESS_LOG_KEY_FILE) must be set")
    # Development and tests only: a fixed, public key, so that a demo log verifies
    # across restarts. It protects nothing.
    IOM_ACCESS_LOG_KEY = "development-and-test-only-access-log-key-not-secret"
elif len(IOM_ACCESS_LOG_KEY) < 32:
    raise ImproperlyConfigured("IOM_ACCESS_LOG_KEY must be at least 32 characters long")
# Tests default to a directory of their own process, so that no test run ever reads
# the checkpoints of a database other than its own.
IOM_ACCESS_LOG_CHECKPOINT_DIR = Path(env(
    "IOM_ACCESS_LOG_CHECKPOINT_DIR",
    str(Path(tempfile.gettempdir()) / f"iom-test-access-log-{os.getpid()}") if IOM_ENV == "test"
    else str(BASE_DIR / "var" / "access-log")) or "")

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind the reverse proxy (deploy/nginx.conf), which terminates TLS and sets
    # X-Forwarded-Proto itself, replacing any a client sent. The application is reached
    # only through it (gunicorn listens on loopback: deploy/gunicorn.conf.py), so the
    # header is the proxy's. The client's address is not taken from any header:
    # REMOTE_ADDR is the proxy's (README, the sign-in lock-out).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A monitoring probe on the machine may ask for liveness over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A strict Content Security Policy: no inline scripts or styles at all.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"

# GOV.UK Frontend's stylesheet asks for its fonts and images under /assets/,
# so static files are served from there, straight out of the npm packages.
STATIC_URL = "/assets/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "iom" / "static",
    NODE_MODULES / "govuk-frontend" / "dist" / "govuk" / "assets",
    NODE_MODULES / "@ministryofjustice" / "frontend" / "moj" / "assets",
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("moj", NODE_MODULES / "@ministryofjustice" / "frontend" / "moj"),
    ("leaflet", NODE_MODULES / "leaflet" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Without debug mode (the demo), a changed stylesheet is still served as it now is.
WHITENOISE_AUTOREFRESH = not PRODUCTION

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"


EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "iom@localhost") or "iom@localhost"

# Daily feeds (docs/feeds/pnc.md): alert e-mails, where uploads wait, and the file size
# above which an upload is imported by the background worker (manage.py db_worker).
# What any form, API call or feed row may hold (iom/core/bounds.py, docs/api.md "Bounds").
_earliest = env("IOM_EARLIEST_DATE", "1900-01-01") or "1900-01-01"
try:
    IOM_EARLIEST_DATE = date.fromisoformat(_earliest)
except ValueError as exc:
    raise ImproperlyConfigured(f"IOM_EARLIEST_DATE must be a date YYYY-MM-DD, "
                               f"not {_earliest!r}") from exc
IOM_SCHEDULED_YEARS_AHEAD = env_count("IOM_SCHEDULED_YEARS_AHEAD", default=50, least=1,
                                      most=500)
IOM_TEXT_MAX_CHARS = env_count("IOM_TEXT_MAX_CHARS", default=10_000, least=200)
IOM_UPLOAD_MAX_BYTES = env_count("IOM_UPLOAD_MAX_BYTES", default=200_000_000, least=1_000)
# Django refuses larger request bodies that are not files with its own 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_count("IOM_REQUEST_MAX_BYTES", default=2_621_440,
                                        least=100_000)
IOM_ALERT_EMAILS = env_bool("IOM_ALERT_EMAILS", default=False)
IOM_FEED_UPLOAD_DIR = Path(env("IOM_FEED_UPLOAD_DIR", str(BASE_DIR / "var" / "feeds")) or "")
IOM_FEED_BACKGROUND_BYTES = env_int("IOM_FEED_BACKGROUND_BYTES", default=2_000_000)
# Days an uploaded feed file (personal data) is kept once its run has ended; 0 deletes it
# as soon as the run ends (iom/feeds/retention.py, manage.py clear_feed_uploads).
IOM_FEED_KEEP_DAYS = env_int("IOM_FEED_KEEP_DAYS", default=7)
if IOM_FEED_KEEP_DAYS < 0:
    raise ImproperlyConfigured(f"IOM_FEED_KEEP_DAYS must be 0 or more, not {IOM_FEED_KEEP_DAYS}")
# Minutes a run checking or storing its file may go without progress before it is taken
# as stopped (its importer killed) and marked failed (iom/feeds/services.py).
IOM_FEED_STALLED_MINUTES = env_count("IOM_FEED_STALLED_MINUTES", default=30, least=1)

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
                     if IOM_ENV == "test" else "django_tasks_db.DatabaseBackend"}}

# Candidate lists read kept selection facts (docs/adr/0006-selection-facts-snapshot.md):
# whether to keep them; how many changed people a read refreshes before the whole
# snapshot is built again instead; from how many changed people a read keeps its refresh.
IOM_SELECTION_SNAPSHOT = env_bool("IOM_SELECTION_SNAPSHOT", default=True)
IOM_SELECTION_PATCH_LIMIT = env_int("IOM_SELECTION_PATCH_LIMIT", default=5000)
IOM_SELECTION_SAVE_AFTER = env_int("IOM_SELECTION_SAVE_AFTER", default=200)

# Meetings and case work: the partnership's rules (iom/meetings/rules.py,
# iom/casework/rules.py), the scheme policy each partnership's agendas select under
# (a JSON object, checked against the installed policies at start-up), the
# confidentiality statement signed at meetings and printed on the paper form ("" for
# the 2015 agreement's text; iom/casework/confidentiality.py) and the resettlement
# pathway list for new plans (seven or ten, checked at start-up; iom/casework/pathways.py).
IOM_MEETING_RULES = {
    "tasking_days_per_week": env_count("IOM_MEETING_TASKING_DAYS_PER_WEEK", default=3, most=7),
    "decision_quorum": env_count("IOM_MEETING_DECISION_QUORUM", default=3, least=1),
    "release_months": env_count("IOM_MEETING_RELEASE_MONTHS", default=3),
    "threat_days": env_count("IOM_MEETING_THREAT_DAYS", default=14),
    "candidates_max": env_count("IOM_MEETING_CANDIDATES_MAX", default=10),
    "schedule_weeks_max": env_count("IOM_MEETING_SCHEDULE_WEEKS_MAX", default=26, least=1),
}
IOM_MEETING_POLICIES = env_names("IOM_MEETING_POLICIES",
                                 meaning="partnership name to scheme policy name")
IOM_CONFIDENTIALITY_STATEMENT = env_text("IOM_CONFIDENTIALITY_STATEMENT")
IOM_COMPLIANCE = {
    "plan_within_working_days": env_count("IOM_COMPLIANCE_PLAN_WITHIN_WORKING_DAYS",
                                          default=7, least=1),
    "engagement_within_working_days": env_count(
        "IOM_COMPLIANCE_ENGAGEMENT_WITHIN_WORKING_DAYS", default=7, least=1),
    "deregistration_within_working_days": env_count(
        "IOM_COMPLIANCE_DEREGISTRATION_WITHIN_WORKING_DAYS", default=7, least=1),
    "threat_reviews_needed": env_count("IOM_COMPLIANCE_THREAT_REVIEWS_NEEDED",
                                       default=2, least=1),
    "threat_review_period_working_days": env_count(
        "IOM_COMPLIANCE_THREAT_REVIEW_PERIOD_WORKING_DAYS", default=7, least=1),
    "tag_audit_due_working_day_of_next_month": env_count(
        "IOM_COMPLIANCE_TAG_AUDIT_DUE_WORKING_DAY_OF_NEXT_MONTH", default=5, least=1, most=20),
}
# Voluntary GPS tags (docs/monitoring.md, iom/monitoring/rules.py): the longest fitting,
# the review notice, the youngest age and the matching defaults (radius in metres, padding
# and maximum gap in minutes); where the day-partitioned location fixes are kept.
IOM_MONITORING = {
    "max_fitting_months": env_count("IOM_MONITORING_MAX_FITTING_MONTHS", default=12, least=1),
    "review_notice_days": env_count("IOM_MONITORING_REVIEW_NOTICE_DAYS", default=28),
    "min_age": env_count("IOM_MONITORING_MIN_AGE", default=12, least=10),
    "radius_m": float(env_count("IOM_MONITORING_RADIUS_M", default=100, least=1)),
    "pad_minutes": env_count("IOM_MONITORING_PAD_MINUTES", default=0),
    "max_gap_minutes": env_count("IOM_MONITORING_MAX_GAP_MINUTES", default=10, least=1),
}
# Who sees a wearer's locations besides nobody (iom/governance/policy.py rule 7): statutory
# organisation kinds, and "lead_professional" for the person's lead professional.
IOM_LOCATIONS_SEEN_BY = tuple(
    name.strip() for name in (env("IOM_LOCATIONS_SEEN_BY", "police,lead_professional")
                              or "").split(",") if name.strip())
IOM_FIX_STORE_DIR = Path(env("IOM_FIX_STORE_DIR", str(BASE_DIR / "var" / "fixes")) or "")
# Days a location fix is kept: clear_location_fixes removes each partnership's day files
# before today minus this many days (iom/monitoring/services/retention.py).
IOM_LOCATION_FIX_RETENTION_DAYS = env_count("IOM_LOCATION_FIX_RETENTION_DAYS", default=365,
                                            least=1)
IOM_PATHWAY_SET = env("IOM_PATHWAY_SET", "seven") or "seven"
# The trail map's tiles (docs/monitoring.md, docs/adr/0012-trail-map.md): an XYZ URL template
# with {z}, {x} and {y} (and {s} for a subdomain) and the attribution its licence asks for.
# Unset, the map is the server's drawing on a plain background; set, pages with a map load
# Leaflet and the tile server's origin is added to their img-src (iom/monitoring/maptiles.py).
IOM_MAP_TILE_URL = (env("IOM_MAP_TILE_URL", "") or "").strip()
IOM_MAP_TILE_ATTRIBUTION = env_text("IOM_MAP_TILE_ATTRIBUTION")
if IOM_MAP_TILE_URL:
    _tiles = urlsplit(IOM_MAP_TILE_URL)
    _missing = [p for p in ("{z}", "{x}", "{y}") if p not in IOM_MAP_TILE_URL]
    if _tiles.scheme not in {"https", "http"} or not _tiles.netloc or _missing:
        raise ImproperlyConfigured(
            "IOM_MAP_TILE_URL must be an http(s) URL template with {z}, {x} and {y}, "
            f"not {IOM_MAP_TILE_URL!r}")
    if not IOM_MAP_TILE_ATTRIBUTION:
        raise ImproperlyConfigured("IOM_MAP_TILE_ATTRIBUTION must say whose tiles "
                                   "IOM_MAP_TILE_URL shows (their licence asks for it)")
# What a reader without intelligence sight sees of a score whose inputs may include
# police intelligence: nothing ("withhold"), or the score worked out from the records
# they may see ("without"). docs/adr/0008-scores-of-restricted-inputs.md
IOM_SCORES_WITHOUT_INTELLIGENCE = env("IOM_SCORES_WITHOUT_INTELLIGENCE", "withhold") or "withhold"
if IOM_SCORES_WITHOUT_INTELLIGENCE not in {"withhold", "without"}:
    raise ImproperlyConfigured("IOM_SCORES_WITHOUT_INTELLIGENCE must be withhold or without, "
                               f"not {IOM_SCORES_WITHOUT_INTELLIGENCE!r}")

# Health checks (/healthz, manage.py health_report; iom/operations/health.py): how old the
# worker's heartbeat, the last nightly run, the last access-log checkpoint and the last
# verification of the access log may be before the check fails. The defaults fit the
# timers in deploy/ with room for one late run.
IOM_HEALTH_WORKER_SECONDS = env_count("IOM_HEALTH_WORKER_SECONDS", default=60, least=1)
IOM_HEALTH_NIGHTLY_HOURS = env_count("IOM_HEALTH_NIGHTLY_HOURS", default=26, least=1)
IOM_HEALTH_CHECKPOINT_MINUTES = env_count("IOM_HEALTH_CHECKPOINT_MINUTES", default=15, least=1)
IOM_HEALTH_VERIFICATION_HOURS = env_count("IOM_HEALTH_VERIFICATION_HOURS", default=26, least=1)

# The log: JSON lines (iom/operations/logs.py says what a line may hold: never a person's
# name, PNC ID or record content), or plain text (IOM_LOG_FORMAT=text, the default of the
# development profile, which make run uses).
# The request lines (logger iom.requests, one per request) are at INFO, so they show
# from DJANGO_LOG_LEVEL=INFO; production's systemd unit sets it (deploy/iom.env.example).
IOM_LOG_FORMAT = env("IOM_LOG_FORMAT", "text" if IOM_ENV == "development" else "json") or "json"
if IOM_LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"IOM_LOG_FORMAT must be json or text, not {IOM_LOG_FORMAT!r}")
# Information governance (docs/governance.md). Signed consent paperwork: PDF, PNG or
# JPEG (known from the file's own first bytes), at most this size.
IOM_CONSENT_PAPERWORK_MAX_BYTES = env_count("IOM_CONSENT_PAPERWORK_MAX_BYTES",
                                            default=5 * 1024 * 1024, least=1024)
# The lead professional is reminded this many days before a consent expires.
IOM_CONSENT_REMINDER_DAYS = env_count("IOM_CONSENT_REMINDER_DAYS", default=28, least=1)
# A correction notice is overdue when not acknowledged within this many calendar days.
IOM_CORRECTION_NOTICE_DAYS = env_count("IOM_CORRECTION_NOTICE_DAYS", default=14, least=1)
# Retention groups, periods and the partners' rule (iom/governance/retention.toml).
IOM_RETENTION_FILE = env("IOM_RETENTION_FILE", "") or ""
# E-mail a correction notice as well as showing it in the inbox.
IOM_CORRECTION_EMAILS = env_bool("IOM_CORRECTION_EMAILS", default=False)
# The case lifecycle (docs/lifecycle.md): e-mail the people concerned as well as the inbox
# notice, and how many days before the 18th birthday to prompt the move to adult services.
IOM_LIFECYCLE_EMAILS = env_bool("IOM_LIFECYCLE_EMAILS", default=False)
IOM_YOUTH_TRANSITION_DAYS = env_count("IOM_YOUTH_TRANSITION_DAYS", default=90, least=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "iom.operations.logs.JsonLinesFormatter"},
                   "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": IOM_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
