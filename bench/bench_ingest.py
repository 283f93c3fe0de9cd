"""Photo ingest and gallery weight: how long a phone photo takes, how many
bytes a phone downloads for the first screen of the seed article.

    .venv/bin/python bench/bench_ingest.py
    .venv/bin/python bench/bench_ingest.py --batch 30 --repeat 5 --dpr 2

Works in a scratch folder (its own SQLite database and media), never in var/.
It measures

1. one 12-megapixel phone photo (4000 x 3000 JPEG with EXIF orientation 6 and
   GPS, about as noisy as a real one): ``images.process`` alone (verify,
   orient, strip, cap, three WebP renditions), ``--repeat`` times;
2. a batch of ``--batch`` such photos through ``photos_ingest`` into one
   article (pipeline, storage writes, rows), sequentially in one process;
3. the seed article of ``load_demo`` opened in Chromium at 390 px wide
   (``--dpr`` device pixel ratio) through ``runserver``: every response of
   the first screen (lazy images below it are not fetched) with its size.

It asserts nothing; the target is 0.5 s or less per photo on a 2-core machine.
"""

import argparse
import io
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = Path(tempfile.mkdtemp(prefix="wardnews-bench-ingest-"))
sys.path.insert(0, str(ROOT))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "wardnews.settings",
        "WARDNEWS_VAR_DIR": str(SCRATCH),
        "DJANGO_MEDIA_ROOT": str(SCRATCH / "media"),
        "DATABASE_URL": f"sqlite:///{SCRATCH / 'db.sqlite3'}",
    }
)

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from PIL import ExifTags, Image, ImageDraw, ImageFilter  # noqa: E402

from articles import images  # noqa: E402
from articles.demo import content  # noqa: E402
from articles.models import Article, Category  # noqa: E402
from articles.services import photos_ingest  # noqa: E402
from articles.vietnamese import slugify_vi  # noqa: E402


def phone_photo(seed: int = 0, width: int = 4000, height: int = 3000) -> bytes:
    """A JPEG shaped like a phone's: sensor noise, soft shapes, EXIF with
    orientation 6 and GPS, quality 92 (about 4-6 MB)."""
    noise = [Image.effect_noise((width, height), 28 + seed % 5) for _ in range(3)]
    base = Image.merge("RGB", noise)
    scene = Image.new("RGB", (width, height), (170, 150, 120))
    draw = ImageDraw.Draw(scene)
    rng = random.Random(seed)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse([x, y, x + 900, y + 700], fill=colour)
    # Detail that survives downscaling, as faces, chairs and banners do.
    for _ in range(6000):
        x, y = rng.randrange(width), rng.randrange(height)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.rectangle(
            [x, y, x + rng.randrange(4, 60), y + rng.randrange(4, 60)], fill=colour
        )
    scene = scene.filter(ImageFilter.GaussianBlur(1.5))
    image = Image.blend(scene, base, 0.18)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (10.0, 46.0, 30.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (106.0, 47.0, float(seed)),
        }
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, exif=exif.tobytes())
    return buffer.getvalue()


def single(repeat: int) -> None:
    data = phone_photo()
    images.process(data)  # warm-up: codecs loaded
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        processed = images.process(data)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    sizes = ", ".join(
        f"{r.width}w {len(r.content) / 1024:.0f} KiB" for r in processed.renditions
    )
    print(f"One 12-MP photo ({len(data) / 1e6:.1f} MB JPEG), images.process:")
    print(
        f"  median {statistics.median(times):.3f} s, best {min(times):.3f} s, "
        f"worst {max(times):.3f} s over {repeat} runs; "
        f"CPU time median {statistics.median(cpu):.3f} s"
    )
    print(f"  load average while measuring: {os.getloadavg()[0]:.1f}")
    print(
        f"  stored original {processed.width}x{processed.height} "
        f"{len(processed.content) / 1024:.0f} KiB; renditions {sizes}"
    )


def batch(count: int) -> None:
    category = Category.objects.get_or_create(name="Đo", slug="do")[0]
    article = Article.objects.create(title="Đo thời gian nhập ảnh", category=category)
    files = [
        SimpleUploadedFile(f"IMG_{n:04d}.JPG", phone_photo(seed=n))
        for n in range(count)
    ]
    megabytes = sum(f.size for f in files) / 1e6
    start, start_cpu = time.perf_counter(), time.process_time()
    results = photos_ingest(article=article, files=files)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - start_cpu
    stored = sum(r.status == "stored" for r in results)
    print(f"Batch of {count} photos ({megabytes:.0f} MB) through photos_ingest:")
    print(
        f"  {elapsed:.1f} s in all, {elapsed / count:.3f} s per photo, "
        f"{stored} stored; CPU time {cpu / count:.3f} s per photo"
    )
    print(
        "  (one process, one after another; the admin sends one photo per "
        "request, two at a time on PostgreSQL)"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def first_screen(dpr: float) -> None:
    call_command("load_demo", verbosity=0)
    slug = slugify_vi(content.SEED_TITLE)
    port = free_port()
    env = {**os.environ, "DJANGO_DEBUG": "1", "WARDNEWS_SERVE_MEDIA": "1"}
    server = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--nothreading",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                ],
            )
            page = browser.new_page(
                viewport={"width": 390, "height": 844}, device_scale_factor=dpr
            )
            responses = []
            page.on(
                "requestfinished",
                lambda request: responses.append(
                    (request.url, request.sizes()["responseBodySize"])
                ),
            )
            page.goto(f"http://127.0.0.1:{port}/tin-tuc/{slug}/")
            page.wait_for_load_state("networkidle")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    total = sum(size for _, size in responses)
    print(f"Seed article, first screen at 390 px (DPR {dpr:g}): {total / 1024:.0f} KiB")
    for url, size in responses:
        print(f"  {size / 1024:7.1f} KiB  {url.split(str(port), 1)[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", type=int, default=30)
    parser.add_argument("--dpr", type=float, default=2)
    parser.add_argument("--skip-browser", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"Scratch folder: {SCRATCH} ({os.cpu_count()} CPUs)")
    single(args.repeat)
    batch(args.batch)
    if not args.skip_browser:
        first_screen(args.dpr)


if __name__ == "__main__":
    main()
