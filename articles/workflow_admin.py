"""Editorial workflow in the article admin: transition buttons, the edit lock,
preview links, and the audit trail of admin saves (revisions: see
``revisions_admin``).

Every state change goes through an ``Article`` method, and every path that
can change state (buttons, the status field, bulk actions) checks the
``articles.publish_article`` permission on the server.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import VIETNAM, Article, AuditEntry


def vietnam_time(value) -> str:
    """A moment written out in the ward's zone, whatever the request's."""
    if value is None:
        return "—"
    return timezone.localtime(value, VIETNAM).strftime("%H:%M %d/%m/%Y")


@dataclass(frozen=True)
class WorkflowButton:
    name: str
    label: str
    needs_publish: bool


SUBMIT = WorkflowButton("_submit_review", gettext_lazy("Lưu và gửi duyệt"), False)
PUBLISH = WorkflowButton("_publish", gettext_lazy("Lưu và duyệt đăng"), True)
SEND_BACK = WorkflowButton("_send_back", gettext_lazy("Trả lại để sửa"), True)
UNPUBLISH = WorkflowButton("_unpublish", gettext_lazy("Gỡ về bản nháp"), True)
ARCHIVE = WorkflowButton("_archive", gettext_lazy("Gỡ và lưu trữ"), True)
PREVIEW = WorkflowButton(
    "_preview_create", gettext_lazy("Lưu và tạo liên kết xem trước"), False
)
REVOKE = WorkflowButton("_preview_revoke", gettext_lazy("Thu hồi"), False)
BUTTONS = [SUBMIT, PUBLISH, SEND_BACK, UNPUBLISH, ARCHIVE, PREVIEW, REVOKE]

# Content fields whose changes an "edit" line of the audit log names.
AUDITED_FIELDS = [
    "title",
    "slug",
    "category_id",
    "summary",
    "body",
    "cover_id",
    "publish_at",
    "expire_at",
    "byline",
    "featured",
]

BUTTONS_BY_STATUS = {
    Article.Status.DRAFT: [SUBMIT, PUBLISH],
    Article.Status.REVIEW: [PUBLISH, SEND_BACK],
    Article.Status.PUBLISHED: [UNPUBLISH, ARCHIVE],
    Article.Status.ARCHIVED: [PUBLISH, UNPUBLISH],
}


class WorkflowStateFilter(SimpleListFilter):
    title = gettext_lazy("trạng thái")
    parameter_name = "trang_thai"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Bản nháp")),
            ("review", _("Chờ duyệt")),
            ("scheduled", _("Hẹn giờ đăng")),
            ("visible", _("Đang hiện trên trang")),
            ("expired", _("Đã hết hạn")),
            ("archived", _("Đã gỡ, lưu trữ")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "scheduled":
            return queryset.scheduled()
        if value == "visible":
            return queryset.published()
        if value == "expired":
            return queryset.expired()
        if value in {"draft", "review", "archived"}:
            return queryset.filter(status=value)
        return queryset


def _stale_message(article: Article) -> str:
    last = article.audit_entries.exclude(
        action__in=[
            AuditEntry.Action.PREVIEW_CREATED,
            AuditEntry.Action.PREVIEW_REVOKED,
        ]
    ).first()
    who = last.username if last and last.username else _("một người khác")
    return _(
        "Bài viết này vừa được %(who)s lưu lúc %(when)s (giờ Việt Nam), sau khi "
        "bạn mở trang. Để không ghi đè lên thay đổi của họ, bản của bạn CHƯA được "
        "lưu. Những gì bạn gõ vẫn còn nguyên bên dưới: hãy mở bài trong một thẻ "
        "mới để xem bản mới nhất, chép phần của bạn sang đó rồi lưu."
    ) % {"who": who, "when": vietnam_time(article.updated_at)}


class ArticleWorkflowMixin:
    """Mixed into ArticleAdmin before reversion's VersionAdmin."""

    object_history_template = "admin/articles/article/object_history.html"

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("articles.publish_article")

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        # Changing what the public already sees is publishing.
        if obj is not None and obj.status in Article.APPROVER_STATES:
            return self.has_publish_permission(request)
        return True

    def get_readonly_fields(self, request, obj=None):
        fields = [
            *super().get_readonly_fields(request, obj),
            "workflow_panel",
            "send_back_comment",
        ]
        if not self.has_publish_permission(request):
            fields.append("status")
        return fields

    def get_fieldsets(self, request, obj=None):
        fields = ["workflow_panel"]
        if (
            obj is not None
            and obj.status == Article.Status.REVIEW
            and self.has_publish_permission(request)
        ):
            fields.append("send_back_comment")
        if self.has_change_permission(request, obj):
            fields.append("version")
        workflow = (_("Quy trình duyệt"), {"fields": fields})
        return [workflow, *super().get_fieldsets(request, obj)]

    def get_form(self, request, obj=None, change=False, **kwargs):
        widgets = {"version": forms.HiddenInput, **kwargs.pop("widgets", {})}
        base = super().get_form(request, obj, change=change, widgets=widgets, **kwargs)
        user = request.user

        class WorkflowForm(base):
            def clean(self):
                cleaned_data = super().clean()
                if "version" in self.fields:
                    self._check_edit_lock()
                if "status" in self.fields and cleaned_data.get("status"):
                    try:
                        self.instance.check_transition(cleaned_data["status"], by=user)
                    except (ValidationError, PermissionDenied) as error:
                        self.add_error("status", str(_first_message(error)))
                return cleaned_data

            def _check_edit_lock(self):
                if self.instance._state.adding:
                    self.cleaned_data["version"] = self.instance.version
                    return
                current = Article.objects.filter(pk=self.instance.pk)
                if transaction.get_connection().in_atomic_block:
                    current = current.select_for_update()
                stored = current.values_list("version", flat=True).first()
                if self.cleaned_data.get("version") != stored:
                    raise ValidationError(_stale_message(self.instance), code="stale")

        WorkflowForm.__name__ = base.__name__
        if "version" in WorkflowForm.base_fields:
            WorkflowForm.base_fields["version"].required = False
        return WorkflowForm

    # Change form: buttons and what they do after the save.

    def _requested_button(self, request) -> WorkflowButton | None:
        if request.method != "POST":
            return None
        return next((b for b in BUTTONS if b.name in request.POST), None)

    def _buttons_for(self, request, obj) -> list[WorkflowButton]:
        if obj is None:
            if not self.has_add_permission(request):
                return []
            candidates = BUTTONS_BY_STATUS[Article.Status.DRAFT]
        else:
            if not self.has_change_permission(request, obj):
                return []
            candidates = [*BUTTONS_BY_STATUS[Article.Status(obj.status)], PREVIEW]
        allowed = self.has_publish_permission(request)
        return [b for b in candidates if allowed or not b.needs_publish]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        button = self._requested_button(request)
        if button and button.needs_publish and not self.has_publish_permission(request):
            raise PermissionDenied
        extra_context = dict(extra_context or {})
        kept = getattr(request, "_restoring_revision", None)
        if kept and (extra_context.get("revert") or extra_context.get("recover")):
            # Runs inside reversion's transaction, right after the revert:
            # old content, current workflow state and lock version.
            Article.objects.filter(pk=unquote(object_id)).update(**kept)
        if not extra_context.get("revert") and not extra_context.get("recover"):
            obj = self.get_object(request, unquote(object_id)) if object_id else None
            extra_context["workflow_buttons"] = self._buttons_for(request, obj)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        return self._run_button(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._run_button(request, obj) or super().response_change(request, obj)

    def _run_button(self, request, obj):
        button = self._requested_button(request)
        if button is None:
            return None
        user = request.user
        try:
            if button is SUBMIT:
                obj.submit_for_review(by=user)
                messages.success(request, _("Đã gửi bài cho người duyệt."))
            elif button is PUBLISH:
                obj.publish(by=user)
                messages.success(request, self._published_message(obj))
            elif button is SEND_BACK:
                comment = " ".join(request.POST.getlist("send_back_comment")).strip()
                obj.send_back(comment, by=user)
                messages.success(request, _("Đã trả bài về cho biên tập viên sửa."))
            elif button is UNPUBLISH:
                obj.unpublish(by=user)
                messages.success(request, _("Đã gỡ bài về bản nháp."))
            elif button is ARCHIVE:
                obj.archive(by=user)
                messages.success(request, _("Đã gỡ bài và đưa vào lưu trữ."))
            elif button is PREVIEW:
                link = obj.create_preview_link(by=user)
                url = request.build_absolute_uri(link.get_absolute_url())
                messages.success(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a> ({})',
                        _("Đã tạo liên kết xem trước:"),
                        url,
                        url,
                        _("hết hạn lúc %(when)s, giờ Việt Nam")
                        % {"when": vietnam_time(link.expires_at)},
                    ),
                )
            elif button is REVOKE:
                chosen = request.POST.get(REVOKE.name, "")
                link = (
                    obj.preview_links.filter(pk=chosen).first()
                    if chosen.isdigit()
                    else None
                )
                if link is None:
                    messages.error(request, _("Không tìm thấy liên kết xem trước này."))
                else:
                    link.revoke(by=user)
                    messages.success(request, _("Đã thu hồi liên kết xem trước."))
        except (ValidationError, PermissionDenied) as error:
            messages.error(
                request,
                _("Đã lưu nội dung, nhưng chưa đổi trạng thái: %(reason)s")
                % {"reason": _first_message(error)},
            )
        opts = self.opts
        return HttpResponseRedirect(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[quote(obj.pk)],
            )
        )

    @staticmethod
    def _published_message(obj: Article) -> str:
        if obj.is_scheduled:
            return _("Đã duyệt. Bài sẽ tự hiện lúc %(when)s (giờ Việt Nam).") % {
                "when": vietnam_time(obj.publish_at)
            }
        return _("Đã duyệt và đăng bài.")

    # Saving: status through the model's methods, and an audit line.

    def save_model(self, request, obj, form, change):
        stored = (
            Article.objects.filter(pk=obj.pk).values(*AUDITED_FIELDS, "status").get()
            if change
            else {"status": Article.Status.DRAFT}
        )
        requested, obj.status = obj.status, stored["status"]
        if requested != obj.status:
            # Also caught by the form; this guards any other way in.
            obj.check_transition(requested, by=request.user)
        obj._requested_status = requested
        obj._stored_values = stored
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        stored = getattr(obj, "_stored_values", {})
        changed = [
            name
            for name in AUDITED_FIELDS
            if name in stored and _edited(stored[name], getattr(obj, name))
        ]
        detail = _changed_labels(changed, formsets)
        if not change:
            AuditEntry.record(AuditEntry.Action.CREATE, user=request.user, article=obj)
        elif getattr(request, "_restoring_revision", None):
            AuditEntry.record(
                AuditEntry.Action.RESTORE, user=request.user, article=obj, detail=detail
            )
        elif detail:
            AuditEntry.record(
                AuditEntry.Action.EDIT, user=request.user, article=obj, detail=detail
            )
        requested = getattr(obj, "_requested_status", obj.status)
        if requested != obj.status:
            obj.change_status(requested, by=request.user)
        elif "publish_at" in changed and obj.is_scheduled:
            obj._change_status(obj.status, AuditEntry.Action.SCHEDULE, by=request.user)

    def delete_model(self, request, obj):
        AuditEntry.record(AuditEntry.Action.DELETE, user=request.user, article=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            AuditEntry.record(AuditEntry.Action.DELETE, user=request.user, article=obj)
        super().delete_queryset(request, queryset)

    # Read-only parts of the form and the list.

    @staticmethod
    def state_label(obj: Article) -> str:
        if obj.status == Article.Status.PUBLISHED:
            now = timezone.now()
            if obj.publish_at > now:
                return _("Hẹn giờ đăng %(when)s") % {
                    "when": vietnam_time(obj.publish_at)
                }
            if obj.expire_at and obj.expire_at <= now:
                return _("Đã hết hạn")
            return _("Đang hiện trên trang")
        return Article.Status(obj.status).label

    @admin.display(description=gettext_lazy("trạng thái"), ordering="status")
    def workflow_state(self, obj):
        return self.state_label(obj)

    @admin.display(description=gettext_lazy("trạng thái"))
    def workflow_panel(self, obj):
        if obj is None or obj.pk is None:
            return _(
                "Bài mới được lưu là bản nháp; gửi duyệt khi đã viết xong. "
                "Bài chỉ hiện với người dân sau khi được duyệt."
            )
        parts = [format_html("<p><strong>{}</strong></p>", self.state_label(obj))]
        if obj.review_comment:
            parts.append(
                format_html(
                    '<div class="workflow-comment" role="note"><strong>{}</strong>'
                    "<br>{}</div>",
                    _("Ý kiến người duyệt:"),
                    obj.review_comment,
                )
            )
        links = [link for link in obj.preview_links.all() if link.is_active]
        if links:
            rows = format_html_join(
                "",
                '<li style="list-style:none"><a href="{}">{}</a> – {} {} '
                '<button type="submit" name="{}" '
                'value="{}" class="button">{}</button></li>',
                (
                    (
                        link.get_absolute_url(),
                        _("Liên kết xem trước"),
                        _("hết hạn"),
                        vietnam_time(link.expires_at),
                        REVOKE.name,
                        link.pk,
                        REVOKE.label,
                    )
                    for link in links
                ),
            )
            parts.append(
                format_html(
                    '<ul class="workflow-links" style="margin:0;padding:0">{}</ul>',
                    rows,
                )
            )
        history = reverse("admin:articles_article_history", args=[quote(obj.pk)])
        # The address as saved: sent back with an error, the form's object
        # holds what was typed (a slug emptied to be made again, say).
        stored = Article.objects.only("slug").get(pk=obj.pk)
        parts.append(
            format_html(
                '<p><a href="{}">{}</a> · <a href="{}">{}</a></p>',
                stored.get_absolute_url(),
                _("Xem bài ở địa chỉ thật"),
                history,
                _("Lịch sử, so sánh và khôi phục phiên bản"),
            )
        )
        return format_html_join("", "{}", ((p,) for p in parts))

    @admin.display(description=gettext_lazy("ý kiến khi trả bài"))
    def send_back_comment(self, obj):
        return format_html(
            '<textarea name="send_back_comment" id="id_send_back_comment" rows="3" '
            'cols="60" aria-describedby="send-back-help"></textarea>'
            '<div class="help" id="send-back-help">{}</div>',
            _("Ghi lý do khi bấm “Trả lại để sửa”; biên tập viên sẽ thấy ý kiến này."),
        )


def _first_message(error) -> str:
    if isinstance(error, ValidationError):
        return error.messages[0]
    return str(error) or _("Bạn không có quyền làm việc này.")


def _edited(before, after) -> bool:
    """Whether a field's saved value differs from the stored one by more
    than the form's own rounding: the form shows times to the minute and
    strips the whitespace around text, so an article made outside the admin
    and saved unchanged is not edited."""
    if isinstance(before, datetime.datetime) and isinstance(after, datetime.datetime):
        return before.replace(second=0, microsecond=0) != after.replace(
            second=0, microsecond=0
        )
    if isinstance(before, str) and isinstance(after, str):
        return before.strip() != after.strip()
    return before != after


def _changed_labels(fields: list[str], formsets) -> str:
    labels = [str(Article._meta.get_field(name).verbose_name) for name in fields]
    for formset in formsets:
        if formset.has_changed():
            labels.append(str(formset.model._meta.verbose_name_plural))
    if not labels:
        return ""
    return _("Đã sửa: %(fields)s") % {"fields": ", ".join(labels)}
