"""How a cached page goes out: hits answered before Django's request
handling starts, one copy for every shared link whatever its tracking
or made-up parameters, and pages compressed once, when they are stored."""

import gzip
import io
import re
from urllib.parse import quote

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import resolve

from articles import cachedpages, http, pagecache

pytestmark = pytest.mark.django_db


def wsgi_get(path, **extra):
    """``path`` through the project's WSGI application, as gunicorn calls it."""
    from wardnews.wsgi import application

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        **extra,
    }
    started = []

    def start_response(status, headers):
        started.append((status, dict(headers)))

    # As Django's test client does: the test's transaction keeps its
    # connection across the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(application(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    status, headers = started[0]
    return int(status.split()[0]), headers, body


def test_wsgi_hits_skip_django_request_handling(
    page_cache, make_article, django_assert_num_queries
):
    make_article("Lịch tiêm chủng tháng 12")
    status, headers, first = wsgi_get("/tin-tuc/")
    assert (status, headers["X-Cache"]) == (200, "MISS")
    handled = []
    request_started.connect(handled.append, dispatch_uid="test-wsgi-hit")
    try:
        with django_assert_num_queries(0):
            status, headers, second = wsgi_get("/tin-tuc/")
    finally:
        request_started.disconnect(dispatch_uid="test-wsgi-hit")
    assert (status, headers["X-Cache"]) == (200, "HIT")
    assert second == first and "Lịch tiêm chủng tháng 12" in second.decode()
    assert handled == []
    # Stored with the headers the other middleware gave the page.
    assert "Content-Security-Policy" in headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "s-maxage" in headers["Cache-Control"]


def test_wsgi_miss_reads_the_cache_once(page_cache, make_article, monkeypatch):
    """The middleware stores what the fast path missed without looking the
    page or the generation up again."""
    make_article("Lịch tiêm chủng tháng 12")
    wsgi_get("/")  # the menu and site-wide parts, kept for the generation
    reads = []
    real_get = pagecache._cache().get
    monkeypatch.setattr(
        pagecache._cache(),
        "get",
        lambda key, *args: reads.append(key) or real_get(key, *args),
    )
    status, headers, _ = wsgi_get("/tin-tuc/")
    assert (status, headers["X-Cache"]) == (200, "MISS")
    assert reads.count(pagecache.GENERATION_KEY) == 1
    assert len([key for key in reads if key.startswith("pagecache:page:")]) == 1
    assert wsgi_get("/tin-tuc/")[1]["X-Cache"] == "HIT"


def test_wsgi_fast_path_leaves_everything_else_to_django(
    page_cache, make_article, settings
):
    settings.ALLOWED_HOSTS = ["testserver"]
    make_article("Lịch tiêm chủng tháng 12")
    wsgi_get("/tin-tuc/")
    with_session = wsgi_get("/tin-tuc/", HTTP_COOKIE="sessionid=abc")
    assert "X-Cache" not in with_session[1]
    other_query = wsgi_get("/tin-tuc/", QUERY_STRING="page=1")
    assert other_query[1]["X-Cache"] == "MISS"
    assert wsgi_get("/tin-tuc/", HTTP_HOST="ke-gian.example")[0] == 400


def test_an_address_in_vietnamese_is_a_page_not_found(page_cache, make_article):
    """An address typed with its accents (/tin-tuc/hội-nghị/; WSGI gives
    its UTF-8 bytes as latin-1 characters) reaches Django through the
    cache's front as sent: the Vietnamese 404, twice, not a server error."""
    make_article("Hội nghị")
    path = "/tin-tuc/hội-nghị/".encode().decode("latin-1")
    for _ in range(2):
        status, headers, body = wsgi_get(path)
        assert status == 404
        assert "Không tìm thấy trang" in body.decode()


def test_shared_links_hit_the_page_whatever_their_tracking_parameters(
    page_cache, make_article
):
    """A link shared on Zalo or Facebook carries parameters that change
    with each click: they must not make each click a miss, nor store one
    more copy of the page."""
    article = make_article("Thông báo cắt điện")
    url = article.get_absolute_url()
    status, headers, first = wsgi_get(url, QUERY_STRING="fbclid=IwAR0abc")
    assert (status, headers["X-Cache"]) == (200, "MISS")
    for query in [
        "fbclid=IwAR9xyz",
        "zarsrc=31&utm_source=zalo&utm_medium=zalo&utm_campaign=zalo",
        "gidzl=3uwUBj-bzci7bfylrh_-P0QRaoV0lgbd7vl9BSEoyceJd9qlcBVpP16V",
        "srsltid=AfmBOoq1x&_gl=1*abc*_ga*MTIz",
        # Made up: each would otherwise be one more copy of the page.
        "x=1",
        "x=2&y=%3Cscript%3E",
        "",
    ]:
        status, headers, body = wsgi_get(url, QUERY_STRING=query)
        assert (status, headers["X-Cache"], body) == (200, "HIT", first), query
    # What a page shows still keys it.
    assert wsgi_get("/tin-tuc/", QUERY_STRING="page=1&fbclid=a")[1]["X-Cache"] == (
        "MISS"
    )
    assert wsgi_get("/tin-tuc/", QUERY_STRING="page=1&fbclid=b")[1]["X-Cache"] == (
        "HIT"
    )


def test_parameters_in_another_order_are_one_page(page_cache, make_report):
    """The order of a request's parameters, and any parameter no page reads
    between them, do not make another copy of the page."""
    for index in range(13):
        make_report(f"Hội nghị số {index}")
    query = "q=h%E1%BB%99i+ngh%E1%BB%8B"
    status, headers, first = wsgi_get("/tim-kiem/", QUERY_STRING=f"{query}&nam=&page=1")
    assert (status, headers["X-Cache"]) == (200, "MISS")
    for other in [f"page=1&nam=&{query}", f"nam=&utm_source=zalo&page=1&{query}"]:
        status, headers, body = wsgi_get("/tim-kiem/", QUERY_STRING=other)
        assert (status, headers["X-Cache"], body) == (200, "HIT", first), other
    for other in [f"{query}&nam=2024&page=1", "q=h%E1%BB%8Dp&page=1&nam="]:
        assert wsgi_get("/tim-kiem/", QUERY_STRING=other)[1]["X-Cache"] == "MISS"


def test_pages_never_see_parameters_they_do_not_read(page_cache, make_report):
    """What a page shows depends only on what keys it in the cache: a
    parameter it does not read is not carried into its links, and the copy
    stored for the first reader's address serves every other."""
    reports = [make_report(f"Hội nghị số {index}") for index in range(13)]
    for url, read_elsewhere in [
        ("/tin-tuc/", "q=khac&khoa=5"),
        ("/hoi-nghi/?khoa=6", "q=khac&nam=2020"),
        ("/tim-kiem/?q=h%E1%BB%99i", "khoa=5&don_vi=9"),
    ]:
        path, _, query = url.partition("?")
        extra = f"nguon=zalo-1234&{read_elsewhere}"
        status, headers, first = wsgi_get(path, QUERY_STRING=f"{extra}&{query}")
        assert (status, headers["X-Cache"]) == (200, "MISS"), url
        html = first.decode()
        assert "nguon" not in html and "zalo-1234" not in html, url
        assert not any(part in html for part in read_elsewhere.split("&")), url
        assert 'rel="next"' in html, url
        status, headers, body = wsgi_get(path, QUERY_STRING=query)
        assert (status, headers["X-Cache"], body) == (200, "HIT", first), url
    # Pages that read nothing: an article, the home page (no pager, so its
    # canonical address has no page either).
    article = reports[0].get_absolute_url()
    for path in (article, "/"):
        status, headers, first = wsgi_get(path, QUERY_STRING="q=1&page=5")
        assert (status, headers["X-Cache"]) == (200, "MISS"), path
        assert "page=5" not in first.decode(), path
        status, headers, body = wsgi_get(path)
        assert (status, headers["X-Cache"], body) == (200, "HIT", first), path


def test_a_repeated_parameter_is_its_last_value(page_cache, make_report):
    """As ``request.GET`` reads it: ``?page=1&page=2`` is page 2."""
    for index in range(13):
        make_report(f"Hội nghị số {index}")
    status, headers, second = wsgi_get("/tin-tuc/", QUERY_STRING="page=2")
    assert (status, headers["X-Cache"]) == (200, "MISS")
    assert "Trang 2 / 2" in second.decode()
    status, headers, body = wsgi_get("/tin-tuc/", QUERY_STRING="page=1&page=2")
    assert (status, headers["X-Cache"], body) == (200, "HIT", second)


def test_raw_and_percent_encoded_words_are_two_searches(page_cache, make_report):
    """A query string is keyed as sent: raw UTF-8 bytes (WSGI gives them as
    latin-1 characters) and the same characters percent-encoded one by one
    are different words to Django, so different pages."""
    make_report("Hội nghị Ban Chấp hành")
    raw = "hội".encode().decode("latin-1")
    status, headers, first = wsgi_get("/tim-kiem/", QUERY_STRING=f"q={raw}")
    assert (status, headers["X-Cache"]) == (200, "MISS")
    assert 'value="hội"' in first.decode()
    spelt = quote(raw)  # "h%C3%A1%C2%BB%C2%99i": other bytes, other words
    status, headers, other = wsgi_get("/tim-kiem/", QUERY_STRING=f"q={spelt}")
    assert (status, headers["X-Cache"]) == (200, "MISS")
    assert 'value="hội"' not in other.decode()


def test_every_form_of_the_public_pages_sends_what_its_page_reads(client, make_report):
    """A field of a public GET form that its page does not read would be
    dropped before the view saw it."""
    make_report("Hội nghị Ban Chấp hành")
    sent = {}
    for url in ("/", "/tim-kiem/?q=h%E1%BB%99i", "/hoi-nghi/"):
        html = client.get(url).content.decode()
        for attributes, form in re.findall(r"<form([^>]*)>(.*?)</form>", html, re.S):
            if re.search(r'method="post"', attributes, re.I):
                continue
            action = re.search(r'action="([^"]*)"', attributes)
            view = resolve(action.group(1) if action else url.partition("?")[0])
            fields = r'<(?:input|select|textarea|button)[^>]*\sname="([^"]+)"'
            names = set(re.findall(fields, form))
            sent.setdefault(view.view_name, set()).update(names)
            assert names <= http.PAGE_PARAMS.get(view.view_name, set()), url
    assert sent == {
        "articles:search": {"q", "chuyen_muc", "nam"},
        "articles:meeting-list": {"don_vi", "khoa"},
    }


def test_a_query_string_of_too_many_fields(page_cache, client, settings):
    """More fields than Django parses (``DATA_UPLOAD_MAX_NUMBER_FIELDS``): a
    public page reads at most one of each of its own, and serves; elsewhere
    it is the page for bad requests, in Vietnamese, not a server error."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    fields = "&".join(["page=1"] * 20 + [f"x{index}=1" for index in range(20)])
    for path in ("/tin-tuc/", "/hoi-nghi/", "/tim-kiem/", "/"):
        assert wsgi_get(path, QUERY_STRING=fields)[0] == 200, path
    client.raise_request_exception = False
    response = client.get(f"/admin/login/?{fields}")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


BROWSER = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br, zstd"}


def test_pages_travel_gzipped_and_hits_never_compress_again(
    page_cache, make_article, monkeypatch
):
    """A phone downloads a quarter of the bytes; the page is compressed once,
    when it is rendered, and every hit sends those bytes."""
    url = make_article("Thông báo cắt điện khu phố 3").get_absolute_url()
    status, miss_headers, miss = wsgi_get(url, **BROWSER)
    assert (status, miss_headers["X-Cache"]) == (200, "MISS")
    assert miss_headers["Content-Encoding"] == "gzip"
    page = gzip.decompress(miss)
    assert "Thông báo cắt điện khu phố 3" in page.decode()
    assert int(miss_headers["Content-Length"]) == len(miss) < len(page) / 2

    def compress_again(content):
        raise AssertionError("a hit compressed the page again")

    monkeypatch.setattr(cachedpages, "compress_string", compress_again)
    status, hit_headers, hit = wsgi_get(url, **BROWSER)
    assert (status, hit_headers["X-Cache"], hit) == (200, "HIT", miss)
    assert hit_headers["Content-Encoding"] == "gzip"
    assert int(hit_headers["Content-Length"]) == len(hit)

    # A client that does not ask for gzip gets the same page as it is.
    status, plain_headers, plain = wsgi_get(url, HTTP_ACCEPT_ENCODING="identity")
    assert (status, plain_headers["X-Cache"], plain) == (200, "HIT", page)
    assert "Content-Encoding" not in plain_headers
    assert int(plain_headers["Content-Length"]) == len(plain)
    # Shared caches keep the two apart, and know them for the same page.
    for headers in (miss_headers, hit_headers, plain_headers):
        assert "Accept-Encoding" in headers["Vary"]
    assert hit_headers["ETag"] == miss_headers["ETag"] == f"W/{plain_headers['ETag']}"


def test_compressed_pages_answer_conditional_gets(client, page_cache, make_article):
    make_article("Thông báo cắt điện khu phố 3")
    first = client.get("/tin-tuc/", **BROWSER)
    assert first["Content-Encoding"] == "gzip"
    again = client.get("/tin-tuc/", HTTP_IF_NONE_MATCH=first["ETag"], **BROWSER)
    assert (again.status_code, again.content) == (304, b"")
    hit = client.get("/tin-tuc/", **BROWSER)
    assert (hit["X-Cache"], hit.content) == ("HIT", first.content)


def test_pages_for_staff_are_not_compressed_here(
    admin_client, page_cache, make_article
):
    """Only pages the same for every visitor are compressed: what staff see
    may hold a secret, which compression next to text an attacker chose can
    leak (BREACH)."""
    make_article("Thông báo cắt điện khu phố 3")
    for url in ("/tin-tuc/", "/admin/articles/article/"):
        response = admin_client.get(url, **BROWSER)
        assert response.status_code == 200
        assert "Content-Encoding" not in response, url
