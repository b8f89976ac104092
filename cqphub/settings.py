"""Settings, read from environment variables with working defaults.

DATABASE_URL  default: SQLite file var/cqphub.sqlite3 (created on first use); postgres://… for PostgreSQL
SECRET_KEY    default: a development key generated once into var/ (refused when DEBUG is off)
DEBUG         default: on ("1", "true", "yes", "on" are true)
ALLOWED_HOSTS comma-separated; default: localhost names
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CQPHUB_VAR_DIR", BASE_DIR / "var"))


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DEBUG", True)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    key_file = VAR_DIR / "dev-secret-key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h
]

INSTALLED_APPS = [
    "cqphub.orgs.admin_apps.SecureAdminConfig",  # django.contrib.admin behind the second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "bootstrap",
    "ninja",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "cqphub.web",
    "cqphub.reference",
    "cqphub.registry",
    "cqphub.orientation",
    "cqphub.orgs",
    "cqphub.qualifications",
    "cqphub.journeys",
    "cqphub.assessment",
    "cqphub.juries",
    "cqphub.credentials",
    "cqphub.reporting",
]

MIDDLEWARE = [
    "cqphub.web.request_log.RequestLogMiddleware",  # outermost: times and logs every request
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cqphub.orgs.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # keep last of Django's
    "cqphub.web.public_cache.PublicCacheMiddleware",  # innermost: a cache hit still passes every header above
]

ROOT_URLCONF = "cqphub.urls"
WSGI_APPLICATION = "cqphub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cqphub.web.context_processors.site",
            ],
        },
    },
]
# Django's renderer, with <select> and <input> written in Python (same markup; see the module)
FORM_RENDERER = "cqphub.web.form_renderer.FormRenderer"

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'cqphub.sqlite3'}"
if DATABASE_URL.startswith("sqlite"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
# Persistent connections (seconds; 0 = one per request): a cached public answer costs one query, and
# opening the connection would cost more than the answer.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run during an import; the import holds one write transaction. A new database
    # gets 8 KiB pages (an existing one keeps its own: the README says how to convert it): the registry's rows are
    # long texts, and half as many pages cut a full import's switch by a fifth (bench/registry_import.py).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts (cqphub.orgs): log in by e-mail; axes throttles failures; rules gives object permissions.
AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "orgs:login"
LOGIN_REDIRECT_URL = "orgs:dashboard"
LOGOUT_REDIRECT_URL = "web:home"
AXES_ENABLED = env_flag("AXES_ENABLED", True)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
OTP_TOTP_ISSUER = "cqphub"

# --- Security and operations (issue 14; security review H1-L8) ---------------------------------
# Log-in lock-out (H2): the (account, address) pair after 5 failures, the account from any address
# after CQPHUB_ACCOUNT_FAILURE_LIMIT failures (its owner unlocks it with a password reset), never an
# address alone. Behind a reverse proxy set CQPHUB_TRUSTED_PROXIES to the number of proxies that
# append to X-Forwarded-For (1 for one nginx); 0 (default) never reads that header.
AXES_HANDLER = "cqphub.orgs.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The log-in form's field is "username" (Django's AuthenticationForm) although the user model's
# USERNAME_FIELD is "email": without this, axes recorded every failure with username=None.
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True  # resets only the pair that succeeded
AXES_CLIENT_IP_CALLABLE = "cqphub.orgs.lockout.client_ip"
CQPHUB_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("CQPHUB_ACCOUNT_FAILURE_LIMIT", "20"))
CQPHUB_TRUSTED_PROXIES = int(os.environ.get("CQPHUB_TRUSTED_PROXIES", "0"))
# Second factor (H1): the Django admin always requires a verified TOTP device; with this flag on,
# superusers, staff and the roles that sign decisions must enrol before using the back office.
CQPHUB_REQUIRE_2FA = env_flag("CQPHUB_REQUIRE_2FA", not DEBUG)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a TOTP key or its QR code
# Headers and sessions (L2). Each is on by default when DEBUG is off and has its variable.
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", False)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env_flag("SECURE_PROXY_SSL_HEADER", False):  # the proxy sets X-Forwarded-Proto (see DEPLOY.md)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(12 * 3600)))  # 12 h, was 14 days
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_AGE = SESSION_COOKIE_AGE
# Idle timeout: staff and the roles that sign decisions are logged out after this many idle minutes;
# everyone else after CQPHUB_IDLE_MINUTES.
CQPHUB_STAFF_IDLE_MINUTES = int(os.environ.get("CQPHUB_STAFF_IDLE_MINUTES", "30"))
CQPHUB_IDLE_MINUTES = int(os.environ.get("CQPHUB_IDLE_MINUTES", "120"))
# Content-Security-Policy (django-csp): scripts only from this site (no inline script, no eval);
# inline style attributes stay allowed (templates and Swagger UI use some). CSP=0 turns it off.
if env_flag("CSP", True):
    CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'", "'unsafe-inline'"],
            "img-src": ["'self'", "data:"],
            "font-src": ["'self'"],
            "connect-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
        }
    }
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# E-mailed links (password reset, invitations) are built on this address, never on the Host header
# (L7). Default: the first ALLOWED_HOSTS entry over https (http when DEBUG is on).
SITE_URL = (os.environ.get("SITE_URL") or os.environ.get("CQPHUB_PUBLIC_URL", "")).rstrip("/")
# Password reset requests: at most this many per e-mail address and per client address an hour.
CQPHUB_PASSWORD_RESET_PER_HOUR = int(os.environ.get("CQPHUB_PASSWORD_RESET_PER_HOUR", "5"))
# Uploaded bodies held in memory (forms without files); files go to temporary files past this.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440)))
# Retention (M4, `cqphub gdpr purge`, daily): log-in attempts and access logs, the personal data of
# audit entries (pseudonymised, the facts kept), candidate files after the final jury decision.
CQPHUB_RETENTION_DAYS = {
    "login_attempts": int(os.environ.get("CQPHUB_RETAIN_LOGIN_ATTEMPTS_DAYS", "180")),
    "audit_personal": int(os.environ.get("CQPHUB_RETAIN_AUDIT_PERSONAL_DAYS", str(3 * 365))),
    "candidate_files": int(os.environ.get("CQPHUB_RETAIN_CANDIDATE_FILES_DAYS", "365")),
}
# Worker heartbeat read by /healthz: the task worker touches this file (cqphub.web.health.beat()).
CQPHUB_WORKER_HEARTBEAT = Path(os.environ.get("CQPHUB_WORKER_HEARTBEAT", VAR_DIR / "worker-heartbeat"))
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
# --- end of security and operations ------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "cqphub" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"  # filled by `cqphub collectstatic`; whitenoise serves it
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_flag("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_flag("SECURE_COOKIES", True)

# Cache (cqphub.web.public_cache): local memory by default; CACHE_URL=redis://host:6379/0 or
# CACHE_URL=db://table_name to share it between processes and machines.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL.startswith("db://"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_URL[5:]}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "20000"))},
        }
    }
# Public answers served from the cache (anonymous GET; orientation POSTs keyed by their body).
PUBLIC_CACHE_VIEWS = frozenset(
    {"web:home", "registry:index", "registry:detail", "api:certification", "api:search", "api:blocks"}
)
PUBLIC_CACHE_POST_VIEWS = frozenset({"api:orientation"})
PUBLIC_CACHE_ALIAS = "default"
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", str(24 * 3600)))
PUBLIC_CACHE_ENABLED = env_flag("PUBLIC_CACHE_ENABLED", True)
# After an import, each process builds its new search snapshot in a thread and answers from the previous
# one meanwhile (cqphub/registry/search/index.py); 0 builds it on the request path (the tests do).
SEARCH_SNAPSHOT_IN_BACKGROUND = env_flag("SEARCH_SNAPSHOT_IN_BACKGROUND", True)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cqphub <no-reply@localhost>")

# Background tasks (django-tasks, database queue from django-tasks-db; run `cqphub db_worker`).
# CQPHUB_TASKS=immediate runs each task at once in the caller (tests set it per test).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("CQPHUB_TASKS") == "immediate"
        else "django_tasks_db.DatabaseBackend"
    }
}

# Uploaded documents (cqphub.journeys): size limit per file, in bytes.
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_BYTES", 10 * 1024 * 1024))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "cqphub.web.request_log.JsonLineFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "json": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {  # one JSON line per request (cqphub/web/request_log.py); REQUEST_LOG=0 turns it off
        "cqphub.request": {
            "handlers": ["json"],
            "level": "INFO" if env_flag("REQUEST_LOG", not DEBUG) else "WARNING",
            "propagate": False,
        },
    },
}

# The operator of this instance, shown in the legal notice and the accessibility statement (web app).
CQPHUB_OPERATOR = {
    "name": os.environ.get("CQPHUB_OPERATOR_NAME", "Opérateur de démonstration cqphub"),
    "address": os.environ.get("CQPHUB_OPERATOR_ADDRESS", "Adresse à renseigner (CQPHUB_OPERATOR_ADDRESS)"),
    "email": os.environ.get("CQPHUB_OPERATOR_EMAIL", "contact@cqphub.invalid"),
    "siret": os.environ.get("CQPHUB_OPERATOR_SIRET", ""),
    "director": os.environ.get("CQPHUB_OPERATOR_DIRECTOR", ""),
    "host": os.environ.get("CQPHUB_OPERATOR_HOST", ""),
    "audit_date": os.environ.get("CQPHUB_ACCESSIBILITY_AUDIT_DATE", ""),
}

# Holder report (reporting app): path of the Caisse des dépôts' accrochage XSD (v1.1.2). Never committed:
# the operator downloads it from the CDC. When unset, files are still produced and marked NOT validated.
CQPHUB_CDC_XSD = os.environ.get("CQPHUB_CDC_XSD", "")
# Public origin used in the verification URLs written into the holder report (urlPreuve).
CQPHUB_PUBLIC_URL = os.environ.get("CQPHUB_PUBLIC_URL", "http://localhost:8000").rstrip("/")

# Credentials (cqphub.credentials): issuer keys live in files, never in the database. The platform's
# issuer is did:web on the host of CQPHUB_PUBLIC_URL; its DID document is served at /.well-known/did.json.
CREDENTIALS_KEY_DIR = Path(os.environ.get("CQPHUB_CREDENTIALS_KEY_DIR", VAR_DIR / "keys"))
CREDENTIALS_ISSUER_NAME = os.environ.get("CQPHUB_CREDENTIALS_ISSUER_NAME", "")  # default: the operator's name
# Secret of the verification keys (HMAC of a document's number) carried by the parchment's QR code and the
# holder's share link: with the key, the public page shows the holder's full name, without it initials.
# Default: SECRET_KEY (and SECRET_KEY_FALLBACKS). Keys are printed on paper: set a dedicated secret in
# production, never change it, and keep any retired one in the comma-separated _FALLBACKS.
CREDENTIALS_VERIFICATION_SECRET = os.environ.get("CQPHUB_CREDENTIALS_VERIFICATION_SECRET", "")
CREDENTIALS_VERIFICATION_SECRET_FALLBACKS = [
    s for s in os.environ.get("CQPHUB_CREDENTIALS_VERIFICATION_SECRET_FALLBACKS", "").split(",") if s
]
