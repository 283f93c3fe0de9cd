"""Settings for wardnews, configured by environment variables.

Local defaults (SQLite file, local media, local-memory cache) need nothing set.
With DJANGO_DEBUG=0 the secret key and host list must be given explicitly.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("WARDNEWS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0.")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [] if not DEBUG else ["*"])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG=0.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "ckeditor",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "articles.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "wardnews.urls"
WSGI_APPLICATION = "wardnews.wsgi.application"

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
                "articles.context_processors.site",
            ],
        },
    },
]

if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis when several app processes must share one cache (and one page-cache
# generation); local memory for a single process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("WARDNEWS_CACHE_PREFIX", "wardnews"),
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "wardnews",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    )
}
# Anonymous public pages are cached this long at most (0 turns it off); see
# articles/pagecache.py. Shared proxies/CDNs may keep a page for
# WARDNEWS_PROXY_CACHE_SECONDS (s-maxage): they cannot be told of an edit.
WARDNEWS_PAGE_CACHE_SECONDS = int(os.environ.get("WARDNEWS_PAGE_CACHE_SECONDS", "600"))
WARDNEWS_PROXY_CACHE_SECONDS = int(os.environ.get("WARDNEWS_PROXY_CACHE_SECONDS", "60"))
WARDNEWS_STALE_WHILE_REVALIDATE = 30
# Benchmark-only bare page (bench/README.md); never on in production.
WARDNEWS_BENCH = env_bool("WARDNEWS_BENCH", False)

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's vi locale has no input formats: without ours, 05/07/2024 is 7 May.
FORMAT_MODULE_PATH = ["wardnews.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# The rich-text widget is swappable; migrations never import it.
RICHTEXT_WIDGET = os.environ.get(
    "WARDNEWS_RICHTEXT_WIDGET", "ckeditor.widgets.CKEditorWidget"
)
CKEDITOR_CONFIGS = {
    "default": {
        "toolbar": "Custom",
        "toolbar_Custom": [
            ["Format", "Bold", "Italic", "Underline"],
            ["NumberedList", "BulletedList", "Blockquote"],
            ["Link", "Unlink", "Table"],
            ["RemoveFormat", "Undo", "Redo"],
        ],
        "format_tags": "p;h2;h3;h4",
        "removePlugins": "sourcearea,iframe,flash,forms,exportpdf",
        "height": 320,
        "width": "100%",
        "language": "vi",
    }
}
# CKEditor 4.22.1 is the last open-source release; see
# docs/decisions/0001-rich-text-editor.md for why it is wrapped and when to review.
SILENCED_SYSTEM_CHECKS = ["ckeditor.W001"]

# Site identity shown in the header, footer and feeds.
WARDNEWS_SITE_NAME = os.environ.get("WARDNEWS_SITE_NAME", "Phường Cát Lái")
WARDNEWS_SITE_TAGLINE = os.environ.get(
    "WARDNEWS_SITE_TAGLINE", "Trang thông tin điện tử phường Cát Lái"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Serve uploaded media from Django itself (small installs without a proxy).
WARDNEWS_SERVE_MEDIA = env_bool("WARDNEWS_SERVE_MEDIA", DEBUG)
