import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from articles.files import is_upload_folder
from articles.models import (
    Article,
    Attendance,
    Category,
    Meeting,
    Official,
    Organization,
    Photo,
    Position,
)

# Shared data: the search tests' seed report and neighbours (``seed``,
# ``other``) and the fill tests' draft of it (``seed_article``).
pytest_plugins = ["tests.fill_data", "tests.search_data"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload_folders(media_root) -> set[str]:
    """The folders of their own that uploads are stored in
    (``articles.models.photos.upload_folder``)."""
    return {p.name for p in media_root.rglob("*/") if is_upload_folder(p.name)}


@pytest.fixture
def persistent_connections(monkeypatch):
    """Database sessions that outlive a request (``CONN_MAX_AGE``), as
    production runs: only then are lookups prepared (``articles.prepared``)."""
    from django.db import connection

    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    """The page and count caches are off unless a test asks for ``page_cache``
    (they would otherwise keep what a test changed without a signal)."""
    from django.core.cache import cache

    cache.clear()
    settings.WARDNEWS_PAGE_CACHE_SECONDS = 0
    settings.WARDNEWS_COUNT_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def site_settings_uncached():
    """Site settings are cached across requests; a rolled-back test must not
    leave its row in the cache for the next one."""
    from django.core.cache import cache

    from articles.models import SiteSettings

    cache.delete(SiteSettings.CACHE_KEY)
    yield
    cache.delete(SiteSettings.CACHE_KEY)


@pytest.fixture
def page_cache(settings):
    from django.core.cache import cache

    cache.clear()
    settings.WARDNEWS_PAGE_CACHE_SECONDS = 600
    settings.WARDNEWS_COUNT_CACHE_SECONDS = 600
    yield cache
    cache.clear()


def jpeg_bytes(width=64, height=48, color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG")
    return buffer.getvalue()


def gif_bytes() -> bytes:
    """An image Django's own field opens, but not one the pipeline takes."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 30, 30)).save(buffer, "GIF")
    return buffer.getvalue()


def jpeg_upload(name="anh.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


@pytest.fixture
def category(db):
    return Category.objects.create(name="Hoạt động Đảng ủy - Ủy ban")


@pytest.fixture
def organization(db):
    return Organization.objects.create(
        name="Đảng ủy phường Cát Lái",
        short_name="Đảng ủy phường",
        kind=Organization.Kind.PARTY,
    )


@pytest.fixture
def make_article(category):
    def make(title="Bài viết", *, status=Article.Status.PUBLISHED, **kwargs):
        kwargs.setdefault("publish_at", timezone.now() - datetime.timedelta(hours=1))
        kwargs.setdefault("category", category)
        return Article.objects.create(title=title, status=status, **kwargs)

    return make


@pytest.fixture
def make_official(organization):
    def make(full_name, *titles):
        official = Official.objects.create(full_name=full_name)
        for order, title in enumerate(titles):
            Position.objects.create(
                official=official, title=title, organization=organization, order=order
            )
        return official

    return make


@pytest.fixture
def people(category, organization, make_official):
    """The category, organization and two officials an admin form names."""
    return {
        "category": category,
        "organization": organization,
        "nhai": make_official(
            "Nguyễn Thị Nhài", "Phó Bí thư Thường trực Đảng ủy phường"
        ),
        "hien": make_official("Nguyễn Đức Hiền", "Chủ tịch UBND phường"),
    }


@pytest.fixture
def make_report(make_article, make_official, organization):
    """A published meeting report with ``attendees`` officials and ``photos``."""

    def make(title="Hội nghị Ban Chấp hành", *, attendees=1, photos=1, **kwargs):
        article = make_article(title, **kwargs)
        Meeting.objects.create(
            article=article,
            organization=organization,
            name="Hội nghị Ban Chấp hành Đảng bộ phường",
            session_number=21,
            term_number=6,
            term_start_year=2020,
            term_end_year=2025,
            held_on=datetime.date(2024, 7, 5),
            opinions_count=11,
        )
        for index in range(attendees):
            official = make_official(f"Nguyễn Văn Số{index}", "Đảng ủy viên")
            Attendance.objects.create(article=article, official=official)
        for index in range(photos):
            Photo.objects.create(
                article=article,
                image=jpeg_upload(f"anh-{index}.jpg"),
                caption=f"Chú thích ảnh {index}",
                alt_text=f"Mô tả ảnh {index}",
            )
        article.ensure_cover()
        return article

    return make


@pytest.fixture
def site(make_report):
    """A report with its category and an official: every kind of public
    page has something to show, for the tests of bad input."""
    article = make_report("Hội nghị Ban Chấp hành", attendees=3, photos=1)
    return {
        "article": article,
        "category": article.category,
        "official": Official.objects.first(),
    }


@pytest.fixture
def make_staff(db):
    """A staff user in one of the groups made by ``setup_roles``."""
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    call_command("setup_roles", stdout=io.StringIO())

    def make(username, group):
        user = User.objects.create_user(username)  # force_login needs none
        user.is_staff = True
        user.save()
        user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def staff_with(django_user_model):
    """A logged-in client for staff with just these ``articles`` permissions."""

    def make(*codenames):
        user = django_user_model.objects.create_user(
            "canbo", password="mat-khau-dai-123", is_staff=True
        )
        user.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label="articles", codename__in=codenames
            )
        )
        client = Client()
        client.force_login(user)
        return client

    return make
