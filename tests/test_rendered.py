"""Stored article pages (``articles.rendered``): the same HTML the view
renders, one query a read, and never stale."""

import datetime
import importlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.autoreload import file_changed

from articles import rendered
from articles.models import (
    Article,
    ArticleQuerySet,
    Attachment,
    Category,
    RenderedArticle,
    SiteSettings,
)
from articles.views import ArticleDetailView


def read(client, article, **extra) -> str:
    response = client.get(article.get_absolute_url(), **extra)
    assert response.status_code == 200
    return response.content.decode()


def live_page(rf, article) -> str:
    """The page as the view renders it when nothing is stored."""
    request = rf.get(article.get_absolute_url())
    request.user = AnonymousUser()
    view = ArticleDetailView.as_view(stored_pages=False)
    return view(request, slug=article.slug).render().content.decode()


def is_current(article) -> bool:
    row = RenderedArticle.objects.get(pk=article.pk)
    return row.page_version == rendered.version()


@pytest.fixture
def report(make_report):
    return make_report("Hội nghị sơ kết", attendees=3, photos=2)


def test_the_stored_page_is_the_page_the_view_renders(client, rf, report):
    first = read(client, report)  # renders and stores
    assert is_current(report)
    assert read(client, report) == first == live_page(rf, report)
    assert rendered.RENDER_HOST not in first
    assert f'href="http://testserver{report.get_absolute_url()}"' in first


def test_a_stored_page_is_one_query(client, report, django_assert_num_queries):
    read(client, report)
    with django_assert_num_queries(1):
        read(client, report)


def test_the_page_carries_the_address_it_was_asked_at(client, settings, report):
    settings.ALLOWED_HOSTS = ["testserver", "phuong.example"]
    read(client, report)
    page = read(client, report, HTTP_HOST="phuong.example", secure=True)
    assert f'href="https://phuong.example{report.get_absolute_url()}"' in page
    assert "testserver" not in page


def test_articles_made_without_signals_are_rendered_on_first_read(
    client, report, django_assert_max_num_queries
):
    RenderedArticle.objects.all().delete()  # as after someone's bulk insert
    # Looked up, the row made, the article, photos, attachments, attendees,
    # the settings and the menu read, the page stored.
    with django_assert_max_num_queries(9):
        assert "Hội nghị sơ kết" in read(client, report)
    assert is_current(report)


def test_an_edit_makes_only_its_own_article_stale(client, make_article, report):
    other = make_article("Tin khác")
    read(client, report), read(client, other)
    report.title = "Hội nghị tổng kết"
    report.save()
    assert not is_current(report) and is_current(other)
    assert "Hội nghị tổng kết" in read(client, report)


def change_attendee(article):
    attendance = article.attendances.first()
    attendance.name = "Trần Thị Mới"
    attendance.save()
    return "Trần Thị Mới"


def change_caption(article):
    photo = article.photos.first()
    photo.caption = "Chú thích mới"
    photo.save()
    return "Chú thích mới"


def add_attachment(article):
    Attachment.objects.create(
        article=article, title="Kế hoạch năm", file=ContentFile(b"%PDF", "kh.pdf")
    )
    return "Kế hoạch năm"


def change_meeting(article):
    article.meeting.place = "Hội trường khu phố 3"
    article.meeting.save()
    return "Hội trường khu phố 3"


def change_official(article):
    official = article.attendances.first().official
    official.slug = "can-bo-moi"
    official.save()
    return 'href="/can-bo/can-bo-moi/"'


def change_organization(article):
    organization = article.meeting.organization
    organization.name = "Ủy ban nhân dân phường"
    organization.save()
    return "Ủy ban nhân dân phường"


def rename_category(article):
    category = article.category
    category.name = "Thông báo của phường"
    category.save()
    return "Thông báo của phường"


def change_site(article):
    site = SiteSettings.load()
    site.address = "12 đường Nguyễn Thị Định"
    site.save()
    return "12 đường Nguyễn Thị Định"


@pytest.mark.parametrize(
    "change",
    [
        change_attendee,
        change_caption,
        add_attachment,
        change_meeting,
        change_official,
        change_organization,
        rename_category,
        change_site,
    ],
)
def test_what_the_page_shows_changing_renders_it_again(client, report, change):
    read(client, report)
    shown = change(report)
    assert not is_current(report)
    assert shown in read(client, report)


def test_deleting_a_photo_or_an_official_renders_again(client, report):
    photo = report.photos.exclude(pk=report.cover_id).first()
    official = report.attendances.first().official
    read(client, report)
    photo.delete()
    official.delete()
    page = read(client, report)
    assert photo.caption not in page
    assert official.get_absolute_url() not in page


def test_a_new_category_reaches_the_menu_of_every_stored_page(
    client, make_article, report
):
    other = make_article("Tin khác")
    read(client, report), read(client, other)
    Category.objects.create(name="Văn hóa - Xã hội")
    for article in (report, other):
        assert "Văn hóa - Xã hội" in read(client, article)


def test_publication_is_decided_at_each_read_not_when_rendered(client, report):
    read(client, report)
    now = timezone.now()
    # Moved with update(): no signal, as when the clock passes the moment.
    Article.objects.filter(pk=report.pk).update(
        expire_at=now - datetime.timedelta(minutes=1)
    )
    assert client.get(report.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=report.pk).update(
        expire_at=None, publish_at=now + datetime.timedelta(hours=1)
    )
    assert client.get(report.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=report.pk).update(
        publish_at=now - datetime.timedelta(minutes=1)
    )
    assert "Hội nghị sơ kết" in read(client, report)


def test_the_page_lookup_publishes_what_published_does(make_article):
    now, hour = timezone.now(), datetime.timedelta(hours=1)
    for status in Article.Status:
        make_article(f"Bài {status}", status=status)
    make_article("Hẹn giờ", publish_at=now + hour)
    make_article("Hết hạn", publish_at=now - 2 * hour, expire_at=now - hour)
    make_article("Sắp hết hạn", expire_at=now + hour)
    condition, params = ArticleQuerySet.published_sql("a", connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT a.id FROM articles_article a WHERE {condition}", params)
        found = {row[0] for row in cursor.fetchall()}
    published = set(Article.objects.published().values_list("pk", flat=True))
    assert found == published and len(published) == 2


def test_a_new_version_of_the_code_renders_every_page_again(
    client, monkeypatch, report, django_assert_max_num_queries
):
    read(client, report)
    monkeypatch.setattr(rendered, "version", lambda: "phien-ban-moi")
    with django_assert_max_num_queries(8) as queries:
        read(client, report)
    assert len(queries) > 1
    assert RenderedArticle.objects.get(pk=report.pk).page_version == "phien-ban-moi"


def test_the_version_is_a_digest_of_templates_and_code(tmp_path, settings):
    current = rendered.version()
    assert len(current) == 40
    assert rendered.version.cache_info().currsize == 1
    # runserver edits templates in place: the digest is made again.
    file_changed.send(sender=None, file_path=tmp_path / "article_detail.html")
    assert rendered.version.cache_info().currsize == 0
    assert rendered.version() == current
    try:
        # A release that only changes a translation.
        messages = tmp_path / "locale" / "vi" / "LC_MESSAGES"
        messages.mkdir(parents=True)
        (messages / "django.mo").write_bytes(b"translated")
        settings.LOCALE_PATHS = [*settings.LOCALE_PATHS, tmp_path / "locale"]
        rendered.version.cache_clear()
        translated = rendered.version()
        assert translated != current
        settings.TIME_ZONE = "Asia/Bangkok"  # dates on the pages change
        rendered.version.cache_clear()
        assert rendered.version() not in (current, translated)
    finally:
        rendered.version.cache_clear()


def test_editors_still_see_unpublished_articles_rendered_live(
    client, make_article, make_staff
):
    draft = make_article("Bản nháp", status=Article.Status.DRAFT)
    client.force_login(make_staff("bientap", "Biên tập viên"))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert response.context["is_draft_view"]
    assert not is_current(draft)


def live_card(article, **context) -> str:
    full = Article.objects.for_listing().get(pk=article.pk)
    return render_to_string(rendered.CARD_TEMPLATE, {"article": full, **context})


@pytest.mark.parametrize("url, level", [("/tin-tuc/", 2), ("/", 3)])
def test_lists_show_the_cards_the_card_template_renders(
    client, make_article, report, url, level
):
    plain = make_article("Tin không ảnh")
    for _ in range(2):  # rendered and stored, then read back
        page = client.get(url).content.decode()
        assert live_card(plain, level=level) in page
        assert live_card(report, level=level, eager=True) in page
        assert live_card(report, level=level) not in page


def test_a_list_of_stored_cards_reads_them_with_the_page(
    client, make_report, django_assert_max_num_queries
):
    for index in range(12):
        make_report(f"Bài số {index}", attendees=2, photos=2)
    client.get("/tin-tuc/")
    # The count, the page and the menu (the first and the last are kept per
    # content generation outside tests).
    with django_assert_max_num_queries(3):
        client.get("/tin-tuc/")


def test_a_changed_card_is_rendered_again_in_the_list(client, make_article, report):
    other = make_article("Tin khác")
    client.get("/tin-tuc/")
    report.title = "Hội nghị tổng kết"
    report.save()
    category = other.category
    category.name = "Thông báo của phường"
    category.save()
    page = client.get("/tin-tuc/").content.decode()
    assert "Hội nghị tổng kết" in page
    assert page.count("· Thông báo của phường") == 2


@pytest.mark.parametrize(
    "renderer, url, version_field",
    [
        ("render_page", None, "page_version"),
        ("render_card", "/tin-tuc/", "card_version"),
    ],
)
def test_html_rendered_while_its_article_changed_is_not_stored(
    client, monkeypatch, report, renderer, url, version_field
):
    render = getattr(rendered, renderer)

    def render_during_an_edit(article):
        html = render(article)
        # Another process edits the article and commits meanwhile.
        Article.objects.filter(pk=article.pk).update(title="Tiêu đề đã sửa")
        rendered.mark_stale([article.pk])
        return html

    url = url or report.get_absolute_url()
    monkeypatch.setattr(rendered, renderer, render_during_an_edit)
    assert "Hội nghị sơ kết" in client.get(url).content.decode()
    assert getattr(RenderedArticle.objects.get(pk=report.pk), version_field) == ""
    monkeypatch.setattr(rendered, renderer, render)
    assert "Tiêu đề đã sửa" in client.get(url).content.decode()


def test_migrating_gives_every_existing_article_its_row(make_article):
    from django.apps import apps

    migration = importlib.import_module("articles.migrations.0009_rendered_article")
    articles = [make_article(f"Bài {index}") for index in range(3)]
    RenderedArticle.objects.all().delete()
    migration.add_rows(apps, None)
    assert set(RenderedArticle.objects.values_list("pk", flat=True)) == {
        a.pk for a in articles
    }


def test_pages_are_rendered_from_the_database_not_a_stale_cache(
    client, page_cache, report
):
    site = SiteSettings.load()
    site.address = "12 đường Nguyễn Thị Định"
    site.save()
    # What another app process, with a local-memory cache, may still hold.
    old = SiteSettings.load(fresh=True)
    old.address = "Địa chỉ cũ"
    page_cache.set(SiteSettings.CACHE_KEY, old, 300)
    page = read(client, report)
    assert "12 đường Nguyễn Thị Định" in page and "Địa chỉ cũ" not in page


def page_statement() -> str | None:
    """The name of the prepared page lookup in this session, if any."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%r.page_version, r.stamp, r.page%"],
        )
        row = cursor.fetchone()
    return row[0] if row else None


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's prepared statements"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_page_lookup_is_prepared_once_per_session(
    client, make_report, persistent_connections
):
    report = make_report("Hội nghị sơ kết")
    first = read(client, report)
    name = page_statement()
    assert name is not None
    assert read(client, report) == first
    # Lost with the session's state (a pooler, DISCARD ALL): the page still
    # reads, and the statement is prepared again.
    with connection.cursor() as cursor:
        cursor.execute(f"DEALLOCATE {name}")
    assert read(client, report) == first
    assert read(client, report) == first
    assert page_statement() == name


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_nothing_is_prepared_for_a_session_per_request(client, make_report):
    """With CONN_MAX_AGE 0 each request opens its own session: preparing
    would only add round trips."""
    connection.close()
    report = make_report("Hội nghị sơ kết")
    assert "Hội nghị sơ kết" in read(client, report)
    assert page_statement() is None


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_prepared_statements_can_be_turned_off(
    client, settings, make_report, persistent_connections
):
    settings.WARDNEWS_PREPARED_STATEMENTS = False
    connection.close()  # a new session, with nothing prepared
    report = make_report("Hội nghị sơ kết")
    assert "Hội nghị sơ kết" in read(client, report)
    assert page_statement() is None
