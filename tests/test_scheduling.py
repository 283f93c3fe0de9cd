"""Scheduled publishing and expiry: an article appears and disappears on
time on every public page, with or without the page cache, and the
visibility signal fires after the commit."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.signals import article_visibility_changed

pytestmark = pytest.mark.django_db


def archive_month(article):
    at = timezone.localtime(article.publish_at)
    return reverse("articles:archive-month", args=[at.year, at.month])


def public_urls(article, official):
    return [
        reverse("articles:home"),
        reverse("articles:article-list"),
        article.category.get_absolute_url(),
        reverse("articles:meeting-list"),
        reverse("articles:feed"),
        reverse("articles:feed-atom"),
        reverse("articles:category-feed", args=[article.category.slug]),
        reverse("articles:category-feed-atom", args=[article.category.slug]),
        reverse("articles:search") + "?q=lịch+hẹn",
        official.get_absolute_url(),
        "/sitemap-articles.xml",
    ]


@pytest.mark.parametrize("cached", [False, True], ids=["no-cache", "page-cache"])
def test_scheduled_article_appears_on_time_everywhere(
    client, make_report, request, cached
):
    if cached:
        request.getfixturevalue("page_cache")
    at = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    article = make_report("Hội nghị lịch hẹn giờ đăng", publish_at=at)
    official = article.attendances.get().official
    address = article.get_absolute_url()

    with time_machine.travel(at - datetime.timedelta(minutes=1), tick=False):
        assert client.get(address).status_code == 404
        # Its month has nothing else published: not in the archive yet.
        assert client.get(archive_month(article)).status_code == 404
        for url in public_urls(article, official):
            response = client.get(url)
            assert response.status_code == 200, url
            assert address not in response.content.decode(), url

    with time_machine.travel(at + datetime.timedelta(minutes=1), tick=False):
        assert client.get(address).status_code == 200
        for url in [*public_urls(article, official), archive_month(article)]:
            response = client.get(url)
            assert response.status_code == 200, url
            assert address in response.content.decode(), url


def test_expiry_hides_the_article(client, make_report):
    now = timezone.now()
    article = make_report(
        "Tin hết hạn",
        publish_at=now - datetime.timedelta(days=1),
        expire_at=now + datetime.timedelta(hours=1),
    )
    assert client.get(article.get_absolute_url()).status_code == 200
    with time_machine.travel(now + datetime.timedelta(hours=1, minutes=1)):
        assert client.get(article.get_absolute_url()).status_code == 404


def test_next_visibility_change(make_article):
    now = timezone.now()
    assert Article.objects.next_visibility_change() is None
    make_article("Đã hiện", expire_at=now + datetime.timedelta(days=5))
    make_article("Hẹn giờ", publish_at=now + datetime.timedelta(days=2))
    make_article(
        "Nháp", status=Article.Status.DRAFT, publish_at=now + datetime.timedelta(1)
    )
    soonest = Article.objects.next_visibility_change()
    assert soonest == Article.objects.get(title="Hẹn giờ").publish_at


def test_visibility_signal_after_commit(
    make_article, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, article, visible, **kwargs):
        heard.append((article.title, visible))

    article_visibility_changed.connect(listener)
    try:
        draft = make_article("Tin mới", status=Article.Status.DRAFT)
        later = make_article(
            "Tin hẹn giờ",
            status=Article.Status.DRAFT,
            publish_at=timezone.now() + datetime.timedelta(hours=2),
        )
        with django_capture_on_commit_callbacks(execute=True):
            draft.publish()
            later.publish()
        assert heard == [("Tin mới", True)]
        with django_capture_on_commit_callbacks(execute=True):
            draft.unpublish()
        assert heard[-1] == ("Tin mới", False)
        with django_capture_on_commit_callbacks(execute=True):
            draft.publish()
            Article.objects.get(pk=draft.pk).delete()
        assert heard[-2:] == [("Tin mới", True), ("Tin mới", False)]
    finally:
        article_visibility_changed.disconnect(listener)
