"""Tracelot settings, read from the environment (one module, no per-host files)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("TRACELOT_DATA_DIR", "var")).resolve()


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("TRACELOT_DEBUG", False)
# The public default a server refuses to start with unless TRACELOT_DEBUG is on (config.wsgi).
PUBLIC_SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105 - published, refused


def _secret_key() -> str:
    """TRACELOT_SECRET_KEY, else the data directory's own key, made once (mode 600), so a
    plant that sets nothing still signs its sessions with a key no one else has."""
    if os.environ.get("TRACELOT_SECRET_KEY"):
        return os.environ["TRACELOT_SECRET_KEY"]
    path = DATA_DIR / "secret-key"
    if not path.exists():
        import secrets

        DATA_DIR.mkdir(parents=True, exist_ok=True)
        aside = path.with_name(f".secret-key.{os.getpid()}")
        aside.write_text(secrets.token_urlsafe(50))
        aside.chmod(0o600)
        try:
            os.link(aside, path)  # whole or not at all, and never over another's key
        except FileExistsError:
            pass
        finally:
            aside.unlink()
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = os.environ.get("TRACELOT_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

# Production behind an HTTPS proxy (README, "Running in production"): TRACELOT_HTTPS=1 turns
# on secure cookies, HSTS and the redirect to HTTPS; the proxy says the scheme it received.
HTTPS = _env_bool("TRACELOT_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = _env_bool("TRACELOT_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("TRACELOT_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("TRACELOT_HSTS_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = _env_bool("TRACELOT_HSTS_PRELOAD", HTTPS)
if _env_bool("TRACELOT_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("TRACELOT_CSRF_ORIGINS", "").split(",") if o]
# A session lasts a shift; a station's shared screen signs out after it stands idle.
SESSION_COOKIE_AGE = int(float(os.environ.get("TRACELOT_SESSION_HOURS", "8")) * 3600)
TRACELOT_IDLE_MINUTES = int(os.environ.get("TRACELOT_IDLE_MINUTES", "0"))
TRACELOT_STATION_IDLE_MINUTES = int(os.environ.get("TRACELOT_STATION_IDLE_MINUTES", "30"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "csp",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_q",
    "tracelot.core",
    "tracelot.audit",
    "tracelot.plants",
    "tracelot.items",
    "tracelot.partners",
    "tracelot.orders",
    "tracelot.gs1",
    "tracelot.lots",
    "tracelot.ledger",
    "tracelot.edges",
    "tracelot.trace",
    "tracelot.lotpages",
    "tracelot.accounts",
    "tracelot.quality",
    "tracelot.capture",
    "tracelot.labels",
    "tracelot.reports",
    "tracelot.warehouse",
    "tracelot.incidents",
    "tracelot.alerts",
    "tracelot.demo",
    "tracelot.bench",
    "axes",
]

# Sign-in throttling on every sign-in page (ours and the admin's): after this many wrong
# passwords for one user from one address, signing in is refused until the cool-off ends.
AUTHENTICATION_BACKENDS = [
    "tracelot.accounts.backends.SignInThrottle",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("TRACELOT_SIGN_IN_ATTEMPTS", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("TRACELOT_SIGN_IN_LOCK_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tracelot.accounts.views.signing_in_locked"
AXES_VERBOSE = False

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tracelot.core.middleware.NulInPathMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tracelot.core.middleware.SignedInUserMiddleware",
    "tracelot.accounts.middleware.IdleSignOutMiddleware",
    "tracelot.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# No inline script anywhere (a stored name like "</script><script>…" cannot run): scripts
# come from our own static files only. Styles may be inline (htmx adds its indicator style);
# the station's camera needs its media stream.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:", "mediastream:"],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "tracelot.config.urls"
WSGI_APPLICATION = "tracelot.config.wsgi.application"

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
                "tracelot.accounts.navigation.navigation",
                "tracelot.alerts.context.alerts_bell",
            ],
        },
    },
]


def _sqlite_database(path: Path) -> dict[str, object]:
    # WAL lets readers run beside the one writer; synchronous=FULL makes a committed
    # (acknowledged) event survive a power loss, not only a process crash.
    # IMMEDIATE transactions take the write lock up front, so two writers queue on the
    # busy timeout instead of failing with "database is locked" on lock upgrade.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;"
                "PRAGMA foreign_keys=ON;PRAGMA busy_timeout=30000;"
                "PRAGMA cache_size=-200000;PRAGMA temp_store=MEMORY;"
                # Checkpoint the WAL every ~40 MB, not 4 MB: index pages that every batch
                # touches are then written back once, not after each batch (measured).
                "PRAGMA wal_autocheckpoint=10000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        },
        "TEST": {"NAME": str(path.with_name("test-" + path.name))},
    }


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        # An embedded database at a path of the user's: the same settings as the default one.
        sqlite_path = Path(DATABASES["default"]["NAME"])
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        DATABASES = {"default": _sqlite_database(sqlite_path)}  # type: ignore[dict-item]
    if os.environ.get("TRACELOT_TEST_DATABASE_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": os.environ["TRACELOT_TEST_DATABASE_NAME"]}
else:
    # The embedded database needs no set-up: its folder is made on first use.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": _sqlite_database(DATA_DIR / "tracelot.sqlite3")}  # type: ignore[dict-item]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = os.environ.get("TRACELOT_LANGUAGE", "en")
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Unambiguous English dates (2026-12-05 14:05); Chinese keeps Django's own (2026年12月5日).
FORMAT_MODULE_PATH = ["tracelot.formats"]
TIME_ZONE = os.environ.get("TRACELOT_TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Uploaded files (an incident's photos): served only through views that check permissions.
MEDIA_ROOT = DATA_DIR / "media"
# The app serves its own static files (WhiteNoise): a plant PC has no separate web server.
# Without a collectstatic run they are found in the apps, as the development server does.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing

# Labels: the font PDFs embed for Chinese text (a .ttf, .otf or .ttc file; empty: the
# Noto Sans CJK of Debian's fonts-noto-cjk), the GS1 Digital Link resolver the label's QR
# code points at, and the printer font ZPL labels use for Chinese (a font stored on the
# printer's E: drive; Zebra's Andale Mono Simplified Chinese, E:ANMDS.TTF, by default).
# Electronic signatures: this many wrong passwords within the minutes lock signing for them.
TRACELOT_SIGNATURE_LOCKOUT_ATTEMPTS = int(
    os.environ.get("TRACELOT_SIGNATURE_LOCKOUT_ATTEMPTS", "5")
)
TRACELOT_SIGNATURE_LOCKOUT_MINUTES = int(os.environ.get("TRACELOT_SIGNATURE_LOCKOUT_MINUTES", "15"))
TRACELOT_LABEL_FONT = os.environ.get("TRACELOT_LABEL_FONT", "")
TRACELOT_DIGITAL_LINK_BASE = os.environ.get("TRACELOT_DIGITAL_LINK_BASE", "https://id.gs1.org")
TRACELOT_ZPL_CJK_FONT = os.environ.get("TRACELOT_ZPL_CJK_FONT", "E:ANMDS.TTF")

# The ledger's seal: the chain keys (core.chainkeys) and where checkpoints of each site's chain
# head go (ledger.checkpoints): directories, mailto: addresses and https:// webhooks, comma-
# separated, every TRACELOT_CHECKPOINT_MINUTES by the worker (0: never) and on demand.
TRACELOT_CHAIN_KEYS = os.environ.get("TRACELOT_CHAIN_KEYS", "")
TRACELOT_CHAIN_KEY_FILE = os.environ.get("TRACELOT_CHAIN_KEY_FILE", str(DATA_DIR / "chain-keys"))
TRACELOT_CHECKPOINT_TO = os.environ.get("TRACELOT_CHECKPOINT_TO", str(DATA_DIR / "checkpoints"))
TRACELOT_CHECKPOINT_MINUTES = int(os.environ.get("TRACELOT_CHECKPOINT_MINUTES", "60"))
# The daily integrity check's time of day in the plant's time zone (TIME_ZONE), first set up;
# after that the schedule is changed in the admin (Background jobs → Scheduled jobs).
TRACELOT_DAILY_CHECK_AT = os.environ.get("TRACELOT_DAILY_CHECK_AT", "06:00")

# The background worker (`tracelot worker`, django-q2 on this database: no other service).
# A job still unconfirmed TRACELOT_JOB_RETRY_SECONDS after it was claimed (its worker was
# killed) is handed out again: handlers are safe to run twice. A job that fails is tried
# again after the same time, at most TRACELOT_JOB_ATTEMPTS times, then listed in the admin's
# failed jobs with its error. The longest job (the whole-chain verification of a large plant)
# must end within TRACELOT_JOB_TIMEOUT_SECONDS.
TRACELOT_JOB_TIMEOUT_SECONDS = int(os.environ.get("TRACELOT_JOB_TIMEOUT_SECONDS", "1800"))
Q_CLUSTER = {
    "name": "tracelot",
    "orm": "default",
    "broker_class": "tracelot.core.broker.Jobs",  # SKIP LOCKED on PostgreSQL
    "workers": int(os.environ.get("TRACELOT_WORKERS", "1")),
    "timeout": TRACELOT_JOB_TIMEOUT_SECONDS,
    "retry": int(
        os.environ.get("TRACELOT_JOB_RETRY_SECONDS", str(TRACELOT_JOB_TIMEOUT_SECONDS + 60))
    ),
    "max_attempts": int(os.environ.get("TRACELOT_JOB_ATTEMPTS", "5")),  # back-off: core.jobs
    "ack_failures": False,  # a failed job is handed out again, up to max_attempts
    "catch_up": False,  # a worker down overnight runs the daily check once, not each missed day
    "poll": float(os.environ.get("TRACELOT_JOB_POLL_SECONDS", "0.5")),
    "save_limit": 1000,  # successful jobs kept for the admin; failures are all kept
    "label": _("Background jobs"),
    "log_level": os.environ.get("TRACELOT_WORKER_LOG_LEVEL", "WARNING"),
}

# A failed job is tried again after this long, then twice as long each time (an hour at most).
TRACELOT_JOB_BACKOFF_SECONDS = float(os.environ.get("TRACELOT_JOB_BACKOFF_SECONDS", "60"))

# A failed alert delivery is tried again after this long, then twice as long each time.
TRACELOT_ALERT_RETRY_SECONDS = float(os.environ.get("TRACELOT_ALERT_RETRY_SECONDS", "30"))

# Where people open Tracelot: the links in alerts' e-mails and robot messages.
TRACELOT_BASE_URL = os.environ.get("TRACELOT_BASE_URL", "http://127.0.0.1:8000")

# E-mail (password resets): printed on the console until a mail server is configured.
EMAIL_HOST = os.environ.get("TRACELOT_EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "TRACELOT_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("TRACELOT_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("TRACELOT_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TRACELOT_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("TRACELOT_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("TRACELOT_EMAIL_FROM", "Tracelot <tracelot@localhost>")

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "accounts:login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden": {"()": "tracelot.core.logs.ForbiddenWithoutTraceback"}},
    "loggers": {"django.request": {"filters": ["forbidden"]}},
}
