from django import template

from ..models import Article

register = template.Library()

DASHBOARD_ROWS = 10


@register.inclusion_tag("admin/articles/_workflow_dashboard.html", takes_context=True)
def workflow_dashboard(context):
    """Scheduled, in-review and recently published articles for the admin
    index, for anyone who may see articles."""
    user = context["request"].user
    if not user.has_perm("articles.view_article"):
        return {"show": False}
    articles = Article.objects.select_related("category", "author")
    return {
        "show": True,
        "in_review": list(articles.in_review().order_by("updated_at")[:DASHBOARD_ROWS]),
        "scheduled": list(articles.scheduled().order_by("publish_at")[:DASHBOARD_ROWS]),
        "recent": list(articles.published().newest_first()[:DASHBOARD_ROWS]),
    }
