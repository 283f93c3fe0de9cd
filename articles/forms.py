from django import forms
from django.utils.translation import gettext_lazy as _

from . import pagecache, vietnamese
from .cardlists import MeetingScope
from .models import Meeting, published_q


class MeetingFilterForm(forms.Form):
    """Filters of the public meeting list; both optional, bad values ignored.
    Their choices are read once per content generation, so the form costs
    no query."""

    don_vi = forms.TypedChoiceField(
        label=_("Đơn vị tổ chức"),
        coerce=int,
        required=False,
        empty_value=None,
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
        organizations, terms = pagecache.remember("meeting-filters", mentioned)
        self.fields["don_vi"].choices = [("", _("Tất cả đơn vị"))] + [
            (str(pk), name) for pk, name in organizations
        ]
        self.fields["khoa"].choices = [("", _("Tất cả các khóa"))] + [
            (str(term), f"Khóa {vietnamese.to_roman(term)}") for term in terms
        ]

    @classmethod
    def read(cls, params) -> tuple[MeetingScope, dict[str, str]]:
        """The ``scope()`` and ``canonical_data()`` of ``params``, with no
        form built when they name no filter (the list as most open it)."""
        if not params.keys() & cls.base_fields.keys():
            return MeetingScope(), dict.fromkeys(cls.base_fields, "")
        form = cls(params)
        return form.scope(), form.canonical_data()

    def scope(self) -> MeetingScope:
        """The meetings the valid fields ask for; invalid ones are ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return MeetingScope(
            organization_id=data.get("don_vi"), term_number=data.get("khoa")
        )

    def canonical_data(self) -> dict[str, str]:
        """Data that renders as this form does, one form for every way of
        writing the same filters: each valid value as its option's, an
        invalid one as another that is invalid in the same way."""
        self.is_valid()
        data = {}
        for name in self.fields:
            if name in self.errors:
                data[name] = "-"
            else:
                value = self.cleaned_data[name]
                data[name] = "" if value is None else str(value)
        return data


def mentioned() -> tuple[list[tuple[int, str]], list[int]]:
    """The organizations (id, name) and terms that published reports
    mention, in the organizations' order and newest term first: a draft must
    not leak a name. One pass over the meetings."""
    rows = (
        Meeting.objects.filter(published_q("article__"))
        .order_by("organization__order", "organization__name", "organization")
        .values_list(
            "organization__order", "organization__name", "organization", "term_number"
        )
        .distinct()
    )
    organizations, terms = {}, set()
    for _order, name, organization, term in rows:
        if organization is not None:
            organizations[organization] = name
        terms.add(term)
    return list(organizations.items()), sorted(terms - {None}, reverse=True)
