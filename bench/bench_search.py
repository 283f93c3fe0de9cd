"""Search at ward-archive scale: index build time and query latency.

    DATABASE_URL=sqlite:////tmp/bench-search.sqlite3 \\
        .venv/bin/python bench/bench_search.py --articles 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wardnews_bench \\
        .venv/bin/python bench/bench_search.py --articles 100000

Point DATABASE_URL at a scratch database: the script migrates it and, with
``--fresh`` (the default when it holds fewer articles than asked), deletes
every article in it. It then

1. bulk-inserts N published articles of Vietnamese-like text (sentences
   drawn from the seed report's vocabulary, names, abbreviations) without
   search columns, and reports the time;
2. times ``search.rebuild()`` — the index build: folding in Python, the
   column update, and the database's own full-text index (GIN, or FTS5);
3. runs 20 representative queries through the real results page
   (``/tim-kiem/?q=``: count, first page, highlighting, template) and through
   the database part alone (count + first page), ``--repeat`` times each
   after a warm-up, and prints p50/p95/max in milliseconds.

It asserts nothing; record the numbers in bench/README.md.
"""

import argparse
import itertools
import os
import random
import statistics
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wardnews.settings")
os.environ["WARDNEWS_PAGE_CACHE_SECONDS"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles import search  # noqa: E402
from articles.demo import content  # noqa: E402
from articles.models import Article, Category  # noqa: E402

QUERIES = [
    "dang bo cat lai",
    "Đảng bộ phường",
    "nguyen thi nhai",
    "NGUYỄN THỊ NHÀI",
    "UBND",
    "ủy ban nhân dân phường",
    "hội nghị ban chấp hành",
    "khoá VI nhiệm kỳ",
    "an ninh trat tu",
    "tiếp công dân",
    "phong chong dich benh",
    "hien mau tinh nguyen",
    "MTTQ",
    "ve sinh moi truong",
    "bao cao so ket 6 thang",
    "thu duc",
    "chi bo khu pho",
    "dan van kheo",
    "phuong",
    "cat la",
]

NAMES = [
    "Nguyễn Thị Nhài", "Đặng Thị Bích Thuận", "Huỳnh Thị Ngọc Bích",
    "Nguyễn Đức Hiền", "Trần Quốc Dũng", "Lê Thị Thu Hà", "Phạm Văn Hùng",
    "Võ Thị Mai", "Hoàng Minh Tuấn", "Bùi Thị Lan",
]  # fmt: skip
PHRASES = [
    "UBND phường", "Ủy ban nhân dân phường", "HĐND phường", "UB MTTQ phường",
    "Mặt trận Tổ quốc", "Ban Chấp hành Đảng bộ", "BCH Đoàn phường",
    "TP. Thủ Đức", "thành phố Thủ Đức", "khu phố 3", "công an phường",
    "hiến máu tình nguyện", "phòng chống dịch bệnh", "tiếp công dân",
    "vệ sinh môi trường", "an toàn giao thông", "cải cách hành chính",
    "khoá VI", "khóa VI", "uỷ viên", "ủy viên", "hoà giải", "hòa giải",
]  # fmt: skip


ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng",
          "nh", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"]  # fmt: skip
RHYMES = ["a", "ai", "am", "an", "ang", "anh", "ao", "âm", "ân", "âu", "ăn", "ăng",
          "e", "em", "en", "eo", "ê", "ên", "ênh", "i", "im", "in", "inh", "o", "oa",
          "oan", "oi", "om", "on", "ong", "ô", "ôi", "ông", "ơ", "ơi", "ơn", "u", "ui",
          "un", "ung", "uy", "uyên", "ư", "ưa", "ưng", "ươc", "ương", "y"]  # fmt: skip
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Real words from the seed report and the extraction corpus, most
    frequent first, then made-up syllables; Zipf-like weights, so common
    words are in most articles and names in few."""
    root = Path(__file__).resolve().parent.parent
    counts: dict[str, int] = {}
    files = [content.SEED_FILE, *sorted((root / "tests/extract_corpus").glob("*.txt"))]
    for path in files:
        for word in path.read_text("utf-8").split():
            word = word.strip('.,;:()–-"“”')
            if word and not any(ch.isdigit() for ch in word):
                counts[word.lower()] = counts.get(word.lower(), 0) + 1
    words = sorted(counts, key=counts.get, reverse=True)
    made_up = {
        unicodedata.normalize("NFC", onset + rhyme[0] + tone + rhyme[1:])
        for onset in ONSETS
        for rhyme in RHYMES
        for tone in TONES
    }
    words += sorted(made_up - set(words))
    rng.shuffle(words[200:])
    weights = [1 / (rank + 10) for rank in range(len(words))]
    return words, weights


class TextMaker:
    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        self.words, self.weights = vocabulary(self.rng)
        self.cumulative = list(itertools.accumulate(self.weights))

    def sentence(self, low: int, high: int) -> str:
        rng = self.rng
        count = rng.randint(low, high)
        words = rng.choices(self.words, cum_weights=self.cumulative, k=count)
        if rng.random() < 0.15:
            words.insert(rng.randrange(len(words)), rng.choice(PHRASES))
        if rng.random() < 0.03:
            words.insert(rng.randrange(len(words)), rng.choice(NAMES))
        text = " ".join(words)
        return text[0].upper() + text[1:]

    def article(self) -> dict:
        title = self.sentence(6, 14)
        summary = self.sentence(20, 35) + "."
        body = "".join(
            f"<p>{self.sentence(25, 45)}. {self.sentence(15, 30)}.</p>"
            for _ in range(self.rng.randint(3, 6))
        )
        return {"title": title, "summary": summary, "body": body}


def insert_articles(count: int) -> float:
    category, _ = Category.objects.get_or_create(
        slug="bench", defaults={"name": "Bench"}
    )
    maker = TextMaker()
    now = timezone.now()
    started = time.perf_counter()
    batch = []
    for index in range(count):
        fields = maker.article()
        batch.append(
            Article(
                **fields,
                slug=f"bench-{index}",
                category=category,
                status=Article.Status.PUBLISHED,
                publish_at=now - timezone.timedelta(minutes=7 * (count - index)),
            )
        )
        if len(batch) == 2000:
            with transaction.atomic():
                Article.objects.bulk_create(batch)
            batch = []
            reset_queries()
    if batch:
        Article.objects.bulk_create(batch)
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


CPU_TIMES: dict[str, list[float]] = {}


def timed(function, repeat: int, label: str = "") -> list[float]:
    """Wall milliseconds of ``repeat`` runs after a warm-up; this process's
    CPU milliseconds go to CPU_TIMES[label] (all of the work on SQLite, the
    Python side only on PostgreSQL), the fairer figure on a busy machine."""
    function()  # warm-up
    times = []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        function()
        times.append((time.perf_counter() - started) * 1000)
        CPU_TIMES.setdefault(label, []).append((time.process_time() - cpu) * 1000)
        reset_queries()
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="reuse existing rows")
    args = parser.parse_args()
    settings.DEBUG = False

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    print(f"database: {vendor}, articles asked: {args.articles}")
    existing = Article.objects.count()
    if not (args.keep and existing >= args.articles):
        Article.objects.all().delete()
        seconds = insert_articles(args.articles)
        print(f"bulk insert:        {seconds:8.1f} s")
        started = time.perf_counter()
        indexed = search.rebuild(batch_size=1000)
        seconds = time.perf_counter() - started
        print(f"index build:        {seconds:8.1f} s  ({indexed} articles)")
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE articles_article")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
                cursor.execute(
                    f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}) "
                    "VALUES ('optimize')"
                )

    client = Client()
    published = Article.objects.published()
    page_times, db_times = [], []
    print(f"{'query':28} {'hits':>7} {'db p50':>8} {'page p50':>9}")
    for q in QUERIES:
        query = search.parse_query(q)

        def db_work(query=query):
            ids = published.search(query)
            search.results_page(ids[:10])

        def page(q=q):
            response = client.get("/tim-kiem/", {"q": q})
            assert response.status_code == 200

        hits = len(published.search(query))
        db = timed(db_work, args.repeat, "db (count + page)")
        full = timed(page, args.repeat, "results page")
        db_times += db
        page_times += full
        print(
            f"{q[:28]:28} {hits:7d} {statistics.median(db):8.1f}"
            f" {statistics.median(full):9.1f}"
        )
    for label, values in (
        ("db (count + page)", db_times),
        ("results page", page_times),
    ):
        print(
            f"{label:20} p50 {percentile(values, 0.5):7.1f} ms"
            f"  p95 {percentile(values, 0.95):7.1f} ms"
            f"  max {max(values):7.1f} ms  (n={len(values)})"
        )
        cpu = CPU_TIMES[label]
        print(
            f"{'':20} CPU p50 {percentile(cpu, 0.5):7.1f} ms"
            f"  p95 {percentile(cpu, 0.95):7.1f} ms  (this process)"
        )
    print(f"load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
