"""Public pages a citizen reads: site identity, introduction pages, home,
meeting filters, month archive, error pages and Vietnamese wording."""

import datetime
import re
import zoneinfo
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timesince, translation
from django.utils.translation import gettext
from django.views.defaults import server_error

from articles.forms import MeetingFilterForm
from articles.models import Article, Category, Meeting, Organization, Page, SiteSettings

pytestmark = pytest.mark.django_db

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def site_settings(db):
    return SiteSettings.objects.create(
        name="Phường Cát Lái",
        full_name="Trang thông tin điện tử phường Cát Lái",
        responsible_person="Nguyễn Đức Hiền – Chủ tịch UBND phường",
        address="Số 1 Nguyễn Thị Định",
        phone="028 3742 0000",
        email="ubnd@example.gov.vn",
    )


def test_footer_shows_what_a_government_site_must(client, site_settings):
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    assert "Chịu trách nhiệm nội dung: Nguyễn Đức Hiền – Chủ tịch UBND phường" in footer
    assert "Số 1 Nguyễn Thị Định" in footer
    assert 'href="tel:02837420000"' in footer
    assert 'href="mailto:ubnd@example.gov.vn"' in footer
    header = html[html.index("<header") : html.index("</header>")]
    assert "Phường Cát Lái" in header
    assert '<svg class="emblem"' in header


def test_site_settings_edited_in_admin_show_at_once(admin_client, site_settings):
    assert "Phường Cát Lái" in admin_client.get("/").content.decode()
    url = reverse("admin:articles_sitesettings_change", args=[1])
    response = admin_client.post(
        url,
        {
            "name": "Phường Thạnh Mỹ Lợi",
            "full_name": "Trang tin phường Thạnh Mỹ Lợi",
            "parent_unit": "",
            "intro": "",
            "responsible_person": "Trần Văn Mới",
            "address": "",
            "phone": "",
            "email": "",
            "license_note": "",
        },
    )
    assert response.status_code == 302
    html = admin_client.get("/").content.decode()
    assert "Phường Thạnh Mỹ Lợi" in html
    assert "Chịu trách nhiệm nội dung: Trần Văn Mới" in html


def test_site_settings_admin_is_one_row(admin_client, db):
    response = admin_client.get(reverse("admin:articles_sitesettings_changelist"))
    assert response.status_code == 302
    assert response["Location"].endswith("/articles/sitesettings/1/change/")
    assert SiteSettings.objects.count() == 1
    add = admin_client.get(reverse("admin:articles_sitesettings_add"))
    assert add.status_code == 403


def test_site_settings_are_cached_and_dropped_on_save(
    site_settings, django_assert_num_queries
):
    cache.delete(SiteSettings.CACHE_KEY)
    with django_assert_num_queries(1):
        SiteSettings.load()
    with django_assert_num_queries(0):
        assert SiteSettings.load().name == "Phường Cát Lái"
    site_settings.name = "Phường Mới"
    site_settings.save()
    assert SiteSettings.load().name == "Phường Mới"


def test_missing_settings_row_still_gives_a_site(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Phường Cát Lái" in response.content.decode()


def test_introduction_pages(client, db):
    Page.objects.create(
        title="Hệ thống chính trị phường",
        summary="Đảng ủy, HĐND, UBND.",
        body="<p>Nội dung <script>alert(1)</script>giới thiệu</p>",
        order=2,
    )
    overview = Page.objects.create(title="Tổng quan về phường", order=1)
    assert overview.slug == "tong-quan-ve-phuong"
    listing = client.get(reverse("articles:page-list")).content.decode()
    assert listing.index("Tổng quan về phường") < listing.index("Hệ thống chính trị")
    detail = client.get("/gioi-thieu/he-thong-chinh-tri-phuong/")
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "<h1>Hệ thống chính trị phường</h1>" in html
    assert "<script>alert" not in html
    assert client.get("/gioi-thieu/khong-co/").status_code == 404


def test_demo_loads_introduction_pages_and_settings(client, db):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))
    call_command("load_demo", stdout=open("/dev/null", "w"))
    slugs = set(Page.objects.values_list("slug", flat=True))
    assert {"tong-quan", "he-thong-chinh-tri", "lanh-dao-phuong"} <= slugs
    assert Page.objects.count() == 3
    assert SiteSettings.objects.get().responsible_person
    for slug in slugs:
        assert client.get(f"/gioi-thieu/{slug}/").status_code == 200


def test_home_shows_featured_and_latest_per_category(
    client, make_article, django_assert_max_num_queries
):
    notices = Category.objects.create(name="Thông báo", order=1)
    featured = make_article("Tin nổi bật nhất", featured=True)
    for index in range(6):
        make_article(f"Thông báo số {index}", category=notices)
    make_article("Bản nháp bí mật", category=notices, status=Article.Status.DRAFT)
    with django_assert_max_num_queries(8):
        html = client.get("/").content.decode()
    assert featured.title in html
    assert "Bản nháp bí mật" not in html
    section = html[html.index('id="cm-thong-bao"') :]
    shown = re.findall(r"Thông báo số (\d)", section)
    assert shown == ["5", "4", "3", "2"]


def test_meeting_list_filters_by_body_and_term(
    client, make_report, organization, django_assert_max_num_queries
):
    party = make_report("Hội nghị Đảng ủy khóa VI")
    council_body = Organization.objects.create(
        name="Hội đồng nhân dân phường", kind=Organization.Kind.COUNCIL
    )
    council = make_report("Kỳ họp HĐND khóa XII")
    Meeting.objects.filter(article=council).update(
        organization=council_body, term_number=12
    )
    url = reverse("articles:meeting-list")
    html = client.get(url).content.decode()
    assert party.title in html and council.title in html
    assert "Khóa XII" in html and "Khóa VI" in html

    with django_assert_max_num_queries(8):
        html = client.get(url, {"don_vi": council_body.pk}).content.decode()
    assert council.title in html and party.title not in html
    html = client.get(url, {"khoa": "6"}).content.decode()
    assert party.title in html and council.title not in html
    html = client.get(url, {"don_vi": organization.pk, "khoa": "12"}).content.decode()
    assert "Không có hội nghị nào khớp bộ lọc." in html


@pytest.mark.parametrize(
    "query", [{"don_vi": "abc"}, {"khoa": "x"}, {"don_vi": "99999"}, {"khoa": "9" * 40}]
)
def test_meeting_filter_bad_input_is_a_message_not_an_error(client, make_report, query):
    make_report("Hội nghị Đảng ủy")
    response = client.get(reverse("articles:meeting-list"), query)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hội nghị Đảng ủy" in html
    assert "Không có đơn vị này." in html or "Không có khóa này." in html


def test_meeting_list_frame_is_kept_per_filter(
    client, settings, make_report, organization
):
    """Around its rows, the meeting list is rendered once per content
    generation and filter; addresses that ask for the same filter share it."""
    cache.clear()
    settings.WARDNEWS_COUNT_CACHE_SECONDS = 600
    party = make_report("Hội nghị Đảng ủy")
    url = reverse("articles:meeting-list")
    client.get(url, {"don_vi": "abc"})
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url, {"don_vi": "xyz", "page": "1"}).content.decode()
    assert len(queries) == 1  # the rows
    assert "Không có đơn vị này." in html and party.title in html
    assert "Bỏ lọc" in html and "selected>Đảng ủy" not in html

    chosen = client.get(url, {"don_vi": organization.pk}).content.decode()
    assert f'<option value="{organization.pk}" selected>Đảng ủy' in chosen
    assert "Không có đơn vị này." not in chosen
    plain = client.get(url).content.decode()
    assert "Bỏ lọc" not in plain and "Không có đơn vị này." not in plain

    Meeting.objects.filter(article=party).update(term_number=12)
    party.save()  # a change: a new generation
    html = client.get(url, {"khoa": "12"}).content.decode()
    assert party.title in html and "Khóa XII" in html


def test_meeting_filters_read_as_the_form_does(make_report, organization):
    """Without a filter in the address no form is built: what is read is
    what the form would give."""
    make_report("Hội nghị Đảng ủy")
    for query in ("", "page=2&sau=1.2", f"don_vi={organization.pk}", "khoa=x"):
        form = MeetingFilterForm(QueryDict(query))
        expected = (form.scope(), form.canonical_data())
        assert MeetingFilterForm.read(QueryDict(query)) == expected, query


def test_month_archive(client, make_article, django_assert_max_num_queries):
    make_article("Tin tháng bảy", publish_at=datetime.datetime(2024, 7, 5, tzinfo=HCM))
    # 00:30 on 1 August in Hồ Chí Minh City is still 31 July in UTC.
    make_article(
        "Tin đầu tháng tám", publish_at=datetime.datetime(2024, 8, 1, 0, 30, tzinfo=HCM)
    )
    make_article(
        "Nháp tháng bảy",
        publish_at=datetime.datetime(2024, 7, 6, tzinfo=HCM),
        status=Article.Status.DRAFT,
    )
    with django_assert_max_num_queries(8):
        response = client.get("/luu-tru/2024/7/")
    html = response.content.decode()
    assert "<h1>Tin tháng 7/2024</h1>" in html
    assert "Tin tháng bảy" in html
    assert "Tin đầu tháng tám" not in html and "Nháp tháng bảy" not in html
    assert 'href="/luu-tru/2024/8/"' in html
    august = client.get("/luu-tru/2024/8/").content.decode()
    assert "Tin đầu tháng tám" in august
    index = client.get("/luu-tru/").content.decode()
    assert "Tháng 7/2024" in index and "Tháng 8/2024" in index


@pytest.mark.parametrize(
    "path",
    ["/luu-tru/2024/13/", "/luu-tru/2024/0/", "/luu-tru/99999/1/", "/luu-tru/x/1/"],
)
def test_month_archive_bad_dates_are_404(client, db, path):
    assert client.get(path).status_code == 404


def test_404_is_vietnamese_with_the_site_around_it(client, db):
    response = client.get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="vi">' in html
    assert "Không tìm thấy trang" in html
    assert "<footer" in html
    assert "Not Found" not in html


def test_500_needs_neither_database_nor_context(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="vi">' in html
    assert "Xin lỗi, trang đang gặp sự cố" in html
    assert "{%" not in html and "{{" not in html


def test_django_strings_missing_from_its_vietnamese_catalog_are_provided():
    with translation.override("vi"):
        since = timesince.timesince(
            datetime.datetime(2024, 1, 1), datetime.datetime(2025, 3, 10)
        )
        assert since == "1\xa0năm, 2\xa0tháng" or since == "1 năm, 2 tháng"
        assert (
            gettext("That page contains no results") == "Trang này không có kết quả nào"
        )
        assert gettext("Toggle navigation") == "Ẩn/hiện thanh điều hướng"
        assert gettext("Skip to main content") == "Bỏ qua, đến nội dung chính"
        assert gettext("Forbidden") == "Không được phép"


def test_admin_javascript_catalog_is_vietnamese(admin_client):
    js = admin_client.get("/admin/jsi18n/").content.decode()
    assert "Th\\u1ee9 S\\u00e1u" in js or "Thứ Sáu" in js


def test_print_stylesheet_hides_navigation(client, db):
    css = (
        client.get("/")
        .content.decode()
        .split('rel="stylesheet" href="')[1]
        .split('"')[0]
    )
    from django.contrib.staticfiles import finders

    text = open(finders.find(css.removeprefix("/static/"))).read()
    print_rules = text[text.index("@media print") :]
    assert ".site-nav" in print_rules and ".site-footer" in print_rules


def test_meeting_filter_survives_pagination(client, make_report):
    for index in range(13):
        make_report(f"Hội nghị số {index}")
    html = client.get(reverse("articles:meeting-list"), {"khoa": "6"}).content.decode()
    next_link = re.search(r'href="([^"]*)" rel="next"', html).group(1)
    assert "khoa=6" in next_link


def test_pager_links_keep_filters_but_not_tracking_parameters(
    client, make_article, make_report
):
    for index in range(13):
        make_report(f"Hội nghị số {index}")
    tracking = {"fbclid": "IwAR0abc", "zarsrc": "31", "utm_source": "zalo"}
    for url, query, kept in [
        ("/tin-tuc/", {}, ""),
        ("/hoi-nghi/", {"khoa": "6"}, "khoa=6"),
        ("/tim-kiem/", {"q": "hội nghị", "page": "1"}, "q="),
    ]:
        html = client.get(url, {**query, **tracking}).content.decode()
        next_link = re.search(r'href="([^"]*)" rel="next"', html).group(1)
        assert kept in next_link
        assert not any(name in next_link for name in tracking), (url, next_link)


def test_unfiltered_meeting_list_offers_no_filter_to_clear(client, make_report):
    for index in range(13):
        make_report(f"Hội nghị số {index}")
    url = reverse("articles:meeting-list")
    first = client.get(url, {"fbclid": "IwAR0abc"}).content.decode()
    assert "Bỏ lọc" not in first
    # Page 2 through the pager's link, which carries a cursor.
    next_link = re.search(r'href="([^"]*)" rel="next"', first).group(1)
    second = client.get(url + unescape(next_link)).content.decode()
    assert "Trang 2 / 2" in second and "Bỏ lọc" not in second
    # The form sent with "Tất cả" in both fields.
    every = client.get(url, {"don_vi": "", "khoa": ""}).content.decode()
    assert "Bỏ lọc" not in every and "Trang 1 / 2" in every
    assert "Bỏ lọc" in client.get(url, {"khoa": "6"}).content.decode()


def test_tracking_parameters_share_a_list_count(client, settings, make_report):
    cache.clear()
    settings.WARDNEWS_COUNT_CACHE_SECONDS = 600
    make_report("Hội nghị Đảng ủy")

    def counts(query):
        with CaptureQueriesContext(connection) as queries:
            client.get("/hoi-nghi/", query)
        return sum("COUNT(" in q["sql"] for q in queries)

    assert counts({"fbclid": "a"}) == 1
    assert counts({"fbclid": "b"}) == 0
    assert counts({"khoa": "6", "fbclid": "c"}) == 1


ENGLISH = re.compile(
    r"\b(the|and|of|page|next|previous|search|home|read more|error|not found|"
    r"results?|submit|filter|year|month|day|ago|january|july|monday|friday)\b",
    re.IGNORECASE,
)


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def test_no_english_where_citizens_look(client, db):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))
    seed = Article.objects.get(featured=True, meeting__isnull=False)
    pages = [
        "/",
        "/tin-tuc/",
        seed.get_absolute_url(),
        seed.category.get_absolute_url(),
        "/hoi-nghi/?don_vi=abc&khoa=x",
        "/can-bo/",
        "/can-bo/nguyen-thi-nhai/",
        "/gioi-thieu/",
        "/gioi-thieu/he-thong-chinh-tri/",
        "/luu-tru/",
        "/luu-tru/2024/7/",
        "/khong-co-trang-nay/",
    ]
    for url in pages:
        text = visible_text(client.get(url).content.decode())
        assert not ENGLISH.findall(text), (url, ENGLISH.findall(text))


def test_meeting_filter_does_not_reveal_bodies_of_draft_reports(client, make_report):
    make_report("Hội nghị Đảng ủy")
    secret = Organization.objects.create(name="Ban Bí mật", kind="other")
    draft = make_report("Hội nghị chưa đăng", status=Article.Status.DRAFT)
    Meeting.objects.filter(article=draft).update(organization=secret, term_number=9)
    html = client.get(reverse("articles:meeting-list")).content.decode()
    assert "Ban Bí mật" not in html
    assert "Khóa IX" not in html


def test_login_throttling_admin_is_vietnamese():
    with translation.override("vi"):
        assert gettext("access attempts") == "các lần đăng nhập"
        assert gettext("IP Address") == "Địa chỉ IP"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_committed_mo_files_match_their_po(tmp_path, domain):
    import gettext as gnu_gettext
    import shutil
    import subprocess
    from pathlib import Path

    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt not installed (apt-get install gettext)")
    folder = Path(__file__).resolve().parents[1] / "locale" / "vi" / "LC_MESSAGES"
    fresh = tmp_path / f"{domain}.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(fresh), str(folder / f"{domain}.po")],
        check=True,
    )

    def catalog(path):
        with open(path, "rb") as handle:
            return gnu_gettext.GNUTranslations(handle)._catalog

    assert catalog(folder / f"{domain}.mo") == catalog(fresh), (
        "run: python manage.py compilemessages -l vi --ignore=.venv"
    )


def test_400_and_403_are_vietnamese(client, settings, db):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/", HTTP_HOST="ke-la.example")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()

    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = RequestFactory().get("/")
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Không có quyền xem trang này" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/tin-tuc/?page=999", "Trang không tồn tại"),
        ("/luu-tru/1950/6/", "Tháng này không có bài viết nào được đăng."),
        ("/chuyen-muc/khong-co/", "Không có chuyên mục này."),
        ("/xem-truoc/khong-dung/", "Liên kết xem trước không đúng."),
    ],
)
def test_404_says_why_when_the_reason_helps(client, make_article, path, reason):
    make_article("Tin đầu tiên")
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert f"<p><strong>{reason}" in html
    assert "Không tìm thấy trang" in html


def test_404_shows_no_message_from_django(client, db):
    html = client.get("/tin-tuc/khong-co-bai-nay/").content.decode()
    assert "<p><strong>" not in html
    assert "matches the given query" not in html and "Resolver404" not in html
