"""Revisions in the article admin: restoring one (django-reversion's views,
keeping the current workflow state), the history list in the ward's time,
and a side-by-side comparison of two versions."""

import re

from django.contrib import messages
from django.contrib.admin.utils import display_for_field, quote, unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.files.storage import default_storage
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from reversion.models import Version

from . import files, search
from .input_admin import possible_keys
from .models import Article, Attachment, Attendance, Photo
from .workflow_admin import vietnam_time


class ArticleRevisionsMixin:
    """For an article ModelAdmin placed before reversion's ``VersionAdmin``."""

    def get_urls(self):
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name="articles_article_compare",
        )
        return [compare, *super().get_urls()]

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # An id no article can have (``x``) finds none, as a missing one.
        keys = possible_keys(Article._meta.pk, [unquote(object_id)])
        request._restoring_revision = (
            Article.objects.filter(pk__in=keys).values(*Article.WORKFLOW_FIELDS).first()
        )
        if self.has_change_permission(request):
            warn_of_missing_files(request, version_id, object_id=unquote(object_id))
        before = stored_file_names(keys) if request.method == "POST" else set()
        # Reverting saves rows in no set order: reindex once, at the end.
        with search.indexing_batch():
            response = super().revision_view(
                request, object_id, version_id, extra_context
            )
        if before and response.status_code == 302:
            # A row whose file was replaced since gets the older file back;
            # the newer one leaves the site as a deleted row's would.
            files.move_to_trash(default_storage, before - stored_file_names(keys))
        return response

    def recover_view(self, request, version_id, extra_context=None):
        # A deleted article comes back as a draft, whatever it was, so that
        # recovering is never a way to publish.
        request._restoring_revision = {
            "status": Article.Status.DRAFT,
            "review_comment": "",
            "version": 1,
        }
        if self.has_add_permission(request):
            warn_of_missing_files(request, version_id)
        with search.indexing_batch():
            return super().recover_view(request, version_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        versions = [
            {
                "id": version.pk,
                "when": vietnam_time(version.revision.date_created),
                "user": version.revision.user,
                "comment": version.revision.get_comment(),
                "url": reverse(
                    "admin:articles_article_revision",
                    args=[quote(obj.pk), version.pk],
                ),
            }
            for version in Version.objects.get_for_object(obj).select_related(
                "revision__user"
            )
        ]
        context = {
            "article_versions": versions,
            "compare_url": reverse(
                "admin:articles_article_compare", args=[quote(obj.pk)]
            ),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        chosen = []
        for key in ("a", "b"):
            value = request.GET.get(key, "")
            chosen.append(
                versions.filter(pk=value).first() if value.isdigit() else None
            )
        if None in chosen:
            newest = list(versions[:2])
            if len(newest) < 2:
                messages.info(request, _("Bài mới có một phiên bản, chưa có gì để so."))
                return HttpResponseRedirect(
                    reverse("admin:articles_article_history", args=[quote(obj.pk)])
                )
            chosen = [newest[1], newest[0]]
        older, newer = sorted(chosen, key=lambda v: v.revision.date_created)
        old_rows, new_rows = revision_snapshot(older), revision_snapshot(newer)
        rows = [
            {
                "label": label,
                "old": old_rows.get(label, ""),
                "new": new_rows.get(label, ""),
                "changed": old_rows.get(label, "") != new_rows.get(label, ""),
            }
            for label in dict.fromkeys([*old_rows, *new_rows])
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": _("So sánh hai phiên bản: %(title)s") % {"title": obj},
            "older": older,
            "newer": newer,
            "older_when": vietnam_time(older.revision.date_created),
            "newer_when": vietnam_time(newer.revision.date_created),
            "rows": rows,
            "changed_count": sum(row["changed"] for row in rows),
            "restore_url": reverse(
                "admin:articles_article_revision", args=[quote(obj.pk), older.pk]
            ),
        }
        return TemplateResponse(
            request, "admin/articles/article/revision_compare.html", context
        )


ARTICLE_COMPARED_FIELDS = [
    "title",
    "slug",
    "category",
    "summary",
    "body",
    "cover",
    "publish_at",
    "expire_at",
    "byline",
    "featured",
]


def _display(instance: models.Model, field_name: str) -> str:
    field = instance._meta.get_field(field_name)
    if field.is_relation:
        try:
            value = getattr(instance, field.name)
        except ObjectDoesNotExist:
            return _("(đã xóa)")
        return "" if value is None else str(value)
    value = getattr(instance, field.attname)
    if isinstance(field, models.DateTimeField):
        return vietnam_time(value) if value else ""
    if field.name == "body":
        blocks = re.sub(r"</(p|h[1-6]|li|tr|blockquote)>", "\n", value or "")
        return strip_tags(blocks).strip()
    return str(display_for_field(value, field, ""))


MISSING_NAMES_SHOWN = 10


def stored_file_names(article_keys) -> set[str]:
    """Every file the photos and attachments of these articles point at."""
    names = set()
    for photo in Photo.objects.filter(article__in=article_keys):
        names.update(photo.file_names())
    attachments = Attachment.objects.filter(article__in=article_keys)
    names.update(attachments.values_list("file", flat=True))
    return names


def warn_of_missing_files(request, version_id, object_id=None) -> None:
    """Before an article's revision is restored: say which of its photos
    and attachments have left the site since (deleted or replaced, with the
    rows or the article). Those still in the trash come back with their
    rows; those no longer kept do not, and are named."""
    if request.method != "GET":
        return
    versions = Version.objects.get_for_model(Article).filter(
        pk__in=possible_keys(Version._meta.pk, [version_id])
    )
    if object_id is not None:
        versions = versions.filter(object_id=object_id)
    version = versions.select_related("revision").first()
    if version is None:
        return
    returning, missing = 0, []
    for related in version.revision.version_set.all():
        row = related._object_version.object
        if isinstance(row, Photo):
            stored, name = row.image, row.image.name.rsplit("/", 1)[-1]
        elif isinstance(row, Attachment):
            stored, name = row.file, row.title
        else:
            continue
        if not stored or stored.storage.exists(stored.name):
            continue
        if files.in_trash(stored.name):
            returning += 1
        else:
            missing.append(name)
    if returning:
        messages.info(
            request,
            _(
                "%(count)d tệp của phiên bản này đã được gỡ khỏi trang sau khi lưu "
                "(ảnh, tệp đính kèm) và vẫn còn giữ: khôi phục sẽ đưa chúng trở lại."
            )
            % {"count": returning},
        )
    if missing:
        names = sorted(missing)
        shown = ", ".join(names[:MISSING_NAMES_SHOWN])
        if len(names) > MISSING_NAMES_SHOWN:
            shown += ", …"
        messages.warning(
            request,
            _(
                "%(count)d tệp của phiên bản này không còn trên máy chủ (đã gỡ "
                "khỏi trang quá %(days)d ngày, hoặc đã bị xóa hẳn): %(names)s. Khôi "
                "phục sẽ đưa các dòng đó về nhưng trang không hiện được tệp; hãy "
                "tải các tệp ấy lên lại sau khi khôi phục."
            )
            % {"count": len(names), "names": shown, "days": files.trash_days()},
        )


def revision_snapshot(version: Version) -> dict[str, str]:
    """An article revision as {row label: text}, with its meeting, attendees
    and photos in their stored order, for side-by-side comparison."""
    article = version._object_version.object
    rows = {
        str(Article._meta.get_field(name).verbose_name).capitalize(): _display(
            article, name
        )
        for name in ARTICLE_COMPARED_FIELDS
    }
    related = {}
    for related_version in version.revision.version_set.all():
        model = related_version._model
        if model is Article:
            continue
        related.setdefault(model, []).append(related_version._object_version.object)
    meeting_model = Article._meta.get_field("meeting").related_model
    for meeting in related.get(meeting_model, [])[:1]:
        for field in meeting._meta.concrete_fields:
            if field.name in {"id", "article"}:
                continue
            label = f"{_('Hội nghị')} – {field.verbose_name}"
            rows[label] = _display(meeting, field.name)
    describe = {
        Attendance: lambda a: " – ".join(
            part for part in [a.name, a.positions, a.get_role_display()] if part
        ),
        Photo: lambda p: f"{p.caption or '—'} ({p.image.name.rsplit('/', 1)[-1]})",
        Attachment: lambda f: f.title,
    }
    for model, text in describe.items():
        items = sorted(related.get(model, []), key=lambda row: (row.order, row.pk))
        rows[str(model._meta.verbose_name_plural).capitalize()] = "\n".join(
            f"{number}. {text(item)}" for number, item in enumerate(items, 1)
        )
    return rows
