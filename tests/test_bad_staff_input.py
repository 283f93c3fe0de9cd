"""Bad input in the admin: a form error in Vietnamese or a 4xx, never a
500, and what was typed is kept. Staff send by hand what no screen offers
(an id of ``abc``, a year past the calendar) as often as they mistype."""

import datetime

import pytest
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from articles.models import Article, Category
from tests.test_admin import article_form, inline_management
from tests.test_bad_input import made_up, urls

pytestmark = pytest.mark.django_db


IMPOSSIBLE_KEYS = ["abc", "999999", "1.5", "99999999999999999999"]


@pytest.mark.parametrize("value", IMPOSSIBLE_KEYS)
def test_an_impossible_official_is_refused_and_the_rest_kept(
    admin_client,
    people,
    value,
):
    data = article_form(**people, **{"attendances-0-official": value})
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in html
    assert f'<option value="{people["hien"].pk}" selected>' in html
    assert not Article.objects.exists()


@pytest.mark.parametrize("value", IMPOSSIBLE_KEYS)
def test_every_search_box_refuses_an_impossible_key(
    admin_client,
    people,
    value,
):
    """A value no row can have, sent by hand to any of the admin's search
    boxes for a related row, is a form error, not a server error."""
    forms = [
        (
            "admin:articles_article_add",
            article_form(**people, **{"meeting-0-organization": value}),
        ),
        ("admin:articles_organization_add", {"name": "Chi bộ", "kind": "party",
                                             "parent": value, "order": "0"}),
        (
            "admin:articles_official_add",
            {
                "full_name": "Huỳnh Thị Ngọc Bích",
                "slug": "",
                "bio": "",
                **inline_management("positions", 1),
                "positions-0-title": "Bí thư Đảng ủy phường",
                "positions-0-organization": value,
                "positions-0-order": "0",
            },
        ),
    ]  # fmt: skip
    for url, data in forms:
        response = admin_client.post(reverse(url), data)
        assert response.status_code == 200, url
        assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode(), url


def test_impossible_ids_and_years_in_staff_addresses(admin_client):
    """Addresses staff never type but may be sent: an official's printed
    line or an article's revision by an id no row can have, a year past
    the calendar in a list's dates. Answered as Django answers ``abc``
    there, not with a 500."""
    for value in IMPOSSIBLE_KEYS + ["%00", "1/2"]:
        url = f"/admin/articles/official/{value}/printed/"
        response = admin_client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"error": "not found"}
    for url in [
        "/admin/articles/article/?publish_at__year=abc",  # Django's own refusal
        "/admin/articles/article/?publish_at__year=99999999999999999999",
        "/admin/articles/article/?publish_at__year=2024&publish_at__month=" + "9" * 20,
        "/admin/articles/article/?publish_at__year=9999",  # ends in year 10000
        "/admin/articles/article/?publish_at__year=1",  # begins in year 0 in UTC
        "/admin/articles/article/?updated_at__year=2147483648",
        "/admin/articles/article/?updated_at__year=0",
        "/admin/articles/auditentry/?created_at__year=99999999999999999999",
    ]:
        response = admin_client.get(url, follow=True)
        # Refused as Django refuses ?publish_at__year=abc, with a word, or
        # shown where the database can hold the date (year 1 in PostgreSQL).
        assert response.status_code == 200, url
        if response.redirect_chain:
            assert response.redirect_chain[-1][0].endswith("?e=1")
            assert "Bộ lọc trong địa chỉ không đọc được" in response.content.decode()
    response = admin_client.get("/admin/articles/article/x/history/1/")
    assert response.status_code == 404


def test_actions_on_impossible_rows(admin_client, make_article):
    """Rows ticked for an action by keys no row can have are left out: the
    action runs on the others, or Django says that rows must be ticked."""
    draft = make_article("Bản nháp", status=Article.Status.DRAFT)
    for url in [
        "/admin/articles/article/",
        "/admin/articles/official/",
        "/admin/auth/group/",
        "/admin/auth/user/",
        "/admin/axes/accessattempt/",
    ]:
        for action in ["delete_selected", "make_published"]:
            data = {"action": action, "_selected_action": IMPOSSIBLE_KEYS}
            for sent in ({**data, "index": "0"}, {**data, "post": "yes"}):
                response = admin_client.post(url, sent)
                assert response.status_code in (200, 302), url
    response = admin_client.post(
        "/admin/articles/article/",
        {
            "action": "make_published",
            "_selected_action": [*IMPOSSIBLE_KEYS, str(draft.pk)],
            "index": "0",
        },
        follow=True,
    )
    assert "Đã duyệt đăng 1 bài." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED


def test_every_admin_of_the_site_refuses_impossible_input():
    """The site's own admins and their inlines, the accounts' and roles',
    and the sign-in logs' use ``StaffInputMixin``; one added later without
    it fails here."""
    from django.contrib import admin

    from articles.input_admin import StaffInputMixin

    ours = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"articles", "auth", "axes"}
    }
    assert len(ours) >= 12
    for model, model_admin in ours.items():
        assert isinstance(model_admin, StaffInputMixin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, StaffInputMixin), inline


staff_templates = st.sampled_from(
    [
        "/admin/articles/article/",
        "/admin/articles/article/{}/change/",
        "/admin/articles/article/{}/history/",
        "/admin/articles/article/{}/history/compare/",
        "/admin/articles/article/{}/history/{}/",
        "/admin/articles/article/{}/dien-tu-noi-dung/",
        "/admin/articles/article/{}/delete/",
        "/admin/articles/article/recover/{}/",
        "/admin/articles/official/",
        "/admin/articles/official/{}/change/",
        "/admin/articles/official/{}/printed/",
        "/admin/articles/organization/{}/change/",
        "/admin/articles/auditentry/",
        "/admin/auth/user/{}/change/",
        "/admin/autocomplete/",
        "/admin/r/{}/{}/",
    ]
)
staff_query_name = st.sampled_from(
    [
        "q",
        "o",
        "p",
        "e",
        "publish_at__year",
        "publish_at__month",
        "publish_at__day",
        "publish_at__gte",
        "status__exact",
        "category__id__exact",
        "featured__exact",
        "trang_thai",
        "created_at__year",
        "user__id__exact",
        "term",
        "app_label",
        "model_name",
        "field_name",
        "a",
        "b",
        "_changelist_filters",
    ]
)


@made_up(150)
@given(url=urls(staff_templates, staff_query_name))
def test_property_no_staff_address_gives_a_500(
    admin_client,
    site,
    url,
):
    assert admin_client.get(url).status_code < 500, url


def test_an_account_with_impossible_roles_or_dates_is_refused(admin_client):
    """An account's roles by keys no role can have, its dates in year 1
    (year 0 in UTC): form errors, not server errors."""
    from django.contrib.auth.models import Group

    from tests.adminform import change_form_data

    Group.objects.create(name="Biên tập viên")
    user = get_user_model().objects.create_user(
        "nguoi", "", "mat-khau-dai-123", is_staff=True
    )
    url = reverse("admin:auth_user_change", args=[user.pk])
    shown = change_form_data(admin_client.get(url))
    for field, value, message in [
        ("groups", "99999999999999999999", "không phải là giá trị hợp lệ"),
        ("groups", "abc", "không phải là giá trị hợp lệ"),
        ("date_joined_0", "01/01/0001", "Năm phải từ 1900 đến 2999."),
    ]:
        response = admin_client.post(url, {**shown, field: value})
        assert response.status_code == 200, (field, value)
        assert message in response.content.decode(), (field, value)


def test_oversize_fields_are_refused_and_kept(admin_client, people):
    long_title = "Hội nghị " * 60  # 540 characters, the limit is 300
    data = article_form(
        **people,
        title=long_title,
        slug="a" * 250,
        byline="Văn phòng " * 40,
        **{"meeting-0-place": "Hội trường " * 50},
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Giá trị này chỉ có tối đa 300 kí tự (hiện có 539)" in html
    assert "Giá trị này chỉ có tối đa 200 kí tự (hiện có 250)" in html
    assert long_title.strip() in html
    assert "a" * 250 in html
    assert not Article.objects.exists()


def test_impossible_dates_are_refused_and_kept(admin_client, people):
    data = article_form(
        **people,
        publish_at_0="31/02/2024",
        expire_at_0="30/02/2025",
        expire_at_1="25:61",
        **{"meeting-0-held_on": "31/02/2024", "meeting-0-held_at": "8 giờ"},
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nhập một ngày hợp lệ." in html
    assert "Nhập một thời gian hợp lệ." in html
    for typed in ("31/02/2024", "30/02/2025", "25:61", "8 giờ"):
        assert f'value="{typed}"' in html
    assert not Article.objects.exists()


def test_numbers_out_of_range_are_refused(admin_client, people):
    data = article_form(
        **people,
        **{
            "meeting-0-session_number": "99999999999999999999",
            "meeting-0-term_number": "-3",
            "meeting-0-opinions_count": "mười một",
        },
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "mười một" in html
    assert "Nhập một số nguyên." in html
    assert "tổng thể" not in html  # Django's own, misleading wording
    assert "lớn hơn hoặc bằng với 0" in html
    assert not Article.objects.exists()


def test_duplicate_slugs_in_other_models(admin_client, category):
    Category.objects.create(name="Thông báo", slug="thong-bao")
    response = admin_client.post(
        reverse("admin:articles_category_add"),
        {"name": "Thông báo mới", "slug": "thong-bao", "description": "", "order": "0"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "đã tồn tại" in html
    assert 'value="Thông báo mới"' in html


def test_null_byte_in_admin_text_is_an_error_not_a_crash(admin_client, people):
    data = article_form(**people, title="Hội nghị\x00", summary="Tóm\x00tắt")
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "Không được chứa ký tự rỗng (null)." in response.content.decode()
    assert not Article.objects.exists()


def test_far_future_and_past_dates_do_not_crash(admin_client, people):
    data = article_form(**people, publish_at_0="01/01/0001", publish_at_1="00:00")
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code in (200, 302)
    data = article_form(**people, publish_at_0="31/12/9999", publish_at_1="23:59")
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code in (200, 302)


def test_dates_keep_the_vietnamese_day_first_reading():
    from django.forms import DateField

    assert DateField().clean("05/07/2024") == datetime.date(2024, 7, 5)


def test_a_bug_in_a_list_is_not_shown_as_a_refused_filter(admin_client, monkeypatch):
    """Only a list asked for with a lookup in its address turns a failing
    date into "filter refused"; elsewhere the same error is a bug."""

    def broken(self, request):
        raise ValueError("a bug in the list's query")

    monkeypatch.setattr(ChangeList, "get_results", broken)
    with pytest.raises(ValueError, match="a bug"):
        admin_client.get("/admin/articles/article/")
    response = admin_client.get("/admin/articles/article/?publish_at__year=2024")
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
