"""Rich text: the swappable editor, the nh3 allowlist, and XSS payloads that
must never reach the public page, whichever path stored them."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from articles.models import Article
from articles.richtext import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, clean_html

pytestmark = pytest.mark.django_db

# In the styles of the OWASP XSS filter evasion cheat sheet.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;'
    'alert(1)">entity</a>',
    '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C'
    '&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29">hex entity</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href=" &#14;  javascript:alert(1)">leading junk</a>',
    '<a href="java\x00script:alert(1)">null byte</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">CLICK</math>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="'
    "></object>",
    '<embed src="https://evil.example/x.swf">',
    '<p style="background-image: url(javascript:alert(1))">css</p>',
    '<p style="width: expression(alert(1))">css</p>',
    "<style>@import 'https://evil.example/x.css';</style><p>x</p>",
    '<<SCRIPT>alert("XSS");//<</SCRIPT>',
    "<SCRIPT SRC=https://evil.example/xss.js?< B >",
    "<BODY ONLOAD=alert('XSS')>",
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    '<img src="/media/anh.jpg" onerror="alert(1)">',
    '<img src="//evil.example/x.jpg">',
    '<img src="https://evil.example/track.gif">',
    '<img src="/media/../admin/logout/">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '"><script>alert(1)</script>',
    "<details open ontoggle=alert(1)>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<a href="https://ok.example" target="_blank" onclick="alert(1)">x</a>',
    '<div onmouseover="alert(1)">hover</div>',
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
]

SAFE_SCHEMES = {"", "http", "https", "mailto", "tel"}


class BodyAudit(HTMLParser):
    """Collects every tag and attribute inside ``<div class="body">``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.found = False
        self.tags = []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.tags.append((tag, dict(attrs)))
            if tag not in {"br", "hr", "img"}:
                self.depth += 1
        elif tag == "div" and ("class", "body") in attrs:
            self.found = True
            self.depth = 1

    def handle_startendtag(self, tag, attrs):
        if self.depth:
            self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if self.depth and tag not in {"br", "hr", "img"}:
            self.depth -= 1


def audit_public_body(client, article) -> list[tuple[str, dict]]:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    audit = BodyAudit()
    audit.feed(response.content.decode())
    assert audit.found
    for tag, attrs in audit.tags:
        assert tag in ALLOWED_TAGS, tag
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | (
            {"rel"} if tag == "a" else set()
        )
        assert set(attrs) <= allowed, (tag, attrs)
        for value in attrs.values():
            squeezed = re.sub(r"[\x00-\x20]", "", value or "").lower()
            assert "javascript:" not in squeezed and "data:" not in squeezed, value
        if tag == "a" and "href" in attrs:
            scheme = urlsplit(attrs["href"].strip()).scheme.lower()
            assert scheme in SAFE_SCHEMES, attrs
            assert "noopener" in attrs["rel"]
        if tag == "img" and "src" in attrs:
            assert attrs["src"].startswith("/media/"), attrs
            assert ".." not in attrs["src"]
    return audit.tags


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_saved_normally_never_reaches_the_page(
    client, make_article, payload
):
    article = make_article("Bài thử", body=payload)
    assert "<script" not in article.body.lower()
    audit_public_body(client, article)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_that_skipped_save_is_cleaned_at_render(
    client, make_article, payload
):
    article = make_article("Bài thử")
    if connection.vendor == "postgresql":
        payload = payload.replace("\x00", "")  # it cannot store NUL at all
    Article.objects.filter(pk=article.pk).update(body=payload)
    article.refresh_from_db()
    assert article.body == payload  # stored raw: update() skips pre_save
    audit_public_body(client, article)


def test_there_are_at_least_twenty_payloads():
    assert len(XSS_PAYLOADS) >= 20


def test_allowed_content_survives(client, make_article):
    body = (
        "<h2>Kết quả</h2><p>Đạt <strong>11</strong> lượt <em>ý kiến</em>.</p>"
        "<ul><li>Một</li></ul><ol start='2'><li>Hai</li></ol>"
        "<blockquote>Trích dẫn</blockquote>"
        '<table><tbody><tr><th scope="col">Cột</th></tr><tr><td>Ô</td></tr>'
        "</tbody></table>"
        '<figure><img src="/media/editor/2024/07/anh.jpg" alt="Hội trường">'
        "<figcaption>Quang cảnh</figcaption></figure>"
        '<p><a href="https://hochiminhcity.gov.vn/">Cổng thông tin</a></p>'
    )
    article = make_article("Bài thử", body=body)
    tags = {tag for tag, _ in audit_public_body(client, article)}
    assert {"h2", "strong", "em", "ul", "ol", "blockquote", "table", "th"} <= tags
    assert {"figure", "img", "figcaption", "a"} <= tags
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'src="/media/editor/2024/07/anh.jpg"' in html
    assert 'rel="noopener noreferrer"' in html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_cleaning_twice_gives_the_same_result(payload):
    once = clean_html(payload)
    assert clean_html(once) == once


def test_rel_is_forced_on_links():
    cleaned = clean_html('<a href="https://x.example" rel="opener">x</a>')
    assert cleaned == '<a href="https://x.example" rel="noopener noreferrer">x</a>'


# The editor widget is chosen by settings; both editors must work.


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("bientap", "", "mat-khau-dai-123")
    client.force_login(user)
    return client


def test_ckeditor_is_the_default_widget(editor_client, settings):
    settings.RICHTEXT_WIDGET = "articles.editors.CKEditorWidget"
    response = editor_client.get(reverse("admin:articles_article_add"))
    html = response.content.decode()
    assert 'data-type="ckeditortype"' in html
    assert "/static/ckeditor/ckeditor/ckeditor.js" in html
    assert "/static/js/editor-upload.js" in html
    # Uploads go to our own endpoint, answered in JSON; no source mode.
    upload_url = reverse("editor-image-upload")
    assert f"&quot;uploadUrl&quot;: &quot;{upload_url}&quot;" in html
    assert "&quot;filebrowserUploadMethod&quot;: &quot;xhr&quot;" in html
    assert "sourcearea" in html  # listed under removePlugins
    assert "ckeditor_uploader" not in html


def test_prose_editor_is_one_setting_away(editor_client, settings):
    settings.RICHTEXT_WIDGET = "articles.editors.ProseEditorWidget"
    response = editor_client.get(reverse("admin:articles_article_add"))
    html = response.content.decode()
    assert "data-django-prose-editor-configurable" in html
    assert 'data-type="ckeditortype"' not in html
    # Its modules come from our own static files, never another host.
    assert "/static/django_prose_editor/editor.js" in html
    assert "/static/django_prose_editor/configurable.js" in html
    assert "https://" not in html.split("<body")[0]


def test_static_files_of_both_editors_are_local(client, settings):
    from django.contrib.staticfiles import finders

    for path in (
        "ckeditor/ckeditor/ckeditor.js",
        "ckeditor/ckeditor/plugins/uploadimage/plugin.js",
        "django_prose_editor/editor.js",
        "django_prose_editor/configurable.js",
        "django_prose_editor/editor.css",
    ):
        assert finders.find(path), path


@pytest.mark.parametrize(
    "widget",
    ["articles.editors.CKEditorWidget", "articles.editors.ProseEditorWidget"],
)
def test_saving_through_either_editor_cleans_the_body(
    editor_client, settings, category, widget
):
    from tests.test_admin import inline_management

    settings.RICHTEXT_WIDGET = widget
    data = {
        "title": "Thông báo lịch tiếp công dân",
        "slug": "",
        "category": str(category.pk),
        "summary": "",
        "body": '<p onclick="x()">Lịch <script>alert(1)</script>tiếp dân</p>'
        '<a href="javascript:alert(1)">xem</a>',
        "status": "published",
        "publish_at_0": "05/07/2024",
        "publish_at_1": "16:30",
        "expire_at_0": "",
        "expire_at_1": "",
        "byline": "",
        "cover": "",
        **inline_management("meeting", 0),
        **inline_management("attendances", 0),
        **inline_management("photos", 0),
        **inline_management("attachments", 0),
    }
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert article.body == '<p>Lịch tiếp dân</p><a rel="noopener noreferrer">xem</a>'
