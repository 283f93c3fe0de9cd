"""A WSGI application with no Django in it, returning the bare page's bytes.

``bench/run.py`` serves it with the same gunicorn settings as the site, as
the ceiling of the server itself: no Python web framework can answer faster
through that server.
"""

from urllib.parse import parse_qs

from wardnews.bench import MAX_BYTES, static_html


def application(environ, start_response):
    raw = parse_qs(environ.get("QUERY_STRING", "")).get("bytes", [""])[0]
    size = int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_BYTES else 20_000
    body = static_html(size)
    start_response(
        "200 OK",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
        ],
    )
    return [body]
