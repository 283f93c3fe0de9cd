"""A bare Django page for benchmarks: the ceiling the real pages are measured
against (bench/README.md). Routed only when WARDNEWS_BENCH is on."""

from functools import lru_cache

from django.http import HttpResponse

MAX_BYTES = 2_000_000


@lru_cache(maxsize=32)
def static_html(size: int) -> bytes:
    head = b'<!doctype html><html lang="vi"><head><meta charset="utf-8">'
    head += "<title>Trang tĩnh</title></head><body><main>".encode()
    tail = b"</main></body></html>"
    filler = "<p>Trang tĩnh dùng để so sánh hiệu năng.</p>".encode()
    body = (filler * (size // len(filler) + 1))[: max(0, size - len(head) - len(tail))]
    return head + body + tail


def bare_page(request):
    """Static HTML of ``?bytes=N`` bytes, through the full middleware stack."""
    raw = request.GET.get("bytes", "")
    size = int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_BYTES else 20_000
    return HttpResponse(static_html(size), content_type="text/html; charset=utf-8")
