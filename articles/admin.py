from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin

from . import search
from .fill_admin import MeetingFillMixin
from .inlines_admin import (
    AttachmentInline,
    AttendanceInline,
    MeetingInline,
    PhotoInline,
)
from .input_admin import StaffInputMixin
from .models import (
    Article,
    AuditEntry,
    Category,
    Official,
    Organization,
    Page,
    Photo,
    Position,
    SiteSettings,
)
from .photo_admin import attachment_upload, photo_upload
from .revisions_admin import ArticleRevisionsMixin
from .workflow_admin import ArticleWorkflowMixin, WorkflowStateFilter

admin.site.site_header = _("Quản trị trang tin phường")
admin.site.site_title = _("Quản trị trang tin")
admin.site.index_title = _("Bảng điều khiển")


@admin.register(Category)
class CategoryAdmin(StaffInputMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(Organization)
class OrganizationAdmin(StaffInputMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]


class PositionInline(StaffInputMixin, admin.TabularInline):
    model = Position
    extra = 1
    fields = ["title", "organization", "start_date", "end_date", "order"]
    autocomplete_fields = ["organization"]


@admin.register(Official)
class OfficialAdmin(StaffInputMixin, admin.ModelAdmin):
    list_display = ["full_name", "current_positions"]
    search_fields = ["full_name"]
    fields = ["full_name", "slug", "photo", "bio"]
    inlines = [PositionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("positions")

    def get_search_results(self, request, queryset, search_term):
        """Diacritics, đ and case do not matter: "nguyen thi nhai" finds
        "Nguyễn Thị Nhài". Also serves the attendee picker."""
        for term in search.fold(search_term[: search.MAX_QUERY_LENGTH]).split():
            queryset = queryset.filter(search_name__contains=term)
        return queryset, False

    def changeform_view(self, *args, **kwargs):
        with search.indexing_batch():
            return super().changeform_view(*args, **kwargs)

    @admin.display(description=_("chức vụ hiện tại"))
    def current_positions(self, obj):
        return obj.printed_positions()

    def get_urls(self):
        return [
            path(
                "<path:object_id>/printed/",
                self.admin_site.admin_view(self.printed_view),
                name="articles_official_printed",
            ),
            *super().get_urls(),
        ]

    def printed_view(self, request, object_id):
        """Name and current positions, copied into an attendance row by the
        attendee inline's script when an official is picked."""
        if not self.has_view_permission(request):
            return JsonResponse({"error": "forbidden"}, status=403)
        # None for an id no official can have (``abc``), as for a missing one.
        official = self.get_object(request, unquote(object_id))
        if official is None:
            return JsonResponse({"error": "not found"}, status=404)
        return JsonResponse(
            {"name": official.full_name, "positions": official.printed_positions()}
        )


@admin.register(Article)
class ArticleAdmin(
    MeetingFillMixin,
    ArticleWorkflowMixin,
    ArticleRevisionsMixin,
    StaffInputMixin,
    VersionAdmin,
):
    list_display = [
        "title",
        "category",
        "workflow_state",
        "publish_at",
        "featured",
        "is_meeting_report",
    ]
    list_filter = [WorkflowStateFilter, "category", "featured", "publish_at"]
    list_select_related = ["category", "meeting"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "publish_at"
    save_on_top = True
    actions = ["make_published", "make_draft"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "summary", "body"]}),
        (
            _("Đăng bài"),
            {"fields": ["status", ("publish_at", "expire_at"), "featured", "byline"]},
        ),
        (_("Ảnh đại diện"), {"fields": ["cover"]}),
    ]
    inlines = [MeetingInline, AttendanceInline, PhotoInline, AttachmentInline]

    @admin.display(description=_("tin hội nghị"), boolean=True)
    def is_meeting_report(self, obj):
        return hasattr(obj, "meeting")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "cover" in form.base_fields:
            photos = Photo.objects.filter(article=obj) if obj else Photo.objects.none()
            form.base_fields["cover"].queryset = photos
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.ensure_cover()

    def get_search_results(self, request, queryset, search_term):
        """Folded full-text search over title, sapo, body, meeting and
        attendees; every word may be the start of a word."""
        query = search.parse_query(search_term)
        if not query.terms:
            return queryset, False
        matches = search.filter_articles(queryset, query, prefix_all=True)
        return matches, False

    def changeform_view(self, *args, **kwargs):
        # One reindex for the article, its meeting and all its attendee rows.
        with search.indexing_batch():
            return super().changeform_view(*args, **kwargs)

    def delete_view(self, *args, **kwargs):
        with search.indexing_batch():
            return super().delete_view(*args, **kwargs)

    def delete_queryset(self, request, queryset):
        with search.indexing_batch():
            super().delete_queryset(request, queryset)

    def get_urls(self):
        photos = self.admin_site.admin_view(photo_upload)
        attachments = self.admin_site.admin_view(attachment_upload)
        return [
            path(
                "<path:object_id>/photos/upload/",
                lambda request, object_id: photos(request, object_id, model_admin=self),
                name="articles_article_photo_upload",
            ),
            path(
                "<path:object_id>/attachments/upload/",
                lambda request, object_id: attachments(
                    request, object_id, model_admin=self
                ),
                name="articles_article_attachment_upload",
            ),
            *super().get_urls(),
        ]

    @admin.action(
        description=_("Duyệt đăng các bài đã chọn (hẹn giờ nếu thời gian đăng ở sau)"),
        permissions=["publish"],
    )
    def make_published(self, request, queryset):
        count = self._bulk_transition(request, queryset, Article.publish)
        self.message_user(
            request,
            ngettext("Đã duyệt đăng %d bài.", "Đã duyệt đăng %d bài.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Gỡ các bài đã chọn về bản nháp"), permissions=["publish"]
    )
    def make_draft(self, request, queryset):
        count = self._bulk_transition(request, queryset, Article.unpublish)
        self.message_user(
            request,
            ngettext(
                "Đã chuyển %d bài về bản nháp.", "Đã chuyển %d bài về bản nháp.", count
            )
            % count,
            messages.SUCCESS,
        )

    def _bulk_transition(self, request, queryset, method) -> int:
        """Apply a workflow method to each article; the model re-checks the
        user's permission. Returns how many were changed."""
        done, refused = 0, []
        for article in queryset:
            try:
                method(article, by=request.user)
            except (ValidationError, PermissionDenied):
                refused.append(article.title)
            else:
                done += 1
        if refused:
            self.message_user(
                request,
                _("Không đổi được trạng thái của: %(titles)s")
                % {"titles": "; ".join(refused)},
                messages.WARNING,
            )
        return done


@admin.register(Page)
class PageAdmin(StaffInputMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "order", "updated_at"]
    list_editable = ["order"]
    search_fields = ["title", "summary"]
    fields = ["title", "slug", "summary", "body", "order"]


@admin.register(SiteSettings)
class SiteSettingsAdmin(StaffInputMixin, admin.ModelAdmin):
    """One row: the list goes straight to its form."""

    fieldsets = [
        (None, {"fields": ["name", "full_name", "parent_unit", "intro"]}),
        (
            _("Chân trang (thông tin bắt buộc của trang thông tin điện tử)"),
            {
                "fields": [
                    "responsible_person",
                    "address",
                    ("phone", "email"),
                    "license_note",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        SiteSettings.objects.get_or_create(pk=1)
        return redirect("admin:articles_sitesettings_change", object_id="1")


@admin.register(AuditEntry)
class AuditEntryAdmin(StaffInputMixin, admin.ModelAdmin):
    """The editorial log: browsable and filterable, never editable here."""

    list_display = ["created_at", "username", "action", "article_link", "detail"]
    list_filter = ["action", "created_at", "user"]
    search_fields = ["username", "article_title", "detail"]
    date_hierarchy = "created_at"
    list_select_related = ["article"]
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("bài viết"), ordering="article_title")
    def article_link(self, obj):
        if obj.article_id is None:
            return obj.article_title
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_article_change", args=[obj.article_id]),
            obj.article_title,
        )


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(StaffInputMixin, GroupAdmin):
    pass


# The sign-in logs of django-axes, which registers them on import.
for model, log_admin in [
    (AccessAttempt, axes_admin.AccessAttemptAdmin),
    (AccessLog, axes_admin.AccessLogAdmin),
    (AccessFailureLog, axes_admin.AccessFailureLogAdmin),
]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(
            model, type(log_admin.__name__, (StaffInputMixin, log_admin), {})
        )


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class StaffUserAdmin(StaffInputMixin, UserAdmin):
    """Site admins manage accounts and their roles (groups), but only a
    superuser can make a superuser or hand out single permissions, and only
    someone who may publish can hand out a role that publishes: the person
    who keeps the accounts does not become an approver by ticking a box."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not Article.can_publish(request.user):
            kwargs["queryset"] = Group.objects.exclude(
                pk__in=Group.objects.filter(
                    permissions__content_type__app_label="articles",
                    permissions__codename="publish_article",
                )
            )
            kwargs["help_text"] = _(
                "Chỉ người có quyền duyệt đăng bài mới giao được vai trò duyệt "
                "đăng (nhóm Người duyệt)."
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @staticmethod
    def _roles_not_offered(user, groups_field) -> list:
        """The roles of ``user`` that ``groups_field`` does not offer: they
        stay as they are."""
        return list(user.groups.exclude(pk__in=groups_field.queryset.values("pk")))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        groups = form.base_fields.get("groups")
        if obj is not None and groups is not None:
            kept = self._roles_not_offered(obj, groups)
            if kept:
                # The form's own class: this request's field alone.
                groups.help_text = " ".join(
                    [
                        str(groups.help_text),
                        _("Vai trò được giữ nguyên: %(roles)s.")
                        % {"roles": ", ".join(group.name for group in kept)},
                    ]
                )
        return form

    def save_related(self, request, form, formsets, change):
        kept = []
        if change and "groups" in form.fields:
            kept = self._roles_not_offered(form.instance, form.fields["groups"])
        super().save_related(request, form, formsets, change)
        if kept:
            form.instance.groups.add(*kept)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)
