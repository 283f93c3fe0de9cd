"""The public gallery and cards: what pages show of stored photos, read
from their renditions, never from storage."""

import shutil

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.services import photos_ingest
from tests.conftest import jpeg_bytes
from tests.test_images import upload

pytestmark = pytest.mark.django_db


def _gallery_html(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('class="gallery"') :]


def test_gallery_serves_renditions_with_srcset_sizes_and_lazy_loading(
    client, make_article
):
    article = make_article()
    photos_ingest(
        article=article,
        files=[
            upload(f"{i}.jpg", jpeg_bytes(2000, 1500, color=(i * 20, 50, 50)))
            for i in range(3)
        ],
    )
    first = article.photos.first()
    html = _gallery_html(client, article)

    images_html = html.split("<img ")[1:]
    assert len(images_html) == 3
    for tag in images_html:
        assert 'sizes="' in tag and 'width="400" height="300"' in tag
        assert 'decoding="async"' in tag
    assert 'loading="lazy"' not in images_html[0]
    assert all('loading="lazy"' in tag for tag in images_html[1:])
    srcset = ", ".join(f"/media/{r['name']} {r['width']}w" for r in first.renditions)
    assert f'srcset="{srcset}"' in images_html[0]
    assert f'src="/media/{first.renditions[0]["name"]}"' in images_html[0]
    # Without JavaScript the thumbnail links to the large image.
    assert f'href="/media/{first.renditions[-1]["name"]}"' in html
    assert "js/gallery.js" in html


def test_gallery_renders_without_touching_storage(client, make_article, media_root):
    article = make_article()
    photos_ingest(article=article, files=[upload("a.jpg", jpeg_bytes(900, 600))])
    shutil.rmtree(media_root)
    html = _gallery_html(client, article)
    assert "-400w.webp 400w" in html and 'width="400" height="267"' in html


def test_gallery_query_count_does_not_grow_with_photos(client, make_article):
    client.get("/")  # site-wide cached context is filled once, not per page
    counts = []
    for size in (1, 30):
        article = make_article(f"Bài {size} ảnh")
        photos_ingest(
            article=article,
            files=[
                upload(f"{i}.jpg", jpeg_bytes(color=(i, size, 0))) for i in range(size)
            ],
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(article.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 8


def test_article_cards_show_the_cover_from_its_renditions(client, make_article):
    article = make_article("Tin có ảnh")
    photos_ingest(article=article, files=[upload("a.jpg", jpeg_bytes(2000, 1500))])
    cover = article.photos.get()
    html = client.get(reverse("articles:article-list")).content.decode()
    card = html[html.index('class="card-media"') :]
    tag = card[card.index("<img") : card.index(">", card.index("<img"))]
    assert f'src="/media/{cover.renditions[0]["name"]}"' in tag
    assert f'srcset="{cover.srcset}"' in tag and "sizes=" in tag
    assert 'width="400" height="300"' in tag
    assert cover.image.name not in tag
