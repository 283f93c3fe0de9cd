"""Browser tests: Playwright for Python driving Debian's Chromium.

On a machine without /usr/bin/chromium they are skipped with a reason; in CI
(CI=true) a missing browser is an error, not a skip.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("WARDNEWS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_missing_reason() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _chromium_missing_reason()
    for item in items:
        if "tests/e2e/" not in str(item.fspath).replace(os.sep, "/"):
            continue
        item.add_marker(pytest.mark.e2e)
        if reason and not os.environ.get("CI"):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    reason = _chromium_missing_reason()
    if reason:
        pytest.fail(f"Browser tests must run in CI: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """Save a full-page PNG under tests/e2e/screenshots/ (git-ignored)."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name: str, *, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def admin_login(page, live_server, django_user_model):
    """Log a fresh superuser into the admin in the browser page."""

    def login(username="bientap", password="mat-khau-dai-123"):
        django_user_model.objects.create_superuser(username, "", password)
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")

    return login


@pytest.fixture
def demo_site(live_server, transactional_db):
    """The live server with the demo ward loaded (``python manage.py load_demo``)."""
    from django.core.management import call_command

    call_command("load_demo", stdout=open(os.devnull, "w"))
    return live_server


def wait_until(page, predicate: str, *, timeout_ms: int = 15_000) -> None:
    """Poll a JavaScript arrow function until it returns a truthy value.

    Playwright's ``wait_for_function`` builds its predicate with eval inside
    the page, which our Content-Security-Policy refuses; ``evaluate`` is not
    subject to it.
    """
    for _ in range(max(1, timeout_ms // 100)):
        if page.evaluate(predicate):
            return
        page.wait_for_timeout(100)
    pytest.fail(f"Timed out waiting for {predicate}")
