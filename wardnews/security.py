"""Site-wide safety measures that belong to no single app.

- ``ContentSecurityPolicyMiddleware``: a strict policy on public pages, a
  relaxed one on the admin, where the rich-text editors need inline styles.
- ``LoginThrottleBackend``: django-axes throttling for logins over HTTP.
- ``serve_media``: Django's static ``serve`` for uploads, never as active content.
"""

import base64
import hashlib
import mimetypes
import re
from pathlib import PurePosixPath
from urllib.parse import quote

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.shortcuts import render
from django.views.static import serve

_IMPORTMAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.S)


def _importmap_hashes(content: bytes) -> str:
    """CSP source expressions for the import maps the admin page carries.

    django-prose-editor loads its modules through an inline import map. Only
    import maps (JSON, not executable script) are hashed, and only on admin
    pages, whose every user-supplied value Django escapes.
    """
    hashes = []
    for body in _IMPORTMAP.findall(content):
        digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return " ".join(hashes)


def _editor_script_sources(content: bytes) -> str:
    """What an admin page with a rich-text editor must add to script-src.

    CKEditor 4 wires its toolbar with inline ``onclick`` handlers and writes
    an inline script into its editing frame: pages that carry it need
    'unsafe-inline' (a hash would switch that off, so none is added). Other
    admin pages keep script-src 'self', plus the hash of any import map.
    """
    if b'data-type="ckeditortype"' in content:
        return "'unsafe-inline'"
    return _importmap_hashes(content)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" in response:
            return response
        admin_prefix = "/admin/"
        if request.path.startswith(admin_prefix):
            policy = settings.WARDNEWS_CSP_ADMIN
            content_type = response.get("Content-Type", "")
            if content_type.startswith("text/html") and not response.streaming:
                extra = _editor_script_sources(response.content)
                if extra:
                    policy = policy.replace(
                        "script-src 'self'", f"script-src 'self' {extra}", 1
                    )
        else:
            policy = settings.WARDNEWS_CSP
        response["Content-Security-Policy"] = policy
        return response


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes for logins that come with a request.

    ``authenticate()`` without a request happens only in code (management
    commands, the test client's ``login()``), never from a login form, so it
    is passed on to the next backend instead of being refused.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(
            request, username=username, password=password, **kwargs
        )


def lockout_response(request, original_response=None, credentials=None):
    """The page django-axes shows to a locked-out login, in Vietnamese."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(
        request,
        "registration/lockout.html",
        {
            "minutes": minutes,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "site_header": admin.site.site_header,
            "site_title": admin.site.site_title,
        },
        status=429,
    )


def client_address(request) -> str | None:
    """The client's address, as django-axes should count it.

    Behind ``WARDNEWS_PROXY_COUNT`` proxies, that is the entry of
    X-Forwarded-For the nearest proxy of ours appended (counted from the
    right); entries to its left come from the client and may be forged.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.WARDNEWS_PROXY_COUNT
    if not count:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    return forwarded[-count] if len(forwarded) >= count else remote


# Served inline: images and PDFs. Anything else is a download, so an uploaded
# .html or .svg can never run as a page of our own origin.
INLINE_MEDIA_TYPES = {
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/gif",
    "image/avif",
    "application/pdf",
}
MEDIA_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def serve_media(request, path):
    """``django.views.static.serve`` of MEDIA_ROOT, with uploads kept inert."""
    if "\x00" in path:
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    content_type, _ = mimetypes.guess_type(path)
    if content_type not in INLINE_MEDIA_TYPES:
        name = PurePosixPath(path).name
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{quote(name, safe='')}"
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CSP
    return response
