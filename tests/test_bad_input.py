"""Bad input on every public URL: a 4xx or a normal page with a
Vietnamese message, never a 500. The admin's: test_bad_staff_input.py."""

from urllib.parse import quote, unquote_to_bytes

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
