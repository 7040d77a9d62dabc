"""Settings for kaowu. Every value that differs between machines comes from the environment."""

from pathlib import Path

import dj_database_url

from kaowu.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# Secure by default: DEBUG is off unless asked for, and then no secret has a public fallback — a debugging
# process gets random keys of its own (sessions and ticket tokens die with it). `make run` writes real keys
# into var/demo.env once (scripts/demo-env.sh).
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY", debug=DEBUG)
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
# Admission-ticket QR tokens are signed with their own key, rotatable without logging everyone out:
# the old key goes to TICKET_SIGNING_KEY_FALLBACKS until the tickets signed with it are past.
TICKET_SIGNING_KEY = env_secret("TICKET_SIGNING_KEY", debug=DEBUG)
TICKET_SIGNING_KEY_FALLBACKS = env_list("TICKET_SIGNING_KEY_FALLBACKS", [])
# The audit chain's HMAC key (kernel.audit): never stored in the database, so a rewritten chain cannot be
# re-sealed by whoever can write the database.
AUDIT_HMAC_KEY = env_secret("AUDIT_HMAC_KEY", debug=DEBUG)
# Where `manage.py audit_checkpoint` writes the chain's MAC'd head; production: a directory copied off the
# machine daily (the centre keeps the copies), so a cut tail is caught even if this machine is rewritten.
AUDIT_CHECKPOINT_DIR = Path(env_str("AUDIT_CHECKPOINT_DIR", str(BASE_DIR / "var" / "audit-checkpoints")))
# How each printout shows document numbers: "masked" (first 3 and last 4, as on screens) or "full" (each
# download audited). The door sheet is masked by default: candidates sign it one after another, and the ID check
# compares the document's last four, the name and the photo (docs/decisions.md, "The door sheet's ID numbers").
PRINTOUT_ID_NUMBERS = {"door_sheet": "masked"} | dict(
    item.split("=", 1) for item in env_list("KAOWU_PRINTOUT_ID_NUMBERS", []) if "=" in item
)
# Audit events are written without a lock and sealed into their chain after commit; each process seals a chain at
# most this often (docs/decisions.md, issue 10). `manage.py audit_seal --every 1` seals what a quiet process left.
AUDIT_SEAL_EVERY_MS = env_int("AUDIT_SEAL_EVERY_MS", 500)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

# HTTPS: on by default (production); `make run` and the tests set HTTPS=false for plain http on 127.0.0.1.
HTTPS = env_bool("HTTPS", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (kernel.actors.client_ip). Empty:
# the client's address is REMOTE_ADDR, whatever headers it sends.
TRUSTED_PROXIES = frozenset(env_list("TRUSTED_PROXIES", []))
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the API docs' Swagger UI from the installed package (no CDN: exam sites run offline)
    # Lowest layer first; an app imports only the apps above it in this list (tests/test_layers.py).
    "kaowu.kernel",
    "kaowu.policy",
    "kaowu.catalog",
    "kaowu.parties",
    "kaowu.plans",
    "kaowu.registration",
    "kaowu.arrangement",
    "kaowu.items",
    "kaowu.exams",
    "kaowu.cbt",
    "kaowu.results",
    "kaowu.certificates",
    "kaowu.oversight",
    "kaowu.home",
    "kaowu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files without DEBUG (closed exam-site networks)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "kaowu.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kaowu.kernel.context.actor_context",
            ],
        },
    },
]

WSGI_APPLICATION = "kaowu.wsgi.application"

# SQLite by default (WAL, IMMEDIATE transactions, busy timeout); PostgreSQL via DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'kaowu.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Kept open between requests like PostgreSQL's: opening a SQLite connection and setting WAL on it cost ~4 ms
    # of every request (measured on the ticket view, bench/tickets.py). CONN_MAX_AGE=0 closes each after use.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

AUTH_USER_MODEL = "parties.User"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "display_name", "email", "phone")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded photos and figures; a production server points this at its own storage volume.
# The address printed in certificates' QR codes (public verification, CERT-3).
KAOWU_PUBLIC_URL = env_str("KAOWU_PUBLIC_URL", "http://127.0.0.1:8000")
# Public certificate verifications per address per minute (CERT-3's brake on guessing names).
CERT_VERIFY_PER_MINUTE = env_int("CERT_VERIFY_PER_MINUTE", 600)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Server-side sessions, so logout and deactivation end a session at once (a signed cookie cannot be revoked).
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)  # one working day
AUTHENTICATION_BACKENDS = ["kaowu.parties.backends.UserWithParty"]  # the user with its party, one query

# Background jobs (kernel.jobs) on Celery. With a broker (production: Redis) a worker runs them (`make worker`);
# without one — the embedded default of `make run` — they run eagerly, in the request.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Shanghai"
# `make worker` runs the beat too: the 机考's automatic hand-in at each candidate's end (kaowu.cbt.tasks).
CELERY_BEAT_SCHEDULE = {"cbt-auto-hand-in": {"task": "kaowu.cbt.auto_hand_in", "schedule": 60.0}}

# Verification codes to phones and mailboxes (kernel.messaging): a file on the demo; production sets its SMS or
# mail adapter's class here.
KAOWU_MESSAGE_BACKEND = env_str("KAOWU_MESSAGE_BACKEND", "kaowu.kernel.messaging.FileBackend")
KAOWU_MESSAGE_FILE = env_str("KAOWU_MESSAGE_FILE", str(BASE_DIR / "var" / "messages.log"))

# The rule profile used when an organisation has none of its own.
KAOWU_DEFAULT_PROFILE = env_str("KAOWU_DEFAULT_PROFILE", "beijing-2022")
