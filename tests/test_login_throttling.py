"""Admin login throttling: repeated failures lock one user name from one
address for a while, with a Vietnamese page and a log line."""

import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PASSWORD = "mat-khau-dai-123"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    # Dozens of logins per test: the production hasher's cost is not the point.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("bientap", "", PASSWORD)


def attempt(client, password, username="bientap", address="203.0.113.7"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_wrong_password_shows_the_normal_form_until_the_limit(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "sai")
        assert response.status_code == 200
        assert 'class="errornote"' in response.content.decode()


def test_lockout_after_the_limit_in_vietnamese(client, editor, settings, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(client, "sai")
    response = attempt(client, PASSWORD)  # even the right password now waits
    assert response.status_code == 429
    html = response.content.decode()
    assert "Tạm khóa đăng nhập" in html
    assert f"thử lại sau {settings.AXES_COOLOFF_TIME.seconds // 60} phút" in html
    assert "_auth_user_id" not in client.session
    assert any("Locking out" in record.getMessage() for record in caplog.records)
    assert AccessAttempt.objects.get(username="bientap").failures_since_start >= 5


def test_lockout_is_per_user_and_address(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "sai")
    # The same user from another address, and another user from the same
    # address, are not locked out.
    response = attempt(client, PASSWORD, address="198.51.100.20")
    assert response.status_code == 302
    client.logout()
    get_user_model().objects.create_superuser("thuky", "", PASSWORD)
    response = attempt(client, PASSWORD, username="thuky")
    assert response.status_code == 302


def test_lockout_ends_after_the_cool_off(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "sai")
    assert attempt(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC)
        - settings.AXES_COOLOFF_TIME
        - datetime.timedelta(minutes=1)
    )
    assert attempt(client, PASSWORD).status_code == 302


def test_success_resets_the_count(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "sai")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "sai")
    assert attempt(client, PASSWORD).status_code == 302


def test_code_that_logs_in_without_a_request_still_works(client, editor):
    # The test client (like management commands) authenticates with no
    # request; throttling applies to HTTP logins only.
    assert client.login(username="bientap", password=PASSWORD)


def test_behind_a_proxy_the_forwarded_address_is_counted(client, editor, settings):
    settings.WARDNEWS_PROXY_COUNT = 1
    proxy = "10.0.0.2"

    def through_proxy(password, forwarded):
        return client.post(
            LOGIN,
            {"username": "bientap", "password": password, "next": "/admin/"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        # The left part is the attacker's to choose; only the right one counts.
        through_proxy("sai", f"{_}.{_}.{_}.{_}, 203.0.113.9")
    assert through_proxy(PASSWORD, "203.0.113.9").status_code == 429
    # Another citizen behind the same proxy is not locked out.
    assert through_proxy(PASSWORD, "198.51.100.4").status_code == 302
