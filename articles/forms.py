from django import forms
from django.utils.translation import gettext_lazy as _

from . import pagecache, vietnamese
from .models import Meeting, Organization, published_q


class MeetingFilterForm(forms.Form):
    """Filters of the public meeting list; both optional, bad values ignored."""

    don_vi = forms.ModelChoiceField(
        label=_("Đơn vị tổ chức"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Tất cả đơn vị"),
        error_messages={"invalid_choice": _("Không có đơn vị này.")},
    )
    khoa = forms.TypedChoiceField(
        label=_("Khóa"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Không có khóa này.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        def mentioned():
            # Only what published reports mention: a draft must not leak a
            # name. One pass over the meetings, once per content generation.
            meetings = Meeting.objects.filter(published_q("article__"))
            organizations = (
                meetings.exclude(organization=None)
                .order_by()
                .values_list("organization", flat=True)
            )
            terms = (
                meetings.exclude(term_number=None)
                .order_by("-term_number")
                .values_list("term_number", flat=True)
            )
            return list(organizations.distinct()), list(terms.distinct())

        organizations, terms = pagecache.remember("meeting-filters", mentioned)
        self.fields["don_vi"].queryset = Organization.objects.filter(
            pk__in=organizations
        )
        self.fields["khoa"].choices = [("", _("Tất cả các khóa"))] + [
            (str(term), f"Khóa {vietnamese.to_roman(term)}") for term in terms
        ]

    def filter(self, queryset):
        """``queryset`` narrowed by the valid fields; invalid ones are ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("don_vi"):
            queryset = queryset.filter(meeting__organization=data["don_vi"])
        if data.get("khoa"):
            queryset = queryset.filter(meeting__term_number=data["khoa"])
        return queryset
