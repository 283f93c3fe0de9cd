"""What the page cache keeps and when: anonymous public pages only, fresh
after every change, on time for scheduled ones, per release."""

import datetime
import re
import time

import pytest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from articles import cachedpages, cardlists, pagecache, rendered
from articles.models import Article

pytestmark = pytest.mark.django_db


def _csrf_page(request):
    return HttpResponse(f"<form>{get_token(request)}</form>")


@never_cache
def _never_cached_page(request):
    return HttpResponse("preview")


urlpatterns = [
    path("_test/csrf/", _csrf_page),
    path("_test/never/", _never_cached_page),
    path("", include("wardnews.urls")),
]


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(
        "bientap", password="mat-khau-dai-123", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client


@pytest.fixture
def clock(monkeypatch):
    """Moves wall-clock time (cache expiry) and Django's now together."""

    class Clock:
        offset = 0.0

        def forward(self, seconds):
            self.offset += seconds

    clock = Clock()
    real_time, real_now = time.time, timezone.now
    monkeypatch.setattr(time, "time", lambda: real_time() + clock.offset)
    monkeypatch.setattr(
        timezone,
        "now",
        lambda: real_now() + datetime.timedelta(seconds=clock.offset),
    )
    return clock


def test_anonymous_page_is_cached_and_hit_costs_no_query(
    client, page_cache, make_article, django_assert_num_queries
):
    make_article("Thông báo lịch tiếp công dân")
    first = client.get("/tin-tuc/")
    assert first["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        second = client.get("/tin-tuc/")
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert "Thông báo lịch tiếp công dân" in second.content.decode()


def test_public_page_headers_allow_shared_caches(client, page_cache, make_article):
    make_article("Bài có tiêu đề")
    response = client.get("/")
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    assert "s-maxage=60" in cache_control
    assert "stale-while-revalidate=30" in cache_control
    assert "max-age=0" in cache_control
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]


def test_conditional_get_answers_304(client, page_cache, make_article):
    make_article("Bài có tiêu đề")
    response = client.get("/tin-tuc/")
    again = client.get("/tin-tuc/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    since = client.get("/tin-tuc/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304
    other = client.get("/tin-tuc/", HTTP_IF_NONE_MATCH='"khac"')
    assert other.status_code == 200


def test_staff_are_never_served_or_stored(
    client, staff_client, page_cache, make_article
):
    article = make_article("Bài cũ")
    anonymous = client.__class__()
    assert anonymous.get("/tin-tuc/")["X-Cache"] == "MISS"
    # A change the page cache is not told of; the article's stored card is.
    Article.objects.filter(pk=article.pk).update(title="Bài đã sửa không qua save")
    rendered.mark_stale([article.pk])
    response = staff_client.get("/tin-tuc/")
    assert "X-Cache" not in response
    assert "Bài đã sửa không qua save" in response.content.decode()
    # The staff view was not stored either: anonymous still gets its own entry.
    assert anonymous.get("/tin-tuc/")["X-Cache"] == "HIT"


def test_admin_is_never_cached(staff_client, page_cache):
    assert "X-Cache" not in staff_client.get(reverse("admin:index"))


@pytest.mark.urls("tests.test_page_cache")
def test_never_cache_and_cookie_setting_responses_are_not_stored(client, page_cache):
    for url in ("/_test/never/", "/_test/csrf/"):
        client.get(url)
        response = client.__class__().get(url)
        assert response.get("X-Cache") != "HIT", url


def test_request_with_session_cookie_bypasses_cache(client, page_cache, make_article):
    make_article("Bài viết")
    client.get("/")
    client.cookies["sessionid"] = "khong-hop-le"
    assert "X-Cache" not in client.get("/")


def test_editing_an_article_refreshes_its_pages(client, page_cache, make_article):
    article = make_article("Tiêu đề cũ")
    assert "Tiêu đề cũ" in client.get(article.get_absolute_url()).content.decode()
    assert "Tiêu đề cũ" in client.get("/").content.decode()
    article.title = "Tiêu đề mới"
    article.save()
    assert "Tiêu đề mới" in client.get(article.get_absolute_url()).content.decode()
    assert "Tiêu đề mới" in client.get("/").content.decode()


def test_publishing_and_unpublishing_refresh_lists(client, page_cache, make_article):
    article = make_article("Bài chờ đăng", status=Article.Status.DRAFT)
    assert "Bài chờ đăng" not in client.get("/tin-tuc/").content.decode()
    assert client.get(article.get_absolute_url()).status_code == 404
    article.publish()
    assert "Bài chờ đăng" in client.get("/tin-tuc/").content.decode()
    assert client.get(article.get_absolute_url()).status_code == 200
    article.unpublish()
    assert "Bài chờ đăng" not in client.get("/tin-tuc/").content.decode()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_admin_action_publish_is_visible_to_the_public(
    client, staff_client, page_cache, make_article
):
    article = make_article("Bài đăng từ trang quản trị", status=Article.Status.DRAFT)
    anonymous = client.__class__()
    assert "Bài đăng từ trang quản trị" not in anonymous.get("/").content.decode()
    response = staff_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "make_published", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    assert "Bài đăng từ trang quản trị" in anonymous.get("/").content.decode()


@pytest.mark.parametrize("page_seconds", [600, 0])
def test_staff_write_without_signal_still_starts_a_new_generation(
    staff_client, page_cache, settings, page_seconds
):
    # With the page cache off, list frames and counts still live under the
    # generation.
    settings.WARDNEWS_PAGE_CACHE_SECONDS = page_seconds
    before = pagecache.generation()
    # A form sent back with an error: no row saved, no signal.
    response = staff_client.post(reverse("admin:articles_category_add"), {})
    assert response.status_code == 200
    assert pagecache.generation() > before


def test_changing_official_category_or_photo_refreshes_article(
    client, page_cache, make_report
):
    report = make_report("Hội nghị giao ban", attendees=2, photos=2)
    url = report.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Cache"] == "HIT"

    official = report.attendances.first().official
    official.full_name = "Trần Thị Đổi Tên"
    official.save()
    assert client.get(url)["X-Cache"] == "MISS"

    category = report.category
    category.name = "Chuyên mục đổi tên"
    category.save()
    assert "Chuyên mục đổi tên" in client.get(url).content.decode()

    photo = report.photos.first()
    photo.caption = "Chú thích đã sửa"
    photo.save()
    assert "Chú thích đã sửa" in client.get(url).content.decode()

    photo.delete()
    assert client.get(url)["X-Cache"] == "MISS"


def test_scheduled_article_appears_on_time(client, page_cache, make_article, clock):
    make_article("Bài đã đăng")
    publish_at = timezone.now() + datetime.timedelta(seconds=120)
    make_article("Bài hẹn giờ", publish_at=publish_at)
    assert "Bài hẹn giờ" not in client.get("/tin-tuc/").content.decode()
    response = client.get("/tin-tuc/")
    assert response["X-Cache"] == "HIT"
    assert "s-maxage=60" in response["Cache-Control"]

    clock.forward(100)
    response = client.get("/tin-tuc/")
    assert response["X-Cache"] == "HIT"
    # Shared caches are not told to keep the page past the publish time.
    s_maxage = int(re.search(r"s-maxage=(\d+)", response["Cache-Control"])[1])
    assert 0 < s_maxage <= 20

    clock.forward(21)
    response = client.get("/tin-tuc/")
    assert response["X-Cache"] == "MISS"
    assert "Bài hẹn giờ" in response.content.decode()


def test_expiring_article_disappears_on_time(client, page_cache, make_article, clock):
    article = make_article(
        "Thông báo hết hạn",
        expire_at=timezone.now() + datetime.timedelta(seconds=90),
    )
    assert "Thông báo hết hạn" in client.get("/").content.decode()
    assert client.get(article.get_absolute_url()).status_code == 200
    clock.forward(91)
    assert "Thông báo hết hạn" not in client.get("/").content.decode()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_entry_timeout_is_capped_at_next_scheduled_change(
    client, page_cache, make_article
):
    make_article("Bài đã đăng")
    publish_at = timezone.now() + datetime.timedelta(seconds=45)
    make_article("Bài hẹn giờ", publish_at=publish_at)
    client.get("/")
    expiries = [
        expiry
        for key, expiry in page_cache._expire_info.items()
        if "pagecache:" in key and expiry is not None
    ]
    assert expiries
    assert max(expiries) <= publish_at.timestamp()


def test_next_visibility_change_is_one_query(make_article, django_assert_num_queries):
    now = timezone.now()
    make_article("Đã đăng")
    make_article("Hẹn giờ", publish_at=now + datetime.timedelta(hours=3))
    make_article(
        "Sắp gỡ",
        publish_at=now - datetime.timedelta(hours=3),
        expire_at=now + datetime.timedelta(hours=2),
    )
    make_article(
        "Nháp hẹn giờ",
        status=Article.Status.DRAFT,
        publish_at=now + datetime.timedelta(hours=1),
    )
    with django_assert_num_queries(1):
        moment = Article.objects.next_visibility_change(now)
    assert moment == now + datetime.timedelta(hours=2)
    Article.objects.all().delete()
    assert Article.objects.next_visibility_change(now) is None


def test_page_cache_can_be_turned_off(client, settings, make_article):
    settings.WARDNEWS_PAGE_CACHE_SECONDS = 0
    make_article("Bài viết")
    client.get("/")
    assert "X-Cache" not in client.get("/")


def test_lost_generation_never_revives_old_pages(page_cache):
    first = pagecache.generation()
    pagecache.bump_generation()
    page_cache.delete(pagecache.GENERATION_KEY)
    assert pagecache.generation() > first + 1


def test_changing_site_settings_refreshes_every_page(client, page_cache, make_article):
    from articles.models import SiteSettings

    make_article("Bài viết")
    settings_row = SiteSettings.load()
    settings_row.save()
    client.get("/")
    assert client.get("/")["X-Cache"] == "HIT"
    settings_row = SiteSettings.objects.get(pk=settings_row.pk)
    settings_row.address = "Số 1 đường Nguyễn Thị Định, phường Cát Lái"
    settings_row.save()
    response = client.get("/")
    assert response["X-Cache"] == "MISS"
    assert "Số 1 đường Nguyễn Thị Định" in response.content.decode()


def test_a_process_copy_is_not_served_after_a_change(client, page_cache, make_article):
    article = make_article("Lịch tiêm chủng tháng 12")
    client.get("/tin-tuc/")
    assert client.get("/tin-tuc/")["X-Cache"] == "HIT"  # now copied in-process
    article.title = "Lịch tiêm chủng tháng 1"
    article.save()
    response = client.get("/tin-tuc/")
    assert response["X-Cache"] == "MISS"
    assert "Lịch tiêm chủng tháng 1<" in response.content.decode()


def test_a_process_copy_is_not_served_past_its_time(
    client, page_cache, make_article, clock
):
    make_article("Lịch tiêm chủng tháng 12")
    client.get("/tin-tuc/")
    assert client.get("/tin-tuc/")["X-Cache"] == "HIT"
    clock.forward(601)
    assert client.get("/tin-tuc/")["X-Cache"] == "MISS"


def test_entries_from_an_older_release_count_as_absent(
    client, page_cache, make_article, rf
):
    make_article("Lịch tiêm chủng tháng 12")
    client.get("/tin-tuc/")
    key = cachedpages.page_key(rf.get("/tin-tuc/"))
    page_cache.set(key, (pagecache.generation(), ("old shape",)), 600)
    pagecache._local.entries.clear()
    response = client.get("/tin-tuc/")
    assert response.status_code == 200
    assert response["X-Cache"] == "MISS"


def test_a_release_never_serves_what_an_older_one_cached(
    client, page_cache, make_article, monkeypatch
):
    """Pages and the parts kept per generation (here the list's frame) are
    kept per release: a new release's templates show at once, with no edit
    to bump the generation."""
    make_article("Lịch tiêm chủng tháng 12")
    client.get("/tin-tuc/")
    assert client.get("/tin-tuc/")["X-Cache"] == "HIT"

    def new_template(*args, **kwargs):
        return render_to_string(*args, **kwargs).replace("</h1>", " mới</h1>")

    monkeypatch.setattr(cardlists, "render_to_string", new_template)
    assert "Tin tức mới" not in client.get("/tin-tuc/?trang-khac").content.decode()
    monkeypatch.setattr(pagecache.release, "version", lambda: "phien-ban-moi")
    response = client.get("/tin-tuc/")
    assert response["X-Cache"] == "MISS"
    assert "<h1>Tin tức mới</h1>" in response.content.decode()


def test_logging_in_keeps_the_cached_pages(client, page_cache, django_user_model):
    django_user_model.objects.create_user(
        "bientap", password="mat-khau-dai-123", is_staff=True
    )
    before = pagecache.generation()
    response = client.post(
        reverse("admin:login"),
        {"username": "bientap", "password": "mat-khau-dai-123", "next": "/admin/"},
    )
    assert response.status_code == 302
    assert client.post(reverse("admin:logout")).status_code == 200
    assert pagecache.generation() == before
