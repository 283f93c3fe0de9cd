"""Bad input on every public URL and in the admin: a 4xx or a normal page
with a Vietnamese message, never a 500, and what was typed is kept."""

import datetime
from urllib.parse import quote, unquote_to_bytes

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article, Category, Official
from tests.test_admin import (  # noqa: F401 (fixture)
    article_form,
    inline_management,
    people,
)

pytestmark = pytest.mark.django_db

BAD_PAGES = [
    "abc",
    "-1",
    "0",
    "1.5",
    "",
    str(10**20),
    "999999",
    "1e3",
    "%00",
    "last",
    "١",  # an Arabic-Indic digit: isdigit() but not a page number we print
]
BAD_QUERIES = [
    "q=" + "a" * 10_000,
    "q=" + quote("Đảng ủy ") * 1_500,
    "q=%E0%A4%A",
    "q=%ff%fe",
    "q=%00",
    "q=a%00b",
    "q=%",
    "q=%%%",
    "q=" + quote("\u202e\u0000\ufffe"),
    "q=' OR 1=1 --",
    "q=<script>alert(1)</script>",
    "q[]=1&q[]=2",
    "q=1&q=2&page=abc",
    "nam=99999999999999999999",
    "nam=-1",
    "chuyen_muc=%ff",
    "don_vi=abc",
    "don_vi=99999999999999999999",
    "khoa=abc",
    "khoa=-5",
    "sau=abc",
    "sau=99999999999999999999999999.1",
    "truoc=1.abc",
    "sau=%00",
]


@pytest.fixture
def site(make_report):
    article = make_report("Hội nghị Ban Chấp hành", attendees=3, photos=1)
    return {
        "article": article,
        "category": article.category,
        "official": Official.objects.first(),
    }


def public_paths(site) -> list[str]:
    return [
        "/",
        "/tin-tuc/",
        "/hoi-nghi/",
        "/can-bo/",
        "/tim-kiem/",
        "/gioi-thieu/",
        "/luu-tru/",
        "/rss/",
        "/atom/",
        "/sitemap.xml",
        "/robots.txt",
        site["article"].get_absolute_url(),
        site["category"].get_absolute_url(),
        site["official"].get_absolute_url(),
        f"/chuyen-muc/{site['category'].slug}/rss/",
    ]


UNKNOWN_PATHS = [
    "/tin-tuc/khong-co-bai-nay/",
    "/chuyen-muc/khong-co/",
    "/can-bo/khong-co/",
    "/gioi-thieu/khong-co/",
    "/chuyen-muc/khong-co/rss/",
    "/sitemap-khong-co.xml",
    "/xem-truoc/khong-hop-le/",
    "/xem-truoc/" + "a" * 5000 + "/",
    "/tin-tuc/%ff/",
    "/tin-tuc/%E0%A4%A/",
    "/tin-tuc/a%00b/",
    "/tin-tuc/" + "a" * 10_000 + "/",
    "/tin-tuc/%C4%91ang/",
    "/luu-tru/2024/13/",
    "/luu-tru/2024/0/",
    "/luu-tru/0/1/",
    "/luu-tru/99999999999999999999/1/",
    "/luu-tru/2024/99999999999999999999/",
    "/media/khong-co.jpg",
    "/static/khong-co.css",
    "/%00",
    "/..%2f..%2fetc/passwd",
]


def assert_handled(response, url):
    assert response.status_code < 500, url
    if response.status_code == 404 and "text/html" in response.get("Content-Type", ""):
        assert "Không tìm thấy trang" in response.content.decode(), url


def test_bad_page_numbers_never_give_a_500(client, site):
    for path in public_paths(site):
        for page in BAD_PAGES:
            url = f"{path}?page={page}"
            response = client.get(url)
            assert_handled(response, url)
            assert response.status_code in (200, 301, 302, 400, 404), url


def test_bad_sitemap_pages_never_give_a_500(client, site):
    for section in ["articles", "categories", "officials"]:
        for page in BAD_PAGES:
            url = f"/sitemap-{section}.xml?p={page}"
            response = client.get(url)
            assert_handled(response, url)
            assert response.status_code in (200, 404), url


def test_bad_queries_never_give_a_500(client, site):
    for path in ["/tim-kiem/", "/hoi-nghi/", "/tin-tuc/", "/", "/luu-tru/"]:
        for query in BAD_QUERIES:
            url = f"{path}?{query}"
            assert_handled(client.get(url), url)


def test_overlong_search_is_a_normal_page_with_a_message(client, site):
    response = client.get("/tim-kiem/", {"q": "Đảng ủy " * 1500})
    assert response.status_code == 200
    assert "Đảng ủy" in response.content.decode()


def test_unknown_and_malformed_paths_are_404_in_vietnamese(client, site):
    for url in UNKNOWN_PATHS:
        response = client.get(url)
        assert_handled(response, url)
        assert response.status_code in (400, 404), url


def test_null_bytes_and_broken_encoding_in_raw_requests(site):
    # The test client quotes paths for us; send the raw bytes instead.
    client = Client()
    for raw in [
        "/tin-tuc/\x00/",
        "/tim-kiem/?q=\x00",
        "/?page=\x00",
        "/can-bo/\udcff/",
    ]:
        try:
            response = client.generic("GET", raw)
        except UnicodeEncodeError:
            continue  # not even sendable over HTTP
        assert_handled(response, repr(raw))


def test_other_methods_on_public_pages(client, site):
    for path in public_paths(site):
        for method in ("post", "put", "delete", "patch", "options"):
            response = client.generic(
                method.upper(),
                path,
                b"x=1",
                content_type="application/x-www-form-urlencoded",
            )
            assert response.status_code < 500, (method, path)


# Property-based pass over the public URL space.

segment = st.text(st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=40)
query_value = st.one_of(
    segment,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(BAD_PAGES),
)
query_name = st.sampled_from(
    ["page", "q", "nam", "chuyen_muc", "don_vi", "khoa", "sau", "truoc", "x"]
)
templates = st.sampled_from(
    [
        "/",
        "/tin-tuc/",
        "/tin-tuc/{}/",
        "/chuyen-muc/{}/",
        "/chuyen-muc/{}/rss/",
        "/chuyen-muc/{}/atom/",
        "/hoi-nghi/",
        "/can-bo/",
        "/can-bo/{}/",
        "/tim-kiem/",
        "/gioi-thieu/",
        "/gioi-thieu/{}/",
        "/luu-tru/",
        "/luu-tru/{}/{}/",
        "/xem-truoc/{}/",
        "/rss/",
        "/sitemap.xml",
    ]
)


def made_up(examples: int):
    """Hypothesis' settings for a test of ``examples`` made-up addresses."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )


@st.composite
def urls(draw, templates, query_name):
    """An address from ``templates``, its parts and query made up."""
    template = draw(templates)
    parts = [quote(draw(segment), safe="") or "x" for _ in range(template.count("{}"))]
    path = template.format(*parts)
    params = draw(st.lists(st.tuples(query_name, query_value), max_size=4))
    query = "&".join(f"{name}={quote(value, safe='%')}" for name, value in params)
    return f"{path}?{query}" if query else path


@made_up(200)
@given(url=urls(templates, query_name))
def test_property_no_public_url_gives_a_500(client, site, url):
    assert_handled(client.get(url), url)


@made_up(150)
@given(url=urls(templates, query_name))
def test_property_no_public_url_fails_through_the_cache(page_cache, site, url):
    """The same addresses through the WSGI application gunicorn runs, with
    the page cache on: its front reads every GET before Django does. The
    path is given as a server gives it, its bytes as latin-1 characters."""
    from tests.test_page_delivery import wsgi_get

    path, _, query = url.partition("?")
    path = unquote_to_bytes(path).decode("latin-1")
    for _ in range(2):  # a miss, then a hit
        assert wsgi_get(path, QUERY_STRING=query)[0] < 500, url


# Admin forms: clear Vietnamese errors, what was typed is kept.


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("bientap", "", "mat-khau-dai-123")
    client.force_login(user)
    return client


IMPOSSIBLE_KEYS = ["abc", "999999", "1.5", "99999999999999999999"]


@pytest.mark.parametrize("value", IMPOSSIBLE_KEYS)
def test_an_impossible_official_is_refused_and_the_rest_kept(
    admin_client,
    people,  # noqa: F811
    value,
):
    data = article_form(**people, **{"attendances-0-official": value})
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in html
    assert f'<option value="{people["hien"].pk}" selected>' in html
    assert not Article.objects.exists()


@pytest.mark.parametrize("value", IMPOSSIBLE_KEYS)
def test_every_search_box_refuses_an_impossible_key(
    admin_client,
    people,  # noqa: F811
    value,
):
    """A value no row can have, sent by hand to any of the admin's search
    boxes for a related row, is a form error, not a server error."""
    forms = [
        (
            "admin:articles_article_add",
            article_form(**people, **{"meeting-0-organization": value}),
        ),
        ("admin:articles_organization_add", {"name": "Chi bộ", "kind": "party",
                                             "parent": value, "order": "0"}),
        (
            "admin:articles_official_add",
            {
                "full_name": "Huỳnh Thị Ngọc Bích",
                "slug": "",
                "bio": "",
                **inline_management("positions", 1),
                "positions-0-title": "Bí thư Đảng ủy phường",
                "positions-0-organization": value,
                "positions-0-order": "0",
            },
        ),
    ]  # fmt: skip
    for url, data in forms:
        response = admin_client.post(reverse(url), data)
        assert response.status_code == 200, url
        assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode(), url


def test_impossible_ids_and_years_in_staff_addresses(admin_client):
    """Addresses staff never type but may be sent: an official's printed
    line or an article's revision by an id no row can have, a year past
    the calendar in a list's dates. Answered as Django answers ``abc``
    there, not with a 500."""
    for value in IMPOSSIBLE_KEYS + ["%00", "1/2"]:
        url = f"/admin/articles/official/{value}/printed/"
        response = admin_client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"error": "not found"}
    for url in [
        "/admin/articles/article/?publish_at__year=99999999999999999999",
        "/admin/articles/article/?publish_at__year=2024&publish_at__month=" + "9" * 20,
        "/admin/articles/article/?publish_at__year=9999",  # ends in year 10000
        "/admin/articles/article/?publish_at__year=1",  # begins in year 0 in UTC
        "/admin/articles/article/?updated_at__year=2147483648",
        "/admin/articles/article/?updated_at__year=0",
        "/admin/articles/auditentry/?created_at__year=99999999999999999999",
    ]:
        response = admin_client.get(url)
        # Refused as Django refuses ?publish_at__year=abc, or shown where
        # the database can hold the date (year 1 in PostgreSQL).
        if response.status_code != 200:
            assert response.status_code == 302, url
            assert response["Location"].endswith("?e=1")
    response = admin_client.get("/admin/articles/article/x/history/1/")
    assert response.status_code == 404


def test_actions_on_impossible_rows(admin_client, make_article):
    """Rows ticked for an action by keys no row can have are left out: the
    action runs on the others, or Django says that rows must be ticked."""
    draft = make_article("Bản nháp", status=Article.Status.DRAFT)
    for url in [
        "/admin/articles/article/",
        "/admin/articles/official/",
        "/admin/auth/group/",
        "/admin/auth/user/",
        "/admin/axes/accessattempt/",
    ]:
        for action in ["delete_selected", "make_published"]:
            data = {"action": action, "_selected_action": IMPOSSIBLE_KEYS}
            for sent in ({**data, "index": "0"}, {**data, "post": "yes"}):
                response = admin_client.post(url, sent)
                assert response.status_code in (200, 302), url
    response = admin_client.post(
        "/admin/articles/article/",
        {
            "action": "make_published",
            "_selected_action": [*IMPOSSIBLE_KEYS, str(draft.pk)],
            "index": "0",
        },
        follow=True,
    )
    assert "Đã duyệt đăng 1 bài." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED


def test_every_admin_of_the_site_refuses_impossible_input():
    """The site's own admins and their inlines, the accounts' and roles',
    and the sign-in logs' use ``StaffInputMixin``; one added later without
    it fails here."""
    from django.contrib import admin

    from articles.input_admin import StaffInputMixin

    ours = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"articles", "auth", "axes"}
    }
    assert len(ours) >= 12
    for model, model_admin in ours.items():
        assert isinstance(model_admin, StaffInputMixin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, StaffInputMixin), inline


staff_templates = st.sampled_from(
    [
        "/admin/articles/article/",
        "/admin/articles/article/{}/change/",
        "/admin/articles/article/{}/history/",
        "/admin/articles/article/{}/history/compare/",
        "/admin/articles/article/{}/history/{}/",
        "/admin/articles/article/{}/dien-tu-noi-dung/",
        "/admin/articles/article/{}/delete/",
        "/admin/articles/article/recover/{}/",
        "/admin/articles/official/",
        "/admin/articles/official/{}/change/",
        "/admin/articles/official/{}/printed/",
        "/admin/articles/organization/{}/change/",
        "/admin/articles/auditentry/",
        "/admin/auth/user/{}/change/",
        "/admin/autocomplete/",
        "/admin/r/{}/{}/",
    ]
)
staff_query_name = st.sampled_from(
    [
        "q",
        "o",
        "p",
        "e",
        "publish_at__year",
        "publish_at__month",
        "publish_at__day",
        "publish_at__gte",
        "status__exact",
        "category__id__exact",
        "featured__exact",
        "trang_thai",
        "created_at__year",
        "user__id__exact",
        "term",
        "app_label",
        "model_name",
        "field_name",
        "a",
        "b",
        "_changelist_filters",
    ]
)


@made_up(150)
@given(url=urls(staff_templates, staff_query_name))
def test_property_no_staff_address_gives_a_500(admin_client, site, url):
    assert admin_client.get(url).status_code < 500, url


def test_an_account_with_impossible_roles_or_dates_is_refused(admin_client):
    """An account's roles by keys no role can have, its dates in year 1
    (year 0 in UTC): form errors, not server errors."""
    from django.contrib.auth.models import Group

    from tests.adminform import change_form_data

    Group.objects.create(name="Biên tập viên")
    user = get_user_model().objects.create_user(
        "nguoi", "", "mat-khau-dai-123", is_staff=True
    )
    url = reverse("admin:auth_user_change", args=[user.pk])
    shown = change_form_data(admin_client.get(url))
    for field, value, message in [
        ("groups", "99999999999999999999", "không phải là giá trị hợp lệ"),
        ("groups", "abc", "không phải là giá trị hợp lệ"),
        ("date_joined_0", "01/01/0001", "Năm phải từ 1900 đến 2999."),
    ]:
        response = admin_client.post(url, {**shown, field: value})
        assert response.status_code == 200, (field, value)
        assert message in response.content.decode(), (field, value)


def test_oversize_fields_are_refused_and_kept(admin_client, people):  # noqa: F811
    long_title = "Hội nghị " * 60  # 540 characters, the limit is 300
    data = article_form(
        **people,
        title=long_title,
        slug="a" * 250,
        byline="Văn phòng " * 40,
        **{"meeting-0-place": "Hội trường " * 50},
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Giá trị này chỉ có tối đa 300 kí tự (hiện có 539)" in html
    assert "Giá trị này chỉ có tối đa 200 kí tự (hiện có 250)" in html
    assert long_title.strip() in html
    assert "a" * 250 in html
    assert not Article.objects.exists()


def test_impossible_dates_are_refused_and_kept(admin_client, people):  # noqa: F811
    data = article_form(
        **people,
        publish_at_0="31/02/2024",
        expire_at_0="30/02/2025",
        expire_at_1="25:61",
        **{"meeting-0-held_on": "31/02/2024", "meeting-0-held_at": "8 giờ"},
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nhập một ngày hợp lệ." in html
    assert "Nhập một thời gian hợp lệ." in html
    for typed in ("31/02/2024", "30/02/2025", "25:61", "8 giờ"):
        assert f'value="{typed}"' in html
    assert not Article.objects.exists()


def test_numbers_out_of_range_are_refused(admin_client, people):  # noqa: F811
    data = article_form(
        **people,
        **{
            "meeting-0-session_number": "99999999999999999999",
            "meeting-0-term_number": "-3",
            "meeting-0-opinions_count": "mười một",
        },
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "mười một" in html
    assert "Nhập một số nguyên." in html
    assert "tổng thể" not in html  # Django's own, misleading wording
    assert "lớn hơn hoặc bằng với 0" in html
    assert not Article.objects.exists()


def test_duplicate_slugs_in_other_models(admin_client, category):
    Category.objects.create(name="Thông báo", slug="thong-bao")
    response = admin_client.post(
        reverse("admin:articles_category_add"),
        {"name": "Thông báo mới", "slug": "thong-bao", "description": "", "order": "0"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "đã tồn tại" in html
    assert 'value="Thông báo mới"' in html


def test_null_byte_in_admin_text_is_an_error_not_a_crash(admin_client, people):  # noqa: F811
    data = article_form(**people, title="Hội nghị\x00", summary="Tóm\x00tắt")
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "Không được chứa ký tự rỗng (null)." in response.content.decode()
    assert not Article.objects.exists()


def test_far_future_and_past_dates_do_not_crash(admin_client, people):  # noqa: F811
    data = article_form(**people, publish_at_0="01/01/0001", publish_at_1="00:00")
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code in (200, 302)
    data = article_form(**people, publish_at_0="31/12/9999", publish_at_1="23:59")
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code in (200, 302)


def test_dates_keep_the_vietnamese_day_first_reading():
    from django.forms import DateField

    assert DateField().clean("05/07/2024") == datetime.date(2024, 7, 5)
