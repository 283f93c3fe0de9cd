"""Settings for wardnews, configured by environment variables.

Local defaults (SQLite file, local media, local-memory cache, or files under
var/cache with DEBUG off) need nothing set.
With DJANGO_DEBUG=0 the secret key and host list must be given explicitly.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy

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
    "django_prose_editor",
    "wardnews.apps.LoginThrottleConfig",  # django-axes
    "reversion",
    "articles",
]

MIDDLEWARE = [
    # First: a page-cache hit runs nothing else, and a stored page keeps the
    # headers the middleware below gave it.
    "articles.cachedpages.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "wardnews.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
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
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Public pages run short queries side by side; a parallel plan takes
    # extra processes for one of them and, measured on the search of
    # 100,000 articles on two cores, is slower (40-45 ms against 15 ms).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c max_parallel_workers_per_gather=0"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the page cache's generation, which every app process must
# share (articles/pagecache.py): Redis when REDIS_URL is set (several
# machines), otherwise files under WARDNEWS_VAR_DIR/cache (the processes of
# one machine). Local memory only with DEBUG on (runserver, one process).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "wardnews.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("WARDNEWS_CACHE_PREFIX", "wardnews"),
        }
    }
elif DEBUG:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "wardnews",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "wardnews.cache.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
            # Never culled: the page cache's generation (articles/pagecache.py).
            "OPTIONS": {"MAX_ENTRIES": 5000, "KEEP": ["pagecache:generation"]},
        }
    }
# Anonymous public pages are cached this long at most (0 turns it off); see
# articles/pagecache.py. Shared proxies/CDNs may keep a page for
# WARDNEWS_PROXY_CACHE_SECONDS (s-maxage): they cannot be told of an edit.
WARDNEWS_PAGE_CACHE_SECONDS = int(os.environ.get("WARDNEWS_PAGE_CACHE_SECONDS", "600"))
WARDNEWS_PROXY_CACHE_SECONDS = int(os.environ.get("WARDNEWS_PROXY_CACHE_SECONDS", "60"))
WARDNEWS_STALE_WHILE_REVALIDATE = 30
# The lookups of article and list pages run as PostgreSQL prepared
# statements (see articles/prepared.py); off behind PgBouncer in
# transaction mode.
WARDNEWS_PREPARED_STATEMENTS = env_bool("WARDNEWS_PREPARED_STATEMENTS", True)
# Benchmark-only bare page (bench/README.md); never on in production.
WARDNEWS_BENCH = env_bool("WARDNEWS_BENCH", False)
WARDNEWS_PAGE_CACHE_EXCLUDE = ["/_bench/"]

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
# Files taken off the site wait here, never served, for WARDNEWS_TRASH_DAYS
# before ``purge_trash`` deletes them (articles/files.py). Unset: a ``trash``
# folder beside MEDIA_ROOT.
WARDNEWS_TRASH_ROOT = os.environ.get("WARDNEWS_TRASH_ROOT") or None
WARDNEWS_TRASH_DAYS = int(os.environ.get("WARDNEWS_TRASH_DAYS", "30"))
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
SECURE_REFERRER_POLICY = os.environ.get(
    "DJANGO_SECURE_REFERRER_POLICY", "strict-origin-when-cross-origin"
)
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# HTTPS. Strict by default in production; docs/security.md explains each knob.
# Behind a proxy that terminates TLS, set DJANGO_SECURE_PROXY_SSL_HEADER=1 only
# if the proxy always sets X-Forwarded-Proto itself (else clients could fake it).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG
)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# /healthz is probed over plain HTTP from inside the host.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (wardnews/security.py): public pages load only our
# own files; the admin additionally allows what the rich-text editor needs.
WARDNEWS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
WARDNEWS_CSP_ADMIN = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; "
    "frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'"
)

# Admin login throttling (django-axes): N failures for one user name from one
# address lock that pair out for a while. Attempts are kept in the database.
AUTHENTICATION_BACKENDS = [
    "wardnews.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("WARDNEWS_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("WARDNEWS_LOGIN_LOCKOUT_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "wardnews.security.lockout_response"
# Failures and lockouts are logged as warnings by the "axes" logger.
AXES_VERBOSE = True
# Behind a proxy, throttling must count the address the proxy passes on.
AXES_CLIENT_IP_CALLABLE = "wardnews.security.client_address"
WARDNEWS_PROXY_COUNT = int(
    os.environ.get(
        "WARDNEWS_PROXY_COUNT",
        "1" if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False) else "0",
    )
)

# The rich-text editor is swappable; migrations never import it.
# "ckeditor" (django-ckeditor, CKEditor 4) is what the ward asked for; "prose"
# (django-prose-editor) is its maintained successor. See docs/decisions/0001.
RICHTEXT_EDITOR = os.environ.get("WARDNEWS_RICHTEXT_EDITOR", "ckeditor")
RICHTEXT_WIDGETS = {
    "ckeditor": "articles.editors.CKEditorWidget",
    "prose": "articles.editors.ProseEditorWidget",
}
if RICHTEXT_EDITOR not in RICHTEXT_WIDGETS:
    raise ImproperlyConfigured(
        "WARDNEWS_RICHTEXT_EDITOR must be one of: " + ", ".join(RICHTEXT_WIDGETS)
    )
RICHTEXT_WIDGET = RICHTEXT_WIDGETS[RICHTEXT_EDITOR]
CKEDITOR_CONFIGS = {
    "default": {
        "toolbar": "Custom",
        "toolbar_Custom": [
            ["Format", "Bold", "Italic", "Underline"],
            ["NumberedList", "BulletedList", "Blockquote"],
            ["Link", "Unlink", "Image", "Table"],
            ["RemoveFormat", "Undo", "Redo"],
        ],
        "format_tags": "p;h2;h3;h4",
        "removePlugins": (
            "sourcearea,sourcedialog,iframe,iframedialog,flash,forms,exportpdf,"
            "templates,smiley,div,preview,print,save,newpage,language,scayt,wsc"
        ),
        "extraPlugins": "uploadimage",
        # The editor's own content filter, narrowed to what clean_html keeps.
        "allowedContent": (
            "p h2 h3 h4 strong em u s sub sup ul li blockquote br hr figure "
            "figcaption caption thead tbody tfoot tr table; ol[start]; "
            "a[!href,title]; img[!src,alt,width,height]; th[colspan,rowspan,scope]; "
            "td[colspan,rowspan]"
        ),
        "disallowedContent": "*[on*]; *{*}",
        # Uploads go to our own endpoint (articles/uploads.py) and get JSON
        # back, in the drop/paste path and in the image dialog alike.
        "uploadUrl": reverse_lazy("editor-image-upload"),
        "filebrowserImageUploadUrl": reverse_lazy("editor-image-upload"),
        "filebrowserUploadMethod": "xhr",
        "image_prefillDimensions": False,
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
