import datetime
import unicodedata

import pytest
from django import forms
from django.utils import translation

from articles.vietnamese import (
    name_sort_key,
    normalize,
    slugify_vi,
    strip_tones,
    to_roman,
    vi_date,
)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Đảng bộ", "dang-bo"),
        ("đường Nguyễn Thị Định", "duong-nguyen-thi-dinh"),
        ("ĐẠI HỘI ĐẢNG BỘ PHƯỜNG", "dai-hoi-dang-bo-phuong"),
        ("Hội nghị lần thứ 21 khóa VI, nhiệm kỳ 2020 - 2025",
         "hoi-nghi-lan-thu-21-khoa-vi-nhiem-ky-2020-2025"),
        ("  Thông báo: lịch tiếp công dân!  ", "thong-bao-lich-tiep-cong-dan"),
        ("Ủy ban / UBND & MTTQ", "uy-ban-ubnd-mttq"),
    ],
)  # fmt: skip
def test_slug_is_ascii_and_keeps_d(text, slug):
    assert slugify_vi(text) == slug


def test_slug_from_decomposed_input():
    assert slugify_vi(unicodedata.normalize("NFD", "Đảng bộ Cát Lái")) == (
        "dang-bo-cat-lai"
    )


def test_slug_from_unikey_composed_form_with_marks_out_of_order():
    # Unikey's "Unicode tổ hợp" may put the tone before the vowel mark:
    # e + dot below + circumflex instead of ê + dot below.
    composed = "Vie\u0302\u0323t Nam nghie\u0323\u0302"
    assert slugify_vi(composed) == "viet-nam-nghie"
    assert normalize(composed) == "Việt Nam nghiệ"


def test_normalize_composes_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Nhài")
    assert decomposed != "Nguyễn Thị Nhài"
    assert normalize(decomposed) == "Nguyễn Thị Nhài"


def test_strip_tones_maps_d():
    assert strip_tones("Đặng Thị Bích Thuận") == "Dang Thi Bich Thuan"


@pytest.mark.parametrize(
    ("number", "numeral"),
    [(1, "I"), (4, "IV"), (6, "VI"), (9, "IX"), (14, "XIV"), (21, "XXI"),
     (40, "XL"), (1999, "MCMXCIX")],
)  # fmt: skip
def test_roman_numerals(number, numeral):
    assert to_roman(number) == numeral


@pytest.mark.parametrize("number", [0, -1, 4000])
def test_roman_numerals_out_of_range(number):
    with pytest.raises(ValueError):
        to_roman(number)


def test_sort_key_orders_by_given_name_in_vietnamese_alphabet():
    names = [
        "Đặng Thị Bích Thuận",
        "Nguyễn Đức Hiền",
        "Huỳnh Thị Ngọc Bích",
        "Võ Văn Đông",
        "Lê Văn Dũng",
        "Lê Văn Ân",
        "Phạm Thị Ánh",
        "Trần Văn An",
        "Nguyễn Thị Nhài",
    ]
    assert sorted(names, key=name_sort_key) == [
        "Trần Văn An",  # An < Anh: a shorter word first
        "Phạm Thị Ánh",
        "Lê Văn Ân",  # â after a
        "Huỳnh Thị Ngọc Bích",
        "Lê Văn Dũng",
        "Võ Văn Đông",  # đ after d
        "Nguyễn Đức Hiền",
        "Nguyễn Thị Nhài",
        "Đặng Thị Bích Thuận",
    ]


def test_sort_key_breaks_ties_on_family_name_then_tones():
    assert sorted(["Trần Văn Minh", "Lê Văn Minh"], key=name_sort_key) == [
        "Lê Văn Minh",
        "Trần Văn Minh",
    ]
    # Same letters: ngang < huyền < hỏi < ngã < sắc < nặng.
    tones = ["Lê Ma", "Lê Mạ", "Lê Mà", "Lê Má", "Lê Mả", "Lê Mã"]
    assert sorted(tones, key=name_sort_key) == [
        "Lê Ma",
        "Lê Mà",
        "Lê Mả",
        "Lê Mã",
        "Lê Má",
        "Lê Mạ",
    ]


def test_sort_key_is_the_same_for_decomposed_input():
    name = "Nguyễn Thị Nhài"
    assert name_sort_key(unicodedata.normalize("NFD", name)) == name_sort_key(name)


def test_sort_key_is_digits_only_so_every_collation_agrees():
    assert name_sort_key("Đặng Thị Bích Thuận").isdigit()


def test_vietnamese_date():
    assert vi_date(datetime.date(2024, 7, 5)) == "Thứ Sáu, 05/07/2024"
    assert vi_date(datetime.date(2024, 7, 7)) == "Chủ Nhật, 07/07/2024"


def test_counts_group_thousands_and_years_do_not():
    from django.template import Context, Template

    template = Template("{% load wardnews %}{{ count|vi_number }} bài, năm {{ year }}")
    with translation.override("vi"):
        html = template.render(Context({"count": 98978, "year": 2024}))
    assert html == "98.978 bài, năm 2024"


@pytest.mark.parametrize("typed", ["05/07/2024", "5/7/2024", "05-07-2024"])
def test_date_input_is_day_first(typed):
    with translation.override("vi"):
        assert forms.DateField().clean(typed) == datetime.date(2024, 7, 5)


def test_datetime_input_is_day_first():
    with translation.override("vi"):
        value = forms.DateTimeField().clean("05/07/2024 14:30")
    assert (value.day, value.month, value.hour) == (5, 7, 14)


def test_impossible_date_is_refused_in_vietnamese():
    with translation.override("vi"), pytest.raises(forms.ValidationError) as error:
        forms.DateField().clean("31/02/2024")
    assert "Nhập một ngày hợp lệ" in str(error.value)
