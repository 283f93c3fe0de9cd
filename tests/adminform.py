"""Build the POST a browser would send from a rendered admin change form."""

from django.db.models.fields.files import FieldFile


def form_fields(form) -> dict:
    data = {}
    for name in form.fields:
        bound = form[name]
        value = bound.value()
        widget = bound.field.widget
        # The admin wraps a relation's widget (its "+" and pencil links).
        inner = getattr(widget, "widget", widget)
        if value is None or isinstance(value, FieldFile):
            continue
        if hasattr(widget, "widgets"):  # date and time in two inputs
            parts = value if isinstance(value, list) else widget.decompress(value)
            for suffix, sub, part in zip(
                widget.widgets_names, widget.widgets, parts, strict=True
            ):
                data[f"{bound.html_name}{suffix}"] = sub.format_value(part) or ""
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif getattr(inner, "allow_multiple_selected", False):
            data[bound.html_name] = [str(v) for v in value]
        else:
            formatted = widget.format_value(value)
            if isinstance(formatted, list):  # a select's chosen option
                formatted = formatted[0] if formatted else ""
            data[bound.html_name] = "" if formatted is None else str(formatted)
    return data


def change_form_data(response) -> dict:
    """Every field of the page's main form and inline formsets, as shown."""
    context = response.context
    data = form_fields(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_fields(formset.management_form))
        # The blank extra rows are left out, as if the editor removed them.
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(formset.initial_form_count())
        for form in formset.initial_forms:
            data.update(form_fields(form))
    return data
