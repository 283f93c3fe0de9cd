from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = _("Tin bài")

    def ready(self):
        from django.core import checks

        from . import files, pagecache, rendered, search

        checks.register(files.check_trash_is_not_served, checks.Tags.security)

        pagecache.connect_signals()
        rendered.connect_signals()
        search.connect_signals(self)
