"""Admin: "Điền từ nội dung" — read a report's text, review, then save.

Nothing is written until the editor confirms on the review screen.
"""

import reversion
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .extract import Extraction, extract, fold, name_key, text_from_html
from .models import Attendance, AuditEntry, Category, Meeting, Official

MAX_TEXT = 100_000
DATE_INPUTS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


class ReportTextForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Nội dung bài tin"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
        help_text=gettext_lazy(
            "Nội dung bài viết đã được chép sẵn vào đây; có thể dán một văn bản "
            "khác. Chưa có gì được lưu cho đến khi bạn xác nhận."
        ),
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text_from_html(text).strip():
            raise forms.ValidationError(
                _("Chưa có nội dung để đọc. Hãy dán nội dung bài tin hội nghị.")
            )
        return text


class NewArticleForm(forms.Form):
    """Only on the add page: the draft the confirmed report becomes."""

    title = forms.CharField(
        label=gettext_lazy("Tiêu đề bài viết"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Để trống để dùng tên hội nghị."),
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Chuyên mục"),
        queryset=Category.objects.all(),
        error_messages={"required": gettext_lazy("Hãy chọn chuyên mục cho bài.")},
    )


class MeetingFieldsForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Tên hội nghị"), max_length=300)
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=Meeting.Kind.choices)
    session_number = forms.IntegerField(
        label=gettext_lazy("Lần thứ"), min_value=1, max_value=32767, required=False
    )
    term_number = forms.IntegerField(
        label=gettext_lazy("Khóa"), min_value=1, max_value=100, required=False
    )
    term_start_year = forms.IntegerField(
        label=gettext_lazy("Nhiệm kỳ từ năm"),
        min_value=1900,
        max_value=2200,
        required=False,
    )
    term_end_year = forms.IntegerField(
        label=gettext_lazy("Nhiệm kỳ đến năm"),
        min_value=1900,
        max_value=2200,
        required=False,
    )
    held_on = forms.DateField(
        label=gettext_lazy("Ngày họp"), input_formats=DATE_INPUTS, required=False
    )
    held_at = forms.TimeField(label=gettext_lazy("Giờ họp"), required=False)
    place = forms.CharField(
        label=gettext_lazy("Địa điểm"), max_length=300, required=False
    )
    opinions_count = forms.IntegerField(
        label=gettext_lazy("Số lượt ý kiến"),
        min_value=0,
        max_value=32767,
        required=False,
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("term_start_year"), data.get("term_end_year")
        if start and end and end <= start:
            self.add_error(
                "term_end_year", _("Năm cuối nhiệm kỳ phải sau năm đầu nhiệm kỳ.")
            )
        return data


class AttendeeRowForm(forms.Form):
    include = forms.BooleanField(
        label=gettext_lazy("Lưu"),
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-label": gettext_lazy("Lưu dòng này")}),
    )
    name = forms.CharField(label=gettext_lazy("Họ tên hoặc nhóm"), max_length=300)
    positions = forms.CharField(
        label=gettext_lazy("Chức vụ như in trong bài"), max_length=500, required=False
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Vai trò"), choices=Attendance.Role.choices
    )
    official = forms.IntegerField(required=False, widget=forms.HiddenInput)
    create_official = forms.BooleanField(
        label=gettext_lazy("Tạo hồ sơ cán bộ mới"), required=False
    )
    is_group = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        limit = Official._meta.get_field("full_name").max_length
        new_person = data.get("create_official") and not data.get("is_group")
        if (
            new_person
            and not data.get("official")
            and len(data.get("name", "")) > limit
        ):
            self.add_error(
                "name",
                _("Họ tên quá dài để tạo hồ sơ cán bộ (tối đa %(n)d ký tự).")
                % {"n": limit},
            )
        return data


AttendeeRowFormSet = forms.formset_factory(
    AttendeeRowForm, extra=0, max_num=500, validate_max=True
)


def _kind_of(extraction: Extraction) -> str:
    kinds = {value for value, _label in Meeting.Kind.choices}
    return extraction.meeting_kind if extraction.meeting_kind in kinds else "khac"


def meeting_initial(extraction: Extraction, article=None) -> dict:
    """Proposed meeting fields: what the text says, else what is stored."""
    stored = getattr(article, "meeting", None) if article and article.pk else None
    proposed = {
        "name": extraction.meeting_name,
        "kind": _kind_of(extraction) if extraction.meeting_kind else "",
        "session_number": extraction.session_number,
        "term_number": extraction.term_number,
        "term_start_year": extraction.term_start_year,
        "term_end_year": extraction.term_end_year,
        "held_on": extraction.held_on,
        "held_at": extraction.held_at,
        "place": extraction.place,
        "opinions_count": extraction.opinions_count,
    }
    for key, value in proposed.items():
        if value in (None, "") and stored is not None:
            proposed[key] = getattr(stored, key)
    if not proposed["name"]:
        proposed["name"] = article.title if article and article.pk else ""
    if not proposed["kind"]:
        proposed["kind"] = Meeting.Kind.CONFERENCE
    return proposed


class OfficialIndex:
    """Officials by folded name, with their current positions (2 queries)."""

    def __init__(self):
        self.by_key: dict[str, list[Official]] = {}
        self.by_id: dict[int, Official] = {}
        for official in Official.objects.prefetch_related("positions").order_by("id"):
            self.by_key.setdefault(name_key(official.full_name), []).append(official)
            self.by_id[official.pk] = official

    def matches(self, name: str) -> list[Official]:
        return self.by_key.get(name_key(name), [])

    def best(self, name: str, positions: list[str]) -> Official | None:
        """The namesake whose current titles share most with the printed ones."""
        printed = {fold(p) for p in positions}

        def shared(official: Official) -> int:
            return len(printed & {fold(p.title) for p in official.positions_on()})

        matches = self.matches(name)
        return max(matches, key=shared) if matches else None


def rows_initial(extraction: Extraction, officials: OfficialIndex, present) -> list:
    rows = []
    for attendee in extraction.attendees:
        official = officials.best(attendee.name, attendee.positions)
        already = attendee.key in present["names"] or (
            official is not None and official.pk in present["officials"]
        )
        rows.append(
            {
                "include": not already,
                "name": attendee.name,
                "positions": ", ".join(attendee.positions),
                "role": attendee.role,
                "official": official.pk if official else None,
                "create_official": official is None,
                "is_group": False,
            }
        )
    for group in extraction.groups:
        rows.append(
            {
                "include": name_key(group) not in present["names"],
                "name": group[:1].upper() + group[1:],
                "positions": "",
                "role": Attendance.Role.ATTENDEE,
                "official": None,
                "create_official": False,
                "is_group": True,
            }
        )
    return rows


def _present(article) -> dict:
    if article is None:
        return {"names": set(), "officials": set()}
    rows = list(Attendance.objects.filter(article=article).only("name", "official"))
    return {
        "names": {name_key(row.name) for row in rows},
        "officials": {row.official_id for row in rows if row.official_id},
    }


def annotate_rows(formset, officials: OfficialIndex, present: dict) -> list[dict]:
    """What the review table shows beside each row's inputs."""
    annotated = []
    for form in formset:
        values = form.initial if not form.is_bound else _bound_values(form)
        official = officials.by_id.get(values.get("official") or 0)
        record = official.printed_positions() if official else ""
        printed = values.get("positions") or ""
        name = values.get("name") or ""
        annotated.append(
            {
                "form": form,
                "is_group": values.get("is_group"),
                "official": official,
                "candidates": officials.matches(name),
                "record": record,
                "differs": bool(official and fold(record) != fold(printed)),
                "already": name_key(name) in present["names"]
                or (official is not None and official.pk in present["officials"]),
            }
        )
    return annotated


def _bound_values(form) -> dict:
    def value(field):
        return form[field].field.widget.value_from_datadict(
            form.data, form.files, form.add_prefix(field)
        )

    official = value("official")
    return {
        "name": value("name"),
        "positions": value("positions"),
        "official": int(official) if str(official or "").isdigit() else None,
        "is_group": value("is_group") in (True, "True", "true", "on", "1"),
    }


class MeetingFillMixin:
    """Adds the fill-from-text screen to ArticleAdmin."""

    fill_template = "admin/articles/article/fill_from_text.html"

    def get_urls(self):
        return [
            path(
                "dien-tu-noi-dung/",
                self.admin_site.admin_view(self.fill_view),
                name="articles_article_fill_new",
            ),
            path(
                "<path:object_id>/dien-tu-noi-dung/",
                self.admin_site.admin_view(self.fill_view),
                name="articles_article_fill",
            ),
            *super().get_urls(),
        ]

    def fill_view(self, request, object_id=None):
        article = None
        if object_id is not None:
            article = self.get_object(request, unquote(object_id))
            if article is None:
                return self._get_obj_does_not_exist_redirect(
                    request, self.opts, object_id
                )
            if not self.has_change_permission(request, article):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied

        step = request.POST.get("step") if request.method == "POST" else None
        data = request.POST if step in ("read", "confirm") else None
        if data is not None and "text" not in data and "body" in data:
            # Sent by the add page's button with the whole unsaved form: read
            # what the editor typed or pasted into the body.
            data = data.copy()
            data["text"] = text_from_html(data["body"])
        text_form = ReportTextForm(
            data, initial={"text": text_from_html(article.body) if article else ""}
        )
        article_form = None
        if article is None:
            # Bound only on confirmation, so the review screen opens without
            # a "required" error on a category not chosen yet.
            article_form = NewArticleForm(
                data if step == "confirm" else None,
                initial={k: request.POST.get(k) for k in ("title", "category")},
            )
        context = {
            "article": article,
            "text_form": text_form,
            "article_form": article_form,
            "can_create_officials": request.user.has_perm("articles.add_official"),
        }
        if data is None or not text_form.is_valid():
            return self._render_fill(request, context)
        if step == "read":
            return self._read(request, context)
        return self._confirm(request, context)

    def _read(self, request, context):
        extraction = extract(context["text_form"].cleaned_data["text"])
        if extraction.is_empty:
            messages.warning(
                request,
                _(
                    "Không tìm thấy ngày họp, lần thứ, khóa hay thành phần tham dự "
                    "nào trong nội dung này. Hãy kiểm tra lại văn bản hoặc nhập tay "
                    "trong trang bài viết."
                ),
            )
            return self._render_fill(request, context)
        article = context["article"]
        officials, present = OfficialIndex(), _present(article)
        initial = rows_initial(extraction, officials, present)
        if not context["can_create_officials"]:
            for row in initial:
                row["create_official"] = False
        meeting_form = MeetingFieldsForm(
            prefix="meeting", initial=meeting_initial(extraction, article)
        )
        formset = AttendeeRowFormSet(prefix="rows", initial=initial)
        return self._review(request, context, meeting_form, formset, officials, present)

    def _confirm(self, request, context):
        article, article_form = context["article"], context["article_form"]
        meeting_form = MeetingFieldsForm(request.POST, prefix="meeting")
        formset = AttendeeRowFormSet(request.POST, prefix="rows")
        officials = OfficialIndex()
        valid = meeting_form.is_valid() & formset.is_valid()
        if article_form is not None:
            valid &= article_form.is_valid()
        rows = self._confirmed_rows(formset, officials, context) if valid else None
        if rows is not None:
            text = context["text_form"].cleaned_data["text"]
            return self._save_fill(
                request, article, article_form, meeting_form, rows, text
            )
        messages.error(request, _("Chưa lưu được: hãy sửa các ô báo lỗi bên dưới."))
        present = _present(article)
        return self._review(request, context, meeting_form, formset, officials, present)

    def _review(self, request, context, meeting_form, formset, officials, present):
        article = context["article"]
        context.update(
            reviewing=True,
            meeting_form=meeting_form,
            formset=formset,
            rows=annotate_rows(formset, officials, present),
            stored_meeting=getattr(article, "meeting", None) if article else None,
        )
        return self._render_fill(request, context)

    def _confirmed_rows(self, formset, officials: OfficialIndex, context):
        """The ticked rows as service input, or None after adding form errors."""
        rows = []
        for form in formset:
            data = form.cleaned_data
            if not data or not data.get("include"):
                continue
            official_id = data.get("official")
            if official_id and official_id not in officials.by_id:
                form.add_error(None, _("Cán bộ đã chọn không còn trong danh sách."))
                return None
            rows.append(
                services.FillRow(
                    name=data["name"],
                    positions=data.get("positions") or "",
                    role=data["role"],
                    official_id=None if data.get("is_group") else official_id,
                    create_official=bool(data.get("create_official"))
                    and context["can_create_officials"],
                    is_group=bool(data.get("is_group")),
                )
            )
        return rows

    def _save_fill(self, request, article, article_form, meeting_form, rows, text):
        meeting = meeting_form.cleaned_data
        created = article is None
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(_("Điền từ nội dung"))
            if created:
                title = article_form.cleaned_data["title"] or meeting["name"]
                article, result = services.article_from_report(
                    title=title,
                    category=article_form.cleaned_data["category"],
                    text=text_from_html(text),
                    author=request.user,
                    meeting=meeting,
                    rows=rows,
                )
            else:
                result = services.meeting_fill(
                    article=article, meeting=meeting, rows=rows
                )
            reversion.add_to_revision(article)
            AuditEntry.record(
                AuditEntry.Action.CREATE if created else AuditEntry.Action.EDIT,
                user=request.user,
                article=article,
                detail=_("Điền từ nội dung: %(added)d dòng thành phần tham dự")
                % {"added": result.added},
            )
        message = _(
            "Đã lưu thông tin hội nghị và %(added)d dòng thành phần tham dự"
        ) % {"added": result.added}
        if result.skipped:
            message += _(" (bỏ qua %(n)d dòng đã có trong bài)") % {"n": result.skipped}
        if result.officials_created:
            message += _("; đã tạo %(n)d hồ sơ cán bộ mới") % {
                "n": result.officials_created
            }
        messages.success(request, message + ".")
        return redirect(
            reverse(
                "admin:articles_article_change",
                args=[quote(article.pk)],
                current_app=self.admin_site.name,
            )
        )

    def _render_fill(self, request, context):
        article = context["article"]
        title = _("Điền thông tin hội nghị từ nội dung")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "subtitle": str(article) if article else None,
            "original": article,
            "has_view_permission": self.has_view_permission(request, article),
            "role_labels": dict(Attendance.Role.choices),
            **context,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.fill_template, context)
