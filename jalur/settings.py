"""Settings for Jalur, read from the environment with safe defaults for the embedded (SQLite) set-up.

Every value that differs between a laptop and a production city server comes from an environment
variable; see docs/deploy.md for the full list.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEV_SECRET_KEY = "jalur-development-only-secret-key-do-not-use-in-production"  # noqa: S105

# JALUR_ENV=production switches on every production safeguard at once.
PRODUCTION = os.environ.get("JALUR_ENV", "development").lower() == "production"
# Where the SQLite database (when DATABASE_URL is not set), uploads, collected static files and
# backups live. A laptop keeps them in ./var of the checkout; a production server never writes
# into its checkout (which may be read-only or replaced on the next deploy): there they default to
# /var/lib/jalur, and MEDIA_ROOT and STATIC_ROOT may each point elsewhere.
VAR_DIR = Path(
    os.environ.get("JALUR_VAR_DIR") or ("/var/lib/jalur" if PRODUCTION else BASE_DIR / "var")
)
DEBUG = envbool("DEBUG", not PRODUCTION)
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
if PRODUCTION and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 40):
    raise ImproperlyConfigured(
        "JALUR_ENV=production needs a real SECRET_KEY of at least 40 random characters "
        "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when JALUR_ENV=production.")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "jalur.core",
    "jalur.accounts",
    "jalur.audit",
    "jalur.regions",
    "jalur.notifications",
    "jalur.pathways",
    "jalur.candidates",
    "jalur.accounts.admin_site.JalurAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # its bundled Swagger UI files, served by Jalur itself (no CDN)
]
# Domain apps added by later stages register here (kept in one list so the order is visible).
INSTALLED_APPS += [
    app
    for app in (
        "jalur.training",
        "jalur.placement",
        "jalur.departure",
        "jalur.protection",
        "jalur.crisis",
        "jalur.reports",
        "jalur.privacy",
        "jalur.api",
        "jalur.exchange",
    )
    if (BASE_DIR / app.replace(".", "/") / "apps.py").exists()
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jalur.core.middleware.SecurityHeadersMiddleware",
    "jalur.core.middleware.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed (a manager's home page: 8.4 KB, 2.2 KB gzipped); static files are
    # answered above by WhiteNoise, gzipped in advance. BREACH (guessing a secret that a compressed
    # page holds from the page's length, over many requests that reflect the attacker's text) is
    # blunted twice: Django masks the CSRF token anew in every response, so it never repeats, and
    # GZipMiddleware pads every response with up to 100 random bytes ("Heal the Breach").
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jalur.core.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "jalur.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jalur.core.middleware.NulBytesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jalur.audit.middleware.RequestContextMiddleware",
    # candidates answer a new consent text at their next log-in (staff pass the two-step check above)
    "jalur.privacy.middleware.ConsentVersionMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jalur.urls"
WSGI_APPLICATION = "jalur.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "jalur" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jalur.accounts.context_processors.jalur",
            ],
            "builtins": ["jalur.accounts.templatetags.roles"],  # {% has_cap %} on every page
        },
    }
]

# --- Database -------------------------------------------------------------------------------------
if not PRODUCTION:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jalur.sqlite3'}")
# Connections kept open between requests: a new PostgreSQL connection costs each request 3.8 ms of
# both cores (issue 20). The health check reopens one the database closed meanwhile (a restart, a
# failover) instead of failing the next request. 0 behind PgBouncer (docs/deploy.md).
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=envint("CONN_MAX_AGE", 60 if PRODUCTION else 0),
        conn_health_checks=envbool("CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the background worker read while the other writes; IMMEDIATE
    # transactions plus a busy timeout make concurrent writers wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("JALUR_TEST_SQLITE_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared by every app server, because the public forms' throttles count attempts in it ---
# The database by default (`manage.py createcachetable`), Redis when REDIS_URL is set.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    # The throttles' counts live here (core/throttle.py). Django culls a third of the entries, live
    # ones included, once there are more than MAX_ENTRIES (300 by default): on opening day the
    # sign-up and NIK limits would be forgotten after a few hundred people. Expired rows are
    # removed first; each write counts the table, so the ceiling is kept within a cheap COUNT.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "jalur_cache",
            "OPTIONS": {"MAX_ENTRIES": envint("JALUR_CACHE_MAX_ENTRIES", 20_000)},
        }
    }

# Sessions live in the database so any app server can answer any request and a log-out ends the
# session everywhere; with Redis they are read from it first (docs/adr/0011-sessions-on-opening-day.md).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if os.environ.get("REDIS_URL")
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 60 * 60 * 12)

# --- Background tasks -----------------------------------------------------------------------------
# The database backend needs no extra server; set TASKS_BACKEND to another django-tasks backend
# (e.g. an RQ or Celery one) to move to a broker.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "notifications", "imports"],
    }
}

# --- Authentication -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "jalur.accounts.backends.PhoneOrEmailBackend",
]
PASSWORD_HASHERS = [
    "jalur.accounts.hashers.OwaspArgon2PasswordHasher",  # Argon2id, OWASP parameters
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-step log-in (jalur/accounts/two_factor.py) for the roles in accounts.roles.TWO_FACTOR_ROLES.
JALUR_2FA_REQUIRED = envbool("JALUR_2FA_REQUIRED", True)
# A sign-up waits for a code sent to its phone or e-mail, so the answer never tells whether that
# phone or e-mail has an account (candidates/signup_confirm.py). On in production; a phone sign-up
# needs the phone gateway for it (without one it logs straight in, as in the demo).
JALUR_SIGNUP_CONFIRM = envbool("JALUR_SIGNUP_CONFIRM", PRODUCTION)
OTP_TOTP_ISSUER = "Jalur"
OTP_TOTP_THROTTLE_FACTOR = 1  # each wrong code doubles the wait before the next (1 s, 2 s, 4 s…)

AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60  # hours
# Per account at one client, and per client over every account (jalur/accounts/lockout.py).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["ip_address"]]
AXES_HANDLER = "jalur.accounts.lockout.JalurAxesHandler"
AXES_LOCKOUT_CALLABLE = "jalur.accounts.lockout.lockout_response"
JALUR_LOGIN_FAILURES_PER_CLIENT = envint("JALUR_LOGIN_FAILURES_PER_CLIENT", 30)
# One account guessed from many addresses: locked everywhere after this many (jalur/accounts/lockout.py).
JALUR_LOGIN_FAILURES_PER_ACCOUNT = envint("JALUR_LOGIN_FAILURES_PER_ACCOUNT", 20)
# A try while locked does not start the lock again: the lock page's "N minutes" stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = envbool("AXES_ENABLED", True)
# Lock-outs count per account, whichever of its user name, phone or e-mail was typed, and per real
# client address.
AXES_USERNAME_CALLABLE = "jalur.accounts.backends.login_identity"
AXES_CLIENT_IP_CALLABLE = "jalur.core.network.client_ip"
# How many proxies (nginx, a load balancer) stand in front of the app servers, each appending the
# address it saw to X-Forwarded-For: the client is that many entries from the right. Lock-outs,
# the public forms' attempt limits and the audit log all use it; 0 takes the connection's address.
JALUR_TRUSTED_PROXIES = envint(
    "JALUR_TRUSTED_PROXIES", 1 if PRODUCTION and envbool("BEHIND_PROXY", True) else 0
)
# The REST API's calls a minute: per token, and per client address without one (jalur/api/auth.py).
JALUR_API_TOKEN_RATE = envint("JALUR_API_TOKEN_RATE", 120)
JALUR_API_PUBLIC_RATE = envint("JALUR_API_PUBLIC_RATE", 60)

# --- Language, time and formats -------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "jalur" / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["jalur.formats"]

# --- Static and uploaded files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "jalur" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or VAR_DIR / "staticfiles")
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# With DEBUG on (development, tests) files are served straight from jalur/static, edits showing at
# once. In production they are served from STATIC_ROOT after `collectstatic`, with hashed names
# cached for a year and gzipped copies made in advance. With DEBUG off outside production (the demo
# of scripts/run.sh) they are gzipped in advance too, under their plain names, and served from
# STATIC_ROOT once `collectstatic` has filled it (scripts/run.sh runs it), from jalur/static before.
if DEBUG:
    STATIC_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"
    WHITENOISE_USE_FINDERS = True
elif PRODUCTION:
    STATIC_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
    WHITENOISE_USE_FINDERS = False
else:
    STATIC_STORAGE = "whitenoise.storage.CompressedStaticFilesStorage"
    WHITENOISE_USE_FINDERS = not any(STATIC_ROOT.iterdir())
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or VAR_DIR / "media")
# No MEDIA_URL is routed: documents are only ever served by views that check access, with DEBUG on
# or off.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": STATIC_STORAGE},
}
if os.environ.get("FILE_STORAGE") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", "jalur"),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
JALUR_MAX_UPLOAD_BYTES = envint("JALUR_MAX_UPLOAD_MB", 5) * 1024 * 1024
# The whole request, files included (the Excel import takes 20 MB); docs/deploy.md's web server
# refuses at its own client_max_body_size, which must not be below this.
JALUR_MAX_REQUEST_BYTES = envint("JALUR_MAX_REQUEST_MB", 25) * 1024 * 1024
# Backups are encrypted for the RSA public key(s) in this file (docs/deploy.md, section 5); the
# private key is held off the server. Empty: plain zips, which `backup` refuses in production.
JALUR_BACKUP_PUBLIC_KEY_FILE = os.environ.get("JALUR_BACKUP_PUBLIC_KEY_FILE", "")

# --- E-mail ---------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Jalur <noreply@jalur.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Messages to phones (WhatsApp or SMS) ----------------------------------------------------------
# Off by default: people read messages in their Jalur inbox (and by e-mail when they gave one).
# JALUR_PHONE_GATEWAY=http posts each message to the city's gateway; see notifications/gateways.py.
JALUR_PHONE_GATEWAY = os.environ.get("JALUR_PHONE_GATEWAY", "")
JALUR_PHONE_CHANNEL = os.environ.get("JALUR_PHONE_CHANNEL", "whatsapp")  # or "sms"
JALUR_PHONE_GATEWAY_OPTIONS = {
    key: value
    for key, value in {
        "url": os.environ.get("JALUR_PHONE_GATEWAY_URL", ""),
        "token": os.environ.get("JALUR_PHONE_GATEWAY_TOKEN", ""),
        "auth_header": os.environ.get("JALUR_PHONE_GATEWAY_AUTH_HEADER", ""),
        "auth_scheme": os.environ.get("JALUR_PHONE_GATEWAY_AUTH_SCHEME", ""),
        "to_field": os.environ.get("JALUR_PHONE_GATEWAY_TO_FIELD", ""),
        "text_field": os.environ.get("JALUR_PHONE_GATEWAY_TEXT_FIELD", ""),
        "encoding": os.environ.get("JALUR_PHONE_GATEWAY_ENCODING", ""),
        "number_format": os.environ.get("JALUR_PHONE_GATEWAY_NUMBER_FORMAT", ""),
        "ok_field": os.environ.get("JALUR_PHONE_GATEWAY_OK_FIELD", ""),
    }.items()
    if value
}
# Replies from workers come back through the gateway's inbound webhook (/kotak-masuk/gateway/masuk/,
# docs/gateway.md), signed with this shared secret (HMAC-SHA256). Empty: the webhook answers 503.
JALUR_PHONE_GATEWAY_INBOUND_SECRET = os.environ.get("JALUR_PHONE_GATEWAY_INBOUND_SECRET", "")
# A number gets at most this many password-reset messages an hour (each one costs the city money).
JALUR_PHONE_RESETS_PER_HOUR = envint("JALUR_PHONE_RESETS_PER_HOUR", 3)

# --- Security -------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe /healthz over plain HTTP: it answers them instead of redirecting.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
    if envbool("BEHIND_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# --- Jalur itself ---------------------------------------------------------------------------------
# The region that runs this installation: a Kemendagri kab/kota code. Another city sets its own.
JALUR_HOME_REGION = os.environ.get("JALUR_HOME_REGION", "36.73")
# Regencies whose old kecamatan codes may still start a NIK (Kota Serang was part of 36.04 until 2007).
JALUR_LEGACY_REGENCIES = envlist("JALUR_LEGACY_REGENCIES", "36.04")
# The names a page shows. Empty means "derived from the home region's name" (Kota Serang gives
# "Program Pekerja Migran Kota Serang" and "Disnakertrans Kota Serang"); set them where the city
# names its programme or office otherwise.
JALUR_PROGRAMME_NAME = os.environ.get("JALUR_PROGRAMME_NAME", "")
JALUR_OFFICE_NAME = os.environ.get("JALUR_OFFICE_NAME", "")
JALUR_PROGRAMME_TARGET = envint("JALUR_PROGRAMME_TARGET", 1000)
JALUR_SITE_URL = os.environ.get("JALUR_SITE_URL", "http://127.0.0.1:8000")
# Pre-departure: the passport must outlast the contract by this many months; a passport held by
# someone other than the worker for longer than N days is flagged.
JALUR_PASSPORT_MARGIN_MONTHS = envint("JALUR_PASSPORT_MARGIN_MONTHS", 6)
JALUR_PASSPORT_HOLD_DAYS = envint("JALUR_PASSPORT_HOLD_DAYS", 14)
# Dashboard figures that are not kept by the stage listener are refreshed when older than N minutes.
JALUR_REPORTS_REFRESH_MINUTES = envint("JALUR_REPORTS_REFRESH_MINUTES", 10)
# Personal data of candidates who withdrew or were rejected is anonymised after this many years.
JALUR_RETENTION_YEARS = envint("JALUR_RETENTION_YEARS", 5)
# Uploaded Excel imports and their per-row reports (NIKs, names) are deleted after this many days.
JALUR_IMPORT_FILES_DAYS = envint("JALUR_IMPORT_FILES_DAYS", 90)
# Whole-programme exports made from the web (data packages) are deleted after this many days.
JALUR_EXPORT_KEEP_DAYS = envint("JALUR_EXPORT_KEEP_DAYS", 7)
# Protection after departure: check-in every N days, flagged when N + grace days pass without one.
JALUR_CHECKIN_INTERVAL_DAYS = envint("JALUR_CHECKIN_INTERVAL_DAYS", 30)
JALUR_CHECKIN_GRACE_DAYS = envint("JALUR_CHECKIN_GRACE_DAYS", 7)
# Days allowed per grievance state, overriding jalur/rules/grievances.py DEADLINES (the regulation's only shortened), e.g. {"clarification_1": 5}.
JALUR_GRIEVANCE_DAYS: dict[str, int] = {}
JALUR_NOTIFICATION_MAX_ATTEMPTS = envint("JALUR_NOTIFICATION_MAX_ATTEMPTS", 5)
