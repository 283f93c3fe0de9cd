"""The rows edited inside an article's admin page: its meeting, its
attendees, its photos and its attachments."""

from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models
from django.forms import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .input_admin import KeyedAutocompleteSelect, StaffInputMixin
from .models import Attachment, Attendance, Meeting, Official, Photo
from .models.photos import ATTACHMENT_ACCEPT
from .photo_admin import AttachmentInlineFormSet, PhotoInlineForm, PhotoInlineFormSet

SORTABLE_JS = "js/admin-sortable-inline.js"
UPLOADS_JS = "js/admin-uploads.js"
UPLOADS_CSS = "css/admin-uploads.css"


class MeetingInline(StaffInputMixin, admin.StackedInline):
    model = Meeting
    extra = 0
    max_num = 1
    can_delete = True
    autocomplete_fields = ["organization"]
    verbose_name = _("thông tin hội nghị (nếu bài là tin hội nghị)")
    fieldsets = [
        (None, {"fields": ["organization", "kind", "name"]}),
        (
            _("Lần thứ, khóa, nhiệm kỳ"),
            {
                "fields": [
                    ("session_number", "term_number"),
                    ("term_start_year", "term_end_year"),
                ]
            },
        ),
        (None, {"fields": [("held_on", "held_at"), "place", "opinions_count"]}),
    ]


class AttendanceFormSet(BaseInlineFormSet):
    """Attendee rows whose chosen officials' names are read in one query."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A table whose official is read-only has no box to fill.
        boxes = [
            getattr(form.fields["official"].widget, "widget", None)
            for form in self.forms
            if "official" in form.fields
        ]
        if not boxes or not isinstance(boxes[0], KeyedAutocompleteSelect):
            return
        chosen = boxes[0].keys(form["official"].value() for form in self.forms)
        names = {
            str(official.pk): str(official)
            for official in Official.objects.filter(pk__in=chosen)
        }
        for box in boxes:
            box.names = names


class AttendanceInline(StaffInputMixin, admin.TabularInline):
    model = Attendance
    formset = AttendanceFormSet
    extra = 1
    fields = ["order", "official", "name", "positions", "role"]
    autocomplete_fields = ["official"]
    classes = ["sortable-inline"]

    class Media:
        js = [SORTABLE_JS, "js/admin-attendance.js"]


class PhotoInline(StaffInputMixin, admin.TabularInline):
    """Captions, descriptions and order in place; many photos at once through
    the upload box above the table (``photo_admin.photo_upload``)."""

    model = Photo
    form = PhotoInlineForm
    formset = PhotoInlineFormSet
    template = "admin/articles/photo/tabular.html"
    extra = 1
    fields = [
        "order",
        "preview",
        "image",
        "caption",
        "alt_text",
        "decorative",
        "credit",
    ]
    readonly_fields = ["preview"]
    classes = ["sortable-inline"]

    class Media:
        js = [SORTABLE_JS, UPLOADS_JS, "js/admin-photos.js"]
        css = {"all": [UPLOADS_CSS, "css/admin-photos.css"]}

    @admin.display(description=_("xem trước"))
    def preview(self, obj):
        if not obj.pk or not obj.image:
            return "—"
        warning = ""
        if not obj.alt_text and not obj.decorative:
            warning = format_html(
                '<span class="photo-alt-missing">{}</span>', _("Chưa có mô tả ảnh")
            )
        return format_html(
            '<img src="{}" alt="" width="96" class="photo-preview">'
            '<button type="button" class="button photo-cover" data-photo="{}">'
            "{}</button>{}",
            obj.thumb["url"],
            obj.pk,
            _("Chọn làm ảnh đại diện"),
            warning,
        )


class AttachmentInline(StaffInputMixin, admin.TabularInline):
    """Titles and order in place; many files at once through the upload box
    above the table (``photo_admin.attachment_upload``)."""

    model = Attachment
    formset = AttachmentInlineFormSet
    template = "admin/articles/attachment/tabular.html"
    extra = 0
    fields = ["order", "file", "title"]
    # The stored name is made short (``attachment_upload_to``), so a long
    # name from the ward's documents is taken as it is.
    formfield_overrides = {
        models.FileField: {
            "max_length": None,
            "widget": AdminFileWidget(attrs={"accept": ATTACHMENT_ACCEPT}),
        }
    }

    class Media:
        js = [UPLOADS_JS]
        css = {"all": [UPLOADS_CSS]}
