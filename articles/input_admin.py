"""Input no row can match, sent to the admin by hand, refused the way
Django refuses other bad input, where Django's admin fails with a server
error: a key in a search box for a related row or in a list of them
(``abc``, ``1.5``, a number past what the column holds), the rows an
action is asked for, a year past the calendar in a list's dates or in a
moment (``01/01/0001``, which is year 0 in UTC). Files past the upload
limit are refused in the browser, before the proxy refuses the whole form.

``StaffInputMixin`` goes on every ModelAdmin and inline of the site."""

from contextlib import contextmanager

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters, InlineModelAdmin
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.forms import Media, ModelMultipleChoiceField
from django.utils.translation import gettext as _

from . import images
from .models.base import validate_calendar_year

# Refuses, before anything is sent, files past the server's limit.
UPLOAD_LIMIT_JS = "js/admin-upload-limit.js"


def possible_keys(field, values) -> list[str]:
    """Those of ``values`` that ``field`` (a primary key, say) can hold."""
    kept = []
    for value in map(str, values):
        try:
            field.run_validators(field.to_python(value))
        except ValidationError:
            continue
        kept.append(value)
    return kept


class KeyedMultipleChoiceField(ModelMultipleChoiceField):
    """Django's field for a list of related rows (a user's roles), with a
    value that cannot be a key refused as one no row has."""

    def _check_values(self, value):
        opts = self.queryset.model._meta
        key = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for pk in value:
            if not possible_keys(key, [pk]):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class KeyedAutocompleteSelect(AutocompleteSelect):
    """Django's search box for a foreign key (``autocomplete_fields``), with
    two changes:

    - a value that cannot be a key is left out rather than looked up: the
      form's own error says what is wrong with it;
    - the chosen row's name comes from ``names`` (key → name) when there.
      A table of rows reads those once (``admin.AttendanceFormSet``);
      Django reads each with a query of its own, 40 for a large meeting.
    """

    names: dict[str, str] = {}

    def keys(self, values) -> list[str]:
        return possible_keys(self.field.target_field, values)

    def optgroups(self, name, value, attr=None):
        chosen = self.keys(value)
        if not all(key in self.names for key in chosen):
            return super().optgroups(name, chosen, attr)
        options = (
            [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        )
        for key in chosen:
            options.append(
                self.create_option(name, key, self.names[key], True, len(options))
            )
        return [(None, options, 0)]


class DatesChangeList(ChangeList):
    """A list whose parameters are refused says so. Django refuses a filter
    it cannot read (``?publish_at__year=abc``) by showing the whole list
    again, without a word. A date past the calendar
    (``?publish_at__year=99999999999999999999``, or ``=9999``, whose year
    ends in 10000, or ``=1``, whose first moment in UTC is in year 0) made
    Django fail with a server error building or running the query; it is
    refused the same way. Only a list asked for with a lookup in its
    address (``__year``, ``__gte``…) is refused so: anywhere else the same
    error is a bug, and shows as one."""

    def __init__(self, request, *args, **kwargs):
        try:
            super().__init__(request, *args, **kwargs)
        except IncorrectLookupParameters:
            messages.warning(
                request,
                _(
                    "Bộ lọc trong địa chỉ không đọc được (chẳng hạn một năm "
                    "không có thật), nên danh sách hiện đủ mọi dòng."
                ),
            )
            raise

    def get_filters(self, request):
        with _dates_refused(request):
            return super().get_filters(request)

    def get_results(self, request):
        with _dates_refused(request):
            super().get_results(request)


@contextmanager
def _dates_refused(request):
    try:
        yield
    except (OverflowError, ValueError) as error:
        if not any(LOOKUP_SEP in name for name in request.GET):
            raise
        raise IncorrectLookupParameters(error) from error


class StaffInputMixin:
    """For a ModelAdmin or an inline, placed before Django's class."""

    @property
    def media(self):
        media = super().media
        if any(isinstance(f, models.FileField) for f in self.model._meta.fields):
            media += Media(js=[UPLOAD_LIMIT_JS])
        return media

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = KeyedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", KeyedMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(db_field, models.DateTimeField):
            formfield.validators.append(validate_calendar_year)
        if formfield is not None and isinstance(db_field, models.FileField):
            # Read by UPLOAD_LIMIT_JS before anything is sent.
            formfield.widget.attrs["data-max-bytes"] = images.MAX_UPLOAD_BYTES
        if isinstance(self, InlineModelAdmin) and isinstance(
            getattr(formfield, "widget", None), RelatedFieldWidgetWrapper
        ):
            # In a row, the ✖ beside an attendee's official reads as "take
            # this row out", but deletes the official from the whole site:
            # their page, and the links to it from every report. A row is
            # taken out with its own "Xóa" box; an official or an
            # organization is deleted from its own page.
            formfield.widget.can_delete_related = False
        return formfield

    def get_changelist(self, request, **kwargs):
        return DatesChangeList

    def response_action(self, request, queryset):
        # The rows ticked: only keys they can have are looked up. With none
        # left, Django says that rows must be ticked first.
        name = helpers.ACTION_CHECKBOX_NAME
        ticked = request.POST.getlist(name)
        kept = possible_keys(self.model._meta.pk, ticked)
        if kept != ticked:
            request.POST = request.POST.copy()
            request.POST.setlist(name, kept)
        return super().response_action(request, queryset)
