"""``manage.py seed_bench``: the city-sized ward the benchmarks run on."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from articles import search
from articles.management.commands.seed_bench import HEAVY_SLUG, SLUG_PREFIX
from articles.models import Article, Official

pytestmark = pytest.mark.django_db


def test_seed_bench_creates_searchable_reports_of_the_asked_sizes():
    call_command("seed_bench", articles=60, officials=40, verbosity=0)
    bench = Article.objects.filter(slug__startswith=SLUG_PREFIX)
    assert bench.count() == 60
    assert Official.objects.filter(slug__startswith=SLUG_PREFIX).count() == 40
    reports = bench.filter(meeting__isnull=False).annotate(
        people=Count("attendances", distinct=True),
        pictures=Count("photos", distinct=True),
    )
    assert reports.exists()
    for report in reports:
        assert 10 <= report.people <= 40
        assert 10 <= report.pictures <= 60
    heavy = reports.get(slug=HEAVY_SLUG)
    assert (heavy.people, heavy.pictures) == (40, 60)
    # Bulk inserts send no signals; the command indexes what it made.
    found = Article.objects.published().search(search.parse_query("hoi nghi"))
    assert set(found) & set(bench.values_list("pk", flat=True))


def test_seed_bench_refuses_a_database_it_already_filled():
    call_command("seed_bench", articles=5, officials=40, verbosity=0)
    with pytest.raises(CommandError, match="đã có bài mẫu"):
        call_command("seed_bench", articles=5, officials=40, verbosity=0)


@pytest.mark.parametrize(
    ("articles", "officials", "message"),
    [(0, 500, "Số bài"), (10, 5, "Số cán bộ"), (10, 10**6, "Số cán bộ")],
)
def test_seed_bench_explains_bad_sizes(articles, officials, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed_bench", articles=articles, officials=officials)
    assert not Article.objects.exists()
