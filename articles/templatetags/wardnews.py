import datetime
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import formats, timezone
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import mark_safe

from .. import pagecache, structured_data, vietnamese
from ..richtext import clean_html

register = template.Library()


@register.filter
def vi_date(value):
    """ "Thứ Sáu, 05/07/2024", in the site's time zone."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return vietnamese.vi_date(value)


@register.filter
def vi_number(value):
    """ "1.434": a count, its thousands grouped as Vietnamese writes them."""
    return formats.number_format(value, force_grouping=True)


@register.filter
def roman(value):
    try:
        return vietnamese.to_roman(int(value))
    except (TypeError, ValueError):
        return ""


@register.filter
def rich_text(value):
    """Render stored rich text, cleaned again in case a path skipped save()."""
    return mark_safe(clean_html(value))


@register.simple_tag(takes_context=True)
def json_ld(context, kind, obj=None):
    """``<script type="application/ld+json">`` describing the page.

    ``kind`` names a function of ``articles.structured_data``. A data block
    is never executed, but carries the CSP nonce when one is in use.
    """
    request = context["request"]
    build = getattr(structured_data, kind)
    site = context["site"]
    data = build(site, request) if obj is None else build(obj, site, request)
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    nonce = getattr(request, "csp_nonce", None)
    return format_html(
        '<script type="application/ld+json"{}>{}</script>',
        format_html(' nonce="{}"', nonce) if nonce else "",
        mark_safe(payload.translate(_json_script_escapes)),
    )


@register.simple_tag(takes_context=True)
def share_image(context, photo):
    """OpenGraph/Twitter image tags for ``photo`` (absolute URL, size, alt)."""
    url, width, height = structured_data.share_picture(photo)
    lines = [
        format_html(
            '<meta property="og:image" content="{}{}">',
            context.get("site_root", ""),
            url,
        )
    ]
    if width and height:
        lines.append(
            format_html('<meta property="og:image:width" content="{}">', width)
        )
        lines.append(
            format_html('<meta property="og:image:height" content="{}">', height)
        )
    if photo.alt:
        lines.append(
            format_html('<meta property="og:image:alt" content="{}">', photo.alt)
        )
    return mark_safe("\n  ".join(lines))


class SitewideNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        return pagecache.remember(
            f"sitewide:{self.name}", lambda: self.nodelist.render(context)
        )


@register.tag
def sitewide(parser, token):
    """``{% sitewide "name" %}…{% endsitewide %}``: the enclosed part is
    rendered once per content generation (``pagecache.remember``), not on
    every request. Only for parts that show site-wide content alone (the
    site settings, the category menu, fixed links and static files),
    never anything of the request or of one page."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "'\"" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            f'{bits[0]} takes one name in quotes: {{% sitewide "header" %}}'
        )
    nodelist = parser.parse(("endsitewide",))
    parser.delete_first_token()
    return SitewideNode(bits[1][1:-1], nodelist)
