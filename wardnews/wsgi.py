import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wardnews.settings")
django_application = get_wsgi_application()

from articles.cachedpages import WSGIPageCache  # noqa: E402  (needs settings)

# Page-cache hits are answered before Django's request handling starts.
application = WSGIPageCache(django_application)
