#!/usr/bin/env python
"""Measure public pages against a bare Django page, on SQLite and PostgreSQL.

    .venv/bin/python bench/run.py --articles 10000            # both databases
    .venv/bin/python bench/run.py --articles 1000 --db sqlite --duration 5

For each database: seed a dedicated database once (``seed_bench``), count the
queries and bytes of every page with Django's test client, then start gunicorn
(2 sync workers, DEBUG off, persistent connections) on 127.0.0.1 and drive
each page with ``wrk`` (Debian package ``wrk``): first with the page cache
off, then on. The bare page (``/_bench/bare/``, same size as the seed
article) goes through the same middleware and is the ceiling for the ratios.
Nothing here leaves the machine; every run is bounded by ``--duration``.
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULTS = ROOT / "bench" / "results"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(db: str, articles: int) -> dict:
    env = dict(os.environ)
    var = ROOT / "var" / "bench" / f"{db}-{articles}"
    var.mkdir(parents=True, exist_ok=True)
    env.update(
        WARDNEWS_VAR_DIR=str(var),
        DJANGO_MEDIA_ROOT=str(var / "media"),
        DJANGO_STATIC_ROOT=str(ROOT / "var" / "bench" / "static"),
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-only-secret-key-not-for-production-000000000000",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_CONN_MAX_AGE="600",
        WARDNEWS_BENCH="1",
        WARDNEWS_SERVE_MEDIA="0",
        WARDNEWS_PAGE_CACHE_SECONDS="0",
        # Plain HTTP on loopback: no redirect to HTTPS.
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
    )
    env.pop("REDIS_URL", None)
    if db == "postgres":
        name = f"wardnews_bench_{articles}"
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        env.pop("DATABASE_URL", None)
    return env


def manage(env, *args, capture=False):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )


def prepare(db: str, articles: int, env: dict) -> None:
    if db == "postgres":
        name = env["DATABASE_URL"].rsplit("/", 1)[1]
        exists = subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-tAc",
                f"SELECT 1 FROM pg_database WHERE datname='{name}'",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not exists:
            subprocess.run(
                [
                    "psql",
                    "-q",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "-c",
                    f"CREATE DATABASE {name}",
                ],
                check=True,
            )
    marker = Path(env["WARDNEWS_VAR_DIR"]) / "seeded"
    manage(env, "migrate", "--noinput", "-v0")
    if not marker.exists():
        started = time.monotonic()
        manage(env, "seed_bench", "--articles", str(articles))
        marker.write_text(f"{time.monotonic() - started:.0f}\n")
        if db == "postgres":
            subprocess.run(
                [
                    "psql",
                    "-q",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "-d",
                    env["DATABASE_URL"].rsplit("/", 1)[1],
                    "-c",
                    "VACUUM ANALYZE",
                ],
                check=True,
            )
    static = Path(env["DJANGO_STATIC_ROOT"]) / "staticfiles.json"
    if not static.exists():
        manage(env, "collectstatic", "--noinput", "-v0")


MEASURE = r"""
import io
import json
import socket
import time
from urllib.parse import urlsplit
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from articles.management.commands.seed_bench import HEAVY_SLUG, SLUG_PREFIX
from articles.models import Article, Official
from articles.pagination import encode_cursor
from wardnews.wsgi import application

published = Article.objects.published().newest_first()
total = published.count()
deep_page = max(2, (total // 12) // 2)
edge = published[(deep_page - 1) * 12 - 1]
seed = Article.objects.exclude(slug__startswith=SLUG_PREFIX).filter(
    meeting__isnull=False).order_by("publish_at").first()
official = Official.objects.filter(slug__startswith=SLUG_PREFIX).order_by("id").first()
pages = [
    ("home", "/"),
    ("list, first page", "/tin-tuc/"),
    (f"list, page {deep_page} (link)",
     f"/tin-tuc/?page={deep_page}&sau={encode_cursor(edge)}"),
    (f"list, page {deep_page} (typed)", f"/tin-tuc/?page={deep_page}"),
    ("meeting list", "/hoi-nghi/"),
    ("seed article", seed.get_absolute_url()),
    # A link shared on Facebook or Zalo: wrk sends a new fbclid each time.
    ("seed article, shared link", seed.get_absolute_url() + "?fbclid=IwAR0&zarsrc=31"),
    ("heavy article", f"/tin-tuc/{HEAVY_SLUG}/"),
    ("official", official.get_absolute_url()),
]
try:
    pages.append(("search", reverse("articles:search") + "?q=h%E1%BB%99i+ngh%E1%BB%8B"))
except NoReverseMatch:
    pass
client = Client()
out = []
def served(url):
    # Through the WSGI application gunicorn runs, page-cache hits answered
    # in front of Django, as a server calls it.
    parts = urlsplit(url)
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query, "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1", "SCRIPT_NAME": "", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(), "wsgi.errors": io.StringIO(),
    }
    body = application(environ, lambda status, headers, exc_info=None: None)
    b"".join(body)
    if hasattr(body, "close"):
        body.close()
def ms_per_request(url, batches=5, size=20, clock=time.process_time):
    # CPU time by default, wall time with clock=time.perf_counter.
    # The best of a few batches: a garbage collection or a first read of
    # something in one batch is not the page's cost.
    for _ in range(3):
        served(url)
    best = None
    for _ in range(batches):
        started = clock()
        for _ in range(size):
            served(url)
        spent = (clock() - started) / size
        best = spent if best is None else min(best, spent)
    return best * 1000
for name, url in pages:
    client.get(url)  # warm caches that live for the process (templates, urls)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    out.append({"name": name, "url": url, "status": response.status_code,
                "queries": len(queries), "bytes": len(response.content),
                "cpu_ms": ms_per_request(url)})
seed_bytes = next(p["bytes"] for p in out if p["name"] == "seed article")
bare = ms_per_request(f"/_bench/bare/?bytes={seed_bytes}")
from django.conf import settings
settings.WARDNEWS_PAGE_CACHE_SECONDS = 600  # now served from the page cache
for page in out:
    page["hit_cpu_ms"] = ms_per_request(page["url"])  # the first read stores it
# The shared cache out of reach (Redis stopped): every page from the
# database, counts and frames included. Wall time, the database's own
# time being most of it.
with socket.socket() as sock:
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]  # nothing listens there once closed
down = {"BACKEND": "wardnews.cache.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/0"}
with override_settings(CACHES={"default": down}):
    for page in out:
        page["down_ms"] = ms_per_request(
            page["url"], batches=3, size=5, clock=time.perf_counter)
print("JSON" + json.dumps({"total": total, "pages": out, "bare_cpu_ms": bare}))
"""


def measure(env) -> dict:
    result = manage(env, "shell", "-c", MEASURE, capture=True)
    line = next(x for x in result.stdout.splitlines() if x.startswith("JSON"))
    return json.loads(line[4:])


def start_server(env, port, args, app="wardnews.wsgi", ready="/healthz"):
    log = open(Path(env["WARDNEWS_VAR_DIR"]) / "gunicorn.log", "a")  # noqa: SIM115
    workers = ["-w", str(args.workers)]
    if args.threads:
        workers += ["-k", "gthread", "--threads", str(args.threads)]
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            app,
            *workers,
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "--graceful-timeout",
            "5",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{ready}", timeout=2)
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not start; see gunicorn.log")


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


# Every request of a shared link carries a click id of its own, as a link
# shared on Facebook or Zalo does.
NEW_CLICK_ID = """
local clicks = 0
request = function()
  clicks = clicks + 1
  return wrk.format(nil, (wrk.path:gsub("fbclid=[^&]*", "fbclid=IwAR" .. clicks)))
end
"""


def wrk(url, duration, connections, script=None) -> dict:
    command = ["wrk", "-t1", *(["-s", script] if script else []), "--latency"]
    subprocess.run([*command, "-c2", "-d1s", url], capture_output=True, timeout=30)
    out = subprocess.run(
        [*command, f"-c{connections}", f"-d{duration}s", url],
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=True,
    ).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])}
    for pct in ("50", "99"):
        match = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        result[f"p{pct}"] = float(match[1]) * UNITS[match[2]] if match else None
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["errors"] = int(errors[1]) if errors else 0
    return result


def run_wrk_set(env, pages, bare_bytes, args, cached):
    port = free_port()
    env = dict(env)
    if cached:
        env["WARDNEWS_PAGE_CACHE_SECONDS"] = "600"
        if args.redis:
            env["REDIS_URL"] = args.redis
            env["WARDNEWS_CACHE_PREFIX"] = f"bench-{os.getpid()}-{time.time_ns()}"
    plain_port = free_port()
    plain = start_server(env, plain_port, args, "bench.plain_wsgi:application", "/")
    try:
        plain_row = wrk(
            f"http://127.0.0.1:{plain_port}/?bytes={bare_bytes}",
            args.duration,
            args.connections,
        )
    finally:
        stop(plain)
    server = start_server(env, port, args)
    try:
        # The machine is shared: measure the bare page right before each page
        # and take each ratio against that neighbour, not one early number.
        rows, bares = [], []
        clicks = Path(env["WARDNEWS_VAR_DIR"]) / "new-click-id.lua"
        clicks.write_text(NEW_CLICK_ID)
        bare_url = f"http://127.0.0.1:{port}/_bench/bare/?bytes={bare_bytes}"
        for page in pages:
            bare = wrk(bare_url, args.duration, args.connections)
            bares.append(bare)
            row = wrk(
                f"http://127.0.0.1:{port}{page['url']}",
                args.duration,
                args.connections,
                script=str(clicks) if "fbclid=" in page["url"] else None,
            )
            rows.append({**page, **row, "ratio": row["rps"] / bare["rps"]})
        ceiling = {
            key: sum(b[key] or 0 for b in bares) / len(bares)
            for key in ("rps", "p50", "p99")
        }
        ceiling["errors"] = sum(b["errors"] for b in bares)
        ceiling["ratio"] = 1.0
        plain_row.update(
            name="plain WSGI app, no Django",
            ratio=plain_row["rps"] / ceiling["rps"],
            queries=0,
            bytes=bare_bytes,
        )
        return ceiling, [plain_row, *rows]
    finally:
        stop(server)


def stop(server):
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=15)


def table(title, ceiling, rows, show_queries=True) -> str:
    lines = [title, ""]
    header = f"{'page':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'× bare':>8}"
    if show_queries:
        header += f"{'queries':>9}{'bytes':>9}{'CPU ms':>8}{'× bare':>8}"
        header += f"{'hit CPU':>9}{'× bare':>8}{'down ms':>9}"
    lines.append(header)
    lines.append("-" * len(header))

    def fmt(name, row, queries="", size=""):
        line = (
            f"{name:<28}{row['rps']:>9.0f}{row['p50'] or 0:>9.1f}"
            f"{row['p99'] or 0:>9.1f}{row['ratio']:>8.2f}"
        )
        if show_queries:
            line += f"{queries!s:>9}{size!s:>9}"
            if row.get("cpu_ms"):
                cpu_ratio = ceiling["cpu_ms"] / row["cpu_ms"]
                line += f"{row['cpu_ms']:>8.2f}{cpu_ratio:>8.2f}"
            if row.get("hit_cpu_ms"):
                hit_ratio = ceiling["cpu_ms"] / row["hit_cpu_ms"]
                line += f"{row['hit_cpu_ms']:>9.2f}{hit_ratio:>8.2f}"
            if row.get("down_ms"):
                line += f"{row['down_ms']:>9.1f}"
        if row.get("errors"):
            line += f"  ({row['errors']} non-2xx)"
        return line

    lines.append(fmt("bare Django page (mean)", ceiling, 0, ""))
    for row in rows:
        lines.append(fmt(row["name"], row, row["queries"], row["bytes"]))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads",
        type=int,
        default=0,
        help="gthread workers with this many threads (keep-alive); 0: sync workers",
    )
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379/14",
        help="Redis for the cached run ('' for the cache files of one machine)",
    )
    parser.add_argument("--no-cached", action="store_true")
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="queries, bytes and CPU time per page only (no gunicorn, no wrk)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = []
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        env = base_env(db, args.articles)
        prepare(db, args.articles, env)
        measured = measure(env)
        pages = measured["pages"]
        bad = [p for p in pages if p["status"] != 200]
        if bad:
            raise SystemExit(f"pages not 200: {bad}")
        bare = next(p["bytes"] for p in pages if p["name"] == "seed article")
        kind = f"gthread x {args.threads} threads" if args.threads else "sync"
        title = (
            f"{db}, {args.articles} articles ({measured['total']} published), "
            f"gunicorn {args.workers} {kind} workers, wrk -c{args.connections} "
            f"{args.duration}s, bare page {bare} bytes"
        )
        if args.measure_only:
            ceiling = {"rps": 0, "p50": 0, "p99": 0, "ratio": 1.0, "errors": 0}
            rows = [{**p, "rps": 0, "p50": 0, "p99": 0, "ratio": 0} for p in pages]
        else:
            ceiling, rows = run_wrk_set(env, pages, bare, args, cached=False)
        ceiling["cpu_ms"] = ceiling["hit_cpu_ms"] = measured["bare_cpu_ms"]
        report.append(table(f"UNCACHED — {title}", ceiling, rows))
        print(report[-1], "\n", flush=True)
        if not args.no_cached and not args.measure_only:
            backend = "Redis" if args.redis else "cache files"
            uncached_pages = [
                {**p, "cpu_ms": None, "hit_cpu_ms": None, "down_ms": None}
                for p in pages
            ]
            ceiling, rows = run_wrk_set(env, uncached_pages, bare, args, cached=True)
            report.append(table(f"CACHED ({backend}) — {title}", ceiling, rows))
            print(report[-1], "\n", flush=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"{stamp}-{args.db}-{args.articles}.txt"
    out.write_text("\n\n".join(report) + "\n")
    print(f"saved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
