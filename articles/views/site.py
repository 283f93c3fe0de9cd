"""What the site answers besides its pages: the 404 page, health checks,
robots.txt and favicon.ico."""

from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..http import NotFound


def page_not_found(request, exception):
    """The site's 404 page (``handler404``), with the reason when it was
    written for citizens (``http.NotFound``)."""
    reason = str(exception) if isinstance(exception, NotFound) else ""
    return render(request, "404.html", {"reason": reason}, status=404)


@never_cache
@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")


@require_GET
def favicon(request):
    """``/favicon.ico``, asked for by bots and by browsers on pages that name
    no icon: the ward's emblem, rather than a 404 page rendered each time.
    Not a permanent redirect: the emblem's address changes with its content."""
    response = HttpResponseRedirect(static("img/emblem.svg"))
    response["Cache-Control"] = "max-age=86400"
    return response
