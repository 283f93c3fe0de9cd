"""``manage.py render_articles``: stale stored pages rendered ahead of readers."""

import io

from django.core.management import call_command

from articles import rendered
from articles.models import Article, RenderedArticle


def render_articles(*args) -> str:
    out = io.StringIO()
    call_command("render_articles", *args, stdout=out)
    return out.getvalue()


def test_stale_and_missing_rows_are_rendered_and_read_in_one_query(
    client, make_article, make_report, django_assert_num_queries
):
    report = make_report("Hội nghị sơ kết", attendees=3, photos=2)
    plain = make_article("Tin ngắn")
    draft = make_article("Bản nháp", status=Article.Status.DRAFT)
    RenderedArticle.objects.filter(pk=plain.pk).delete()  # as after a bulk insert
    assert "Đã dựng sẵn 2 bài viết" in render_articles("--batch-size", "1")
    current = rendered.version()
    rows = RenderedArticle.objects.in_bulk()
    for article in (report, plain):
        assert rows[article.pk].page_version == rows[article.pk].card_version == current
        with django_assert_num_queries(1):
            assert client.get(article.get_absolute_url()).status_code == 200
    assert rows[draft.pk].page_version == ""
    assert "Đã dựng sẵn 0 bài viết" in render_articles()
