"""Shared data of the "Điền từ nội dung" tests: the seed report as a draft
and what the review screen posts back."""

from pathlib import Path

import pytest
from django.urls import reverse

from articles.models import Article, Attendance, Meeting
from tests.adminform import form_fields

SEED = Path(__file__).parent.parent / "articles/demo/catlai-2024-07-05.txt"


@pytest.fixture
def seed_article(make_article):
    body = "".join(f"<p>{line}</p>" for line in SEED.read_text().splitlines())
    return make_article(
        "Hội nghị Ban chấp hành", status=Article.Status.DRAFT, body=body
    )


def fill_url(article=None):
    if article is None:
        return reverse("admin:articles_article_fill_new")
    return reverse("admin:articles_article_fill", args=[article.pk])


def review_data(response) -> dict:
    """What the browser posts back from the review screen, as shown."""
    context = response.context
    data = {"step": "confirm", "text": context["text_form"]["text"].value()}
    data.update(form_fields(context["meeting_form"]))
    formset = context["formset"]
    data.update(form_fields(formset.management_form))
    for form in formset.forms:
        data.update(form_fields(form))
    if context.get("article_form") is not None:
        data.update(form_fields(context["article_form"]))
    return data


def nothing_saved():
    return not Meeting.objects.exists() and not Attendance.objects.exists()
