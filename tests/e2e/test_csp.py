"""Content-Security-Policy in a real Chromium: no violation on public pages
or on the admin article editor (CKEditor and prose-editor), and CKEditor's
own upload code reaching our endpoint through the policy."""

import base64
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from articles.models import Article
from tests.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)

# Collects violations in every frame (CKEditor edits inside an iframe).
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const top = window.top || window;
  (top.__cspViolations || window.__cspViolations).push(
    e.violatedDirective + " " + (e.blockedURI || "inline") + " " +
    (e.sourceFile || "") + ":" + e.lineNumber
  );
});
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


@pytest.fixture
def watched(page):
    page.add_init_script(LISTEN)
    console = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and console.append(m.text),
    )
    page.console_csp = console
    page.requested_hosts = set()
    page.on(
        "request",
        lambda r: (
            r.url.startswith("http")
            and page.requested_hosts.add(urlsplit(r.url).netloc)
        ),
    )
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    return page


def test_public_pages_have_no_csp_violation(demo_site, watched, screenshot):
    article = Article.objects.filter(photos__isnull=False).first()
    official = article.attendances.exclude(official=None).first().official
    paths = [
        "/",
        "/tin-tuc/",
        article.get_absolute_url(),
        article.category.get_absolute_url(),
        "/hoi-nghi/",
        "/can-bo/",
        official.get_absolute_url(),
        "/tim-kiem/?q=dang+bo",
        "/gioi-thieu/",
        "/luu-tru/",
        "/khong-co-trang-nay/",
    ]
    for path in paths:
        response = watched.goto(demo_site.url + path)
        assert "script-src 'self';" in response.headers["content-security-policy"]
        watched.wait_for_load_state("networkidle")
        assert violations(watched) == [], path
    assert watched.console_csp == []
    watched.goto(demo_site.url + article.get_absolute_url())
    screenshot("csp-public-article")


def open_editor(page, live_server, admin_login, article):
    page.set_viewport_size({"width": 1280, "height": 900})
    admin_login()
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = page.goto(live_server.url + url)
    assert "unsafe-inline" in response.headers["content-security-policy"]
    return response


def test_ckeditor_page_has_no_csp_violation_and_uploads(
    demo_site, watched, admin_login, screenshot, settings
):
    settings.RICHTEXT_WIDGET = "articles.editors.CKEditorWidget"
    article = Article.objects.filter(photos__isnull=False).first()
    open_editor(watched, demo_site, admin_login, article)
    # Polled from here: wait_for_function's string predicate needs eval,
    # which the admin policy (rightly) refuses.
    ready = "() => !!(window.CKEDITOR && CKEDITOR.instances.id_body"
    ready += " && CKEDITOR.instances.id_body.status === 'ready')"
    for _ in range(150):
        if watched.evaluate(ready):
            break
        watched.wait_for_timeout(100)
    else:
        screenshot("csp-admin-ckeditor-failed")
        pytest.fail(f"CKEditor did not start: {violations(watched)} {watched.errors}")
    watched.wait_for_load_state("networkidle")
    # The toolbar is the small one: no source mode, no iframe/flash/forms.
    for absent in ("source", "iframe", "flash", "form", "templates"):
        assert watched.locator(f"a.cke_button__{absent}").count() == 0, absent
    assert watched.locator("a.cke_button__image").count() == 1

    # CKEditor's own upload code, as used by drop, paste and the image dialog.
    photo = base64.b64encode(jpeg_bytes(width=640, height=480)).decode()
    result = watched.evaluate(
        """async (photo) => {
          const editor = CKEDITOR.instances.id_body;
          const bytes = Uint8Array.from(atob(photo), (c) => c.charCodeAt(0));
          const file = new File([bytes], "anh-hoi-nghi.jpg", {type: "image/jpeg"});
          const loader = editor.uploadRepository.create(file);
          return await new Promise((resolve) => {
            loader.on("uploaded", () => resolve({status: "ok", url: loader.url}));
            loader.on("error", () => resolve({status: "error", text: loader.message}));
            loader.loadAndUpload(editor.config.uploadUrl);
          });
        }""",
        photo,
    )
    assert result["status"] == "ok", result
    assert result["url"].startswith("/media/editor/")
    assert result["url"].endswith(".webp")
    image = watched.request.get(demo_site.url + result["url"])
    # (The live server answers /media/ itself; our media headers are
    # tested in tests/test_security.py.)
    assert image.headers["content-type"] == "image/webp"

    assert violations(watched) == []
    assert watched.console_csp == []
    assert watched.requested_hosts == {urlsplit(demo_site.url).netloc}
    watched.locator("#cke_id_body").scroll_into_view_if_needed()
    screenshot("csp-admin-ckeditor", full_page=False)


def test_prose_editor_page_has_no_csp_violation(
    demo_site, watched, admin_login, screenshot, settings
):
    settings.RICHTEXT_WIDGET = "articles.editors.ProseEditorWidget"
    article = Article.objects.filter(photos__isnull=False).first()
    open_editor(watched, demo_site, admin_login, article)
    editor = watched.locator(".prose-editor .ProseMirror:visible").first
    editor.wait_for()
    watched.wait_for_load_state("networkidle")
    editor.click()
    watched.keyboard.press("End")
    watched.keyboard.type(" Thêm một câu.")
    assert "Thêm một câu." in editor.inner_text()
    assert violations(watched) == []
    assert watched.console_csp == []
    # Its modules, styles and icon font come from our own static files.
    assert watched.requested_hosts == {urlsplit(demo_site.url).netloc}
    screenshot("csp-admin-prose-editor", full_page=False)
