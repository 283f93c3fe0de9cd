"""The release: what shapes HTML besides the database rows.

Stored article pages (``articles.rendered``) and everything the page cache
keeps (``articles.pagecache``) are made by one release's code, templates and
static files; a release that changes any of them must not serve what an
older one made.
"""

import functools
import hashlib
from pathlib import Path

import django
from django.conf import settings

APP_DIR = Path(__file__).resolve().parent


@functools.cache
def version() -> str:
    """A digest of everything that shapes the HTML besides the rows: the
    code, the templates, the translations, the static files manifest and
    the settings that appear in addresses and dates."""
    digest = hashlib.sha1(django.get_version().encode())
    sources = [
        APP_DIR,
        *(Path(d) for t in settings.TEMPLATES for d in t["DIRS"]),
        *(Path(d) for d in settings.LOCALE_PATHS),
    ]
    for source in sources:
        for path in sorted(source.rglob("*")):
            if (
                path.suffix in (".py", ".html", ".mo")
                and "migrations" not in path.parts
            ):
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    shaping = ("STATIC_URL", "MEDIA_URL", "TIME_ZONE", "LANGUAGE_CODE")
    digest.update(repr([getattr(settings, name) for name in shaping]).encode())
    return digest.hexdigest()
