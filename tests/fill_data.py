"""Shared data of the "Điền từ nội dung" tests: the seed report as a draft,
officials already on file, and what the review screen posts back."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from articles.models import Article, Attendance, Meeting, Official, Position

SEED = Path(__file__).parent.parent / "articles/demo/catlai-2024-07-05.txt"


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("bientap", "", "mat-khau-dai-123")
    client.force_login(user)
    return client


@pytest.fixture
def seed_article(make_article):
    body = "".join(f"<p>{line}</p>" for line in SEED.read_text().splitlines())
    return make_article(
        "Hội nghị Ban chấp hành", status=Article.Status.DRAFT, body=body
    )


@pytest.fixture
def officials(db):
    """Two of the seed's people already on file, one written differently."""
    nhai = Official.objects.create(full_name="nguyen  thi NHAI")
    Position.objects.create(
        official=nhai, title="Phó Bí thư Thường trực Đảng ủy phường"
    )
    hien = Official.objects.create(full_name="Nguyễn Đức Hiền")
    Position.objects.create(official=hien, title="Phó Chủ tịch UBND phường")
    return {"nhai": nhai, "hien": hien}


def fill_url(article=None):
    if article is None:
        return reverse("admin:articles_article_fill_new")
    return reverse("admin:articles_article_fill", args=[article.pk])


def _fields(form) -> dict:
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            data[bound.html_name] = "on"
            continue
        formatted = bound.field.widget.format_value(value)
        if isinstance(formatted, list):
            formatted = formatted[0] if formatted else ""
        data[bound.html_name] = "" if formatted is None else str(formatted)
    return data


def review_data(response) -> dict:
    """What the browser posts back from the review screen, as shown."""
    context = response.context
    data = {"step": "confirm", "text": context["text_form"]["text"].value()}
    data.update(_fields(context["meeting_form"]))
    formset = context["formset"]
    data.update(_fields(formset.management_form))
    for form in formset.forms:
        data.update(_fields(form))
    if context.get("article_form") is not None:
        data.update(_fields(context["article_form"]))
    return data


def nothing_saved():
    return not Meeting.objects.exists() and not Attendance.objects.exists()
