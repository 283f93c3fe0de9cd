"""Site-wide parts of every page (``{% sitewide %}``) and the cache reads a
request makes for them."""

import pytest
from django.template import Context, Template, TemplateSyntaxError

from articles import pagecache
from articles.models import Category, SiteSettings


@pytest.fixture
def generation_reads(page_cache, monkeypatch):
    """How many times the shared cache is asked for the generation."""
    reads = []
    get = page_cache.get

    def counting_get(key, *args, **kwargs):
        if key == pagecache.GENERATION_KEY:
            reads.append(key)
        return get(key, *args, **kwargs)

    monkeypatch.setattr(page_cache, "get", counting_get)
    return reads


def test_site_wide_parts_follow_the_settings_and_menu(client, page_cache, category):
    assert category.name in client.get("/tin-tuc/").content.decode()
    site = SiteSettings.load()
    site.address = "12 đường Nguyễn Thị Định"
    site.save()
    Category.objects.create(name="Văn hóa - Xã hội")
    page = client.get("/gioi-thieu/").content.decode()
    assert "12 đường Nguyễn Thị Định" in page and "Văn hóa - Xã hội" in page


def test_a_site_wide_part_is_rendered_once_per_generation(db, page_cache):
    template = Template(
        '{% load wardnews %}{% sitewide "thu" %}{{ n }}{% endsitewide %}'
    )
    assert template.render(Context({"n": 1})) == "1"
    assert template.render(Context({"n": 2})) == "1"
    pagecache.bump_generation()
    assert template.render(Context({"n": 3})) == "3"


@pytest.mark.parametrize(
    "tag", ["{% sitewide %}", "{% sitewide ten %}", '{% sitewide "a" "b" %}']
)
def test_a_site_wide_part_needs_one_quoted_name(tag):
    with pytest.raises(TemplateSyntaxError):
        Template(f"{{% load wardnews %}}{tag}x{{% endsitewide %}}")


def test_a_page_reads_the_generation_once(client, generation_reads, make_article):
    make_article("Tin mới")
    # The page, its count, the menu and four site-wide parts, all computed.
    assert client.get("/tin-tuc/").status_code == 200
    assert len(generation_reads) == 1
    generation_reads.clear()
    assert client.get("/tin-tuc/?page=1").status_code == 200
    assert len(generation_reads) == 1


def test_a_change_during_a_request_is_seen_by_its_later_reads(db, page_cache):
    held = pagecache.request_generation.set([])
    try:
        assert pagecache.remember("thu", lambda: "cu") == "cu"
        pagecache.bump_generation()
        assert pagecache.remember("thu", lambda: "moi") == "moi"
    finally:
        pagecache.request_generation.reset(held)
