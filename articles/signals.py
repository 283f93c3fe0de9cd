"""Signals the articles app sends, for the page cache, feeds and the like.

``article_visibility_changed``
    Sent with ``sender=Article`` and the keyword arguments ``article`` and
    ``visible`` (bool) after the transaction that made an article appear on,
    or disappear from, the public site has committed: publishing now,
    unpublishing, archiving, deleting a visible article, or moving the publish
    or expiry time of a published article across the present moment.

    Visibility is computed when a page is read (``Article.objects.published()``
    compares with the current time), so an article *scheduled* for later, or
    one that *expires* later, changes visibility with nothing running at that
    moment and no signal. A cache must therefore not keep a page past
    ``Article.objects.next_visibility_change()``, the nearest future publish
    or expiry time of a published article (``None`` when there is none).

    Edits to an article that stays visible do not send this signal; listen to
    ``post_save`` for those.
"""

from django.dispatch import Signal

article_visibility_changed = Signal()
