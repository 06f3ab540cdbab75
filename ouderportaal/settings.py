"""The one settings module. Everything that differs between installations comes from the environment."""

import logging
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from ouderportaal.config import cache_from_url, env, env_bool, env_list, mailer_from_url, webauthn_relying_party

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG")
INSECURE_DEFAULT_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env("SECRET_KEY", INSECURE_DEFAULT_KEY)
if not DEBUG and SECRET_KEY == INSECURE_DEFAULT_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY: with DEBUG off the default development key is refused.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    "ouderportaal.core",
    "ouderportaal.accounts",
    "ouderportaal.school",
    "ouderportaal.schoolcalendar",
    "ouderportaal.absences",
    "ouderportaal.results",
    "ouderportaal.imports",
    "ouderportaal.onboarding",
    "ouderportaal.letters",
    "ouderportaal.changes",
    "ouderportaal.backoffice",
    "ouderportaal.demo",
    "ouderportaal.twofactor",
    "ouderportaal.twofactor.apps.OperatorAdminConfig",  # django.contrib.admin behind the second step
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ouderportaal.core.apps.TasksConfig",  # django_tasks_db under a Dutch name
    "ouderportaal.accounts.apps.AxesConfig",  # axes under a Dutch name
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # only for the migration that hashed its codes (twofactor.RecoveryCode)
    "django_otp_webauthn",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "ouderportaal.core.middleware.permissions_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ouderportaal.core.middleware.plain_user",
    "ouderportaal.twofactor.middleware.second_step_required",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ouderportaal.accounts.sessions.idle_timeout",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ouderportaal.urls"
WSGI_APPLICATION = "ouderportaal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ouderportaal.school.context_processors.guardian_link",
                "ouderportaal.backoffice.context_processors.staff_link",
                "ouderportaal.backoffice.context_processors.pending_changes",
            ],
        },
    },
    {
        # The parent pages and the site layout (ouderportaal/jinja.py says why).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "ouderportaal.jinja.environment",
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ouderportaal.school.context_processors.guardian_link",
                "ouderportaal.backoffice.context_processors.staff_link",
                "ouderportaal.backoffice.context_processors.pending_changes",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker write while the web process reads. synchronous=NORMAL is SQLite's advice for WAL: a
    # commit survives a killed process (not a power cut) without an fsync each; the mail worker commits per mail.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Prepared statements: psycopg prepares a query after it has run twice on a connection (−14 % page time).
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": 2,
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One node: a local-memory cache. Several nodes: CACHE_URL=redis://… so that every node sees the same sessions.
CACHE_URL = env("CACHE_URL", "locmem://")
CACHES = {"default": cache_from_url(CACHE_URL)}
# Sessions stay in the database (revocable, survive a cache restart); with a shared cache they are read from it.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHE_URL.startswith(("redis://", "rediss://"))
    else "django.contrib.sessions.backends.db"
)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ouderportaal.accounts.backends.UsernameOrEmailBackend",
]
PASSWORD_HASHERS = [
    # Argon2id with OWASP's parameters (accounts/hashers.py); hashes made with Django's heavier default parameters
    # still verify (same algorithm name) and are re-hashed at the next login.
    "ouderportaal.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's own "too short" message has no Dutch translation; this one says the same in words Django translates.
    {"NAME": "ouderportaal.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 48

# django-axes: lock a username+IP pair after repeated failures, for an hour.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_CALLABLE = "ouderportaal.accounts.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "ouderportaal.core.clientip.client_ip"
# Reverse proxies in front of the portal (0: none): client addresses are then read from X-Forwarded-For.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
AXES_VERBOSE = False
# One row per failure: the per-account limit (accounts/lockout.py) counts them over all addresses.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Never stored with a failed attempt.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "password",
    "old_password",
    "new_password1",
    "new_password2",
    "otp_token",
    "csrfmiddlewaretoken",
]

# Two-factor authentication (django-otp) for staff and operators: ouderportaal/twofactor/.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Ouderportaal")
# Passkeys (django-otp-webauthn) as a second step beside the app; never a login without the password.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_NAME = env("WEBAUTHN_RP_NAME", "Ouderportaal")
# A passkey belongs to a host name (the RP ID), never to an IP address: SITE_URL's host, or "localhost" when
# SITE_URL names an address (the demo at http://127.0.0.1:8000 — open http://localhost:8000 to use passkeys there).
OTP_WEBAUTHN_RP_ID, OTP_WEBAUTHN_ALLOWED_ORIGINS = webauthn_relying_party(
    SITE_URL, env("WEBAUTHN_RP_ID", ""), env_list("WEBAUTHN_ORIGINS", "")
)
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = "ouderportaal.twofactor.passkeys"

# Unused sessions end sooner for staff than for parents (accounts/sessions.py); SESSION_COOKIE_AGE caps them all.
STAFF_IDLE_TIMEOUT = int(env("STAFF_IDLE_TIMEOUT", str(30 * 60)))
PARENT_IDLE_TIMEOUT = int(env("PARENT_IDLE_TIMEOUT", str(2 * 60 * 60)))
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_HTTPONLY = True
# No script reads a cookie (forms carry the CSRF token, fetches are GETs): all three are HttpOnly.
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Nothing is allowed unless named: the portal's own scripts, styles, images (the two-factor QR code is a data: URI)
# and fetches (the morning list's refresh); no inline script or style, no frames, no plugins, no fonts.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if SITE_URL.startswith("https://"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["ouderportaal.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Imports: an uploaded file waits here (outside any web root) between preview and apply.
IMPORT_DIR = Path(env("IMPORT_DIR", str(BASE_DIR / "var" / "imports")))
# One school's export is a few MB (a board's 400,000 results are 30 files of ~1.5 MB); every row is checked in
# memory before anything is written, so the limit also bounds memory.
IMPORT_MAX_BYTES = int(env("IMPORT_MAX_MB", "20")) * 2**20
# Larger uploads are checked and applied by the task worker; the page shows the progress.
IMPORT_BACKGROUND_BYTES = int(env("IMPORT_BACKGROUND_KB", "512")) * 2**10
# A checked file that is not applied within this many hours is removed (on each upload, and `manage.py clean_imports`).
IMPORT_KEEP_HOURS = int(env("IMPORT_KEEP_HOURS", "24"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("MANIFEST_STATIC", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or not env_bool("MANIFEST_STATIC", True)
# Files browsers and crawlers ask for at the site's root (/favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

MAILERS = {"default": mailer_from_url(env("EMAIL_URL", "console://" if DEBUG else "smtp://localhost:25"))}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Ouderportaal <noreply@ouderportaal.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A worker's claim on an outbox row expires after this many seconds: a worker killed mid-send leaves its rows to
# be picked up again (each keeps its Message-ID, so a receiving server can spot the rare double).
MAIL_CLAIM_TIMEOUT = int(env("MAIL_CLAIM_TIMEOUT", "600"))
# Mails sent over one SMTP connection by one task.
MAIL_BATCH_SIZE = int(env("MAIL_BATCH_SIZE", "100"))

# Uploaded files (letter attachments) go through Django's storage API; STORAGES["default"] may name any backend.
MEDIA_ROOT = env("MEDIA_ROOT", str(BASE_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: attachments go through a view that checks who asks
# Letters: which StaffRole roles may write and send them, attachment limits, and when an unread letter counts as
# "not reached" on the delivery page.
LETTER_SENDER_ROLES = env_list("LETTER_SENDER_ROLES", "directeur,administratie")
LETTER_MAX_ATTACHMENTS = int(env("LETTER_MAX_ATTACHMENTS", "5"))
LETTER_MAX_ATTACHMENT_BYTES = int(env("LETTER_MAX_ATTACHMENT_MB", "10")) * 1024 * 1024
LETTER_UNREAD_DAYS = int(env("LETTER_UNREAD_DAYS", "7"))

# Mail and imports run in the database-backed task worker (`manage.py db_worker`); no broker needed.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "ouderportaal": {"handlers": ["stderr"], "level": env("LOG_LEVEL", "INFO"), "propagate": False},
    },
}
logging.captureWarnings(True)

# Colours of the national level bands, best to worst (no official source: schools choose; the letter is
# always shown beside the colour).
RESULT_LEVEL_COLOURS = {
    "A": "#1b7a34",
    "B": "#7cc36a",
    "C": "#f2d43d",
    "D": "#f0913a",
    "E": "#d6332b",
    "I": "#1b7a34",
    "II": "#7cc36a",
    "III": "#f2d43d",
    "IV": "#f0913a",
    "V": "#d6332b",
}
