from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from articles.sitemaps import sitemaps
from articles.uploads import editor_image_upload
from articles.views import favicon, healthz, robots_txt
from wardnews.security import serve_media

urlpatterns = [
    path(
        "admin/editor-upload/",
        admin.site.admin_view(editor_image_upload),
        name="editor-image-upload",
    ),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("favicon.ico", favicon, name="favicon"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps},
        name="sitemap-section",
    ),
    path("", include("articles.urls")),
]

handler404 = "articles.views.page_not_found"

if settings.WARDNEWS_SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        path(
            f"{media_prefix}<path:path>",
            serve_media,
        )
    ]

if settings.WARDNEWS_BENCH:
    from wardnews.bench import bare_page

    urlpatterns += [path("_bench/bare/", bare_page, name="bench-bare")]
