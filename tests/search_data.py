"""The articles search tests read: the seed report with its meeting and
attendees, an unrelated article, and the titles a query finds. Registered
for every test module by ``tests/conftest.py``."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.demo import content
from articles.models import Attendance, Meeting

SEARCH_URL = reverse("articles:search")


@pytest.fixture
def seed(make_article, make_official, organization):
    """The Cát Lái report as published: sapo, body, meeting and attendees."""
    summary, *body = content.seed_paragraphs()
    article = make_article(
        content.SEED_TITLE,
        summary=summary,
        body="".join(f"<p>{paragraph}</p>" for paragraph in body),
        publish_at=timezone.now() - datetime.timedelta(days=30),
    )
    Meeting.objects.create(
        article=article,
        organization=organization,
        name="Hội nghị Ban chấp hành Đảng bộ phường",
        session_number=21,
        term_number=6,
        term_start_year=2020,
        term_end_year=2025,
    )
    officials = {name: make_official(name, *[t for t, _ in positions])
                 for name, positions in content.OFFICIALS}  # fmt: skip
    for order, (name, positions, role, is_official) in enumerate(
        content.SEED_ATTENDANCES, start=1
    ):
        Attendance.objects.create(
            article=article,
            official=officials[name] if is_official else None,
            name=name,
            positions=positions,
            role=role,
            order=order,
        )
    return article


@pytest.fixture
def other(make_article):
    """An unrelated published article, so "found everything" is not a pass."""
    return make_article(
        "Ra quân tổng vệ sinh môi trường",
        summary="Khu phố 3 ra quân dọn vệ sinh, phòng chống sốt xuất huyết.",
        body="<p>Người dân cùng tham gia thu gom rác thải.</p>",
    )


def hits(client, q, **params) -> list[str]:
    """Titles on the results page for ``q``, in order."""
    response = client.get(SEARCH_URL, {"q": q, **params})
    assert response.status_code == 200
    return [article.title for article in response.context["page_obj"].object_list]
