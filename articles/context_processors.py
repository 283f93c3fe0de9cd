from django.conf import settings

from .models import Category


def site(request):
    """Site identity and the category menu, for every public page."""
    return {
        "site_name": settings.WARDNEWS_SITE_NAME,
        "site_tagline": settings.WARDNEWS_SITE_TAGLINE,
        "nav_categories": Category.objects.all(),
    }
