"""Article pages rendered once, when something they show changes, not on
every request.

A published article's public page (and its card in lists) is stored in
``RenderedArticle``. A request for the page is one query: the article under
the publication conditions (so scheduling and expiry still take effect on
time, with nothing re-rendered) joined with its stored HTML. Rendering
happens on the first request after a change, and only for the article that
changed: an edit to one article leaves the other pages as they were, unlike
the page cache, whose generation every edit renews.

Keeping stored HTML right:

- *What the page shows.* Saving or deleting the article, its meeting,
  attendees, photos or attachments marks its row stale; so does renaming an
  official who attended or the meeting's organizing body. A category or the
  site settings appear on every page (menu, footer), so changing one marks
  every row stale. Marking empties both versions and adds one to ``stamp``
  in the transaction of the change, once per article and transaction.
- *Races.* A renderer reads ``stamp`` before it loads the article and stores
  its HTML only where ``stamp`` is unchanged (``UPDATE … WHERE stamp = s``).
  A change that commits in between, or that still holds the row, makes the
  update match nothing: HTML rendered from old rows is never stored.
- *Code and static files.* ``version()`` is a digest of the templates, the
  app's code, Django's version, the static files manifest and the settings
  that shape addresses and dates; a deployment that changes any of them
  makes every stored page stale at once.
- *The address of the site.* Pages are rendered for ``RENDER_ROOT`` and the
  request's own scheme and host replace it when served.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import DisallowedHost
from django.db import connection, transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.signals import post_delete, post_save, pre_delete
from django.http import HttpRequest, QueryDict
from django.template.loader import render_to_string
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString

from . import context_processors, pagecache, prepared
from .models import (
    Article,
    ArticleQuerySet,
    Attachment,
    Attendance,
    Category,
    Meeting,
    Official,
    Organization,
    Photo,
    RenderedArticle,
    SiteSettings,
)
from .release import version
from .transactions import first_in_transaction, forget_in_transaction

RENDER_HOST = "wardnews.invalid"
RENDER_ROOT = f"http://{RENDER_HOST}"
PAGE_TEMPLATE = "articles/article_detail.html"
CARD_TEMPLATE = "includes/_article_card.html"
LAZY, EAGER = 'loading="lazy"', 'fetchpriority="high"'
ARTICLE_TABLE = Article._meta.db_table
RENDERED_TABLE = RenderedArticle._meta.db_table


class RenderRequest(HttpRequest):
    """An anonymous GET of ``path`` on ``RENDER_HOST``."""

    def __init__(self, path: str):
        super().__init__()
        self.method = "GET"
        self.path = self.path_info = path
        self.GET = QueryDict()
        self.user = AnonymousUser()

    def get_host(self):
        return RENDER_HOST

    def _get_scheme(self):
        return "http"


def render_page(article: Article) -> str:
    """The public page of ``article`` (loaded with ``Article.objects.for_page``)
    as rendered for ``RENDER_ROOT``.

    Site-wide parts (settings, menu) are read from the database, not from
    this process's cache: with local-memory caches, another process's edit
    reaches the database marks before it reaches this cache.
    """
    request = RenderRequest(article.get_absolute_url())
    context = {"article": article, "object": article, "is_draft_view": False}
    with pagecache.computed_fresh():
        context.update(context_processors.site(request, fresh=True))
        return render_to_string(PAGE_TEMPLATE, context, request=request)


def refresh(pk: int, stamp: int | None) -> str | None:
    """Render the page of published article ``pk`` and store it unless the
    article changed since its row read ``stamp`` (None: no row yet). None
    when the article is not published."""
    if stamp is None:
        RenderedArticle.objects.bulk_create(
            [RenderedArticle(article_id=pk)], ignore_conflicts=True
        )
        stamp = 0
    article = Article.objects.published().for_page().filter(pk=pk).first()
    if article is None:
        return None
    page = render_page(article)
    if RenderedArticle.objects.filter(pk=pk, stamp=stamp).update(
        page=page, page_version=version()
    ):
        _forget_mark(pk)
    return page


def render_card(article: Article) -> str:
    """The card of ``article`` (loaded with ``Article.objects.for_listing``)
    as stored: a level 2 heading, its picture loaded lazily (``card_as``
    makes the other forms)."""
    return render_to_string(CARD_TEMPLATE, {"article": article, "level": 2})


def card_as(card: str, *, level: int = 2, eager: bool = False) -> str:
    """A stored ``card`` as the card template renders it with ``level`` and
    ``eager`` (the first picture of a page is fetched first, not lazily)."""
    if level != 2:
        card = card.replace("<h2 ", f"<h{level} ", 1).replace(
            "</h2>", f"</h{level}>", 1
        )
    if eager:
        card = card.replace(LAZY, EAGER, 1)
    return card


def fill_cards(articles: list[Article], *, level: int = 2) -> None:
    """Give each of ``articles`` (``cardlists`` rows, or articles from
    ``Article.objects.with_stored_card``) its ``card`` HTML: stored, or
    rendered and stored now, in one query for all those that were stale.
    The first card with a picture fetches it first."""
    current = version()
    stored = {a.pk: getattr(a, "rendered", None) for a in articles}
    cards = {
        pk: row.card
        for pk, row in stored.items()
        if row and row.card_version == current
    }
    stale = [pk for pk in stored if pk not in cards]
    if stale:
        RenderedArticle.objects.bulk_create(
            [RenderedArticle(article_id=pk) for pk in stale if stored[pk] is None],
            ignore_conflicts=True,
        )
        full = Article.objects.for_listing().defer("body").in_bulk(stale)
        where, whens = Q(), []
        for pk, article in full.items():
            cards[pk] = render_card(article)
            where |= Q(pk=pk, stamp=stored[pk].stamp if stored[pk] else 0)
            whens.append(When(pk=pk, then=Value(cards[pk])))
        if whens:
            RenderedArticle.objects.filter(where).update(
                card=Case(*whens), card_version=current
            )
        for pk in stale:
            _forget_mark(pk)
    lead = next((a for a in articles if a.cover_id), None)
    for article in articles:
        card = card_as(cards.get(article.pk, ""), level=level, eager=article is lead)
        article.card = SafeString(card)


def article_page(request, slug: str) -> str | None:
    """The stored public page of the published article at ``slug``, for this
    request's address; rendered first if stale. None if no such article is
    published (the caller decides between a 404 and an editor's view)."""
    try:
        root = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return None
    row = _page_row(slug)
    if row is None:
        return None
    pk, stored_version, stamp, page = row
    if stored_version != version():
        page = refresh(pk, stamp)
        if page is None:
            return None
    return page.replace(RENDER_ROOT, root)


def _page_row(slug: str) -> tuple | None:
    """``(id, page_version, stamp, page)`` of the published article at
    ``slug``, with the stored page when there is one."""
    published, params = ArticleQuerySet.published_sql("a", connection)
    sql = (
        f"SELECT a.id, r.page_version, r.stamp, r.page FROM {ARTICLE_TABLE} a"
        f" LEFT JOIN {RENDERED_TABLE} r ON r.article_id = a.id"
        f" WHERE a.slug = %s AND {published}"
    )
    params = [slug, *params]
    with connection.cursor() as cursor:
        prepared.execute(cursor, sql, params)
        return cursor.fetchone()


def mark_stale(articles=None) -> None:
    """Make the stored HTML of ``articles`` (ids or a queryset of articles;
    all when None) stale, in the current transaction."""
    rows = RenderedArticle.objects.all()
    if articles is not None:
        rows = rows.filter(article__in=articles)
    rows.update(page_version="", card_version="", stamp=F("stamp") + 1)


def _article_changed(pk: int | None) -> None:
    """Mark one article stale, once per transaction: an admin save writes
    dozens of attendee and photo rows of the same article."""
    if pk is not None and first_in_transaction(("stale", pk)):
        mark_stale([pk])


def _forget_mark(pk: int) -> None:
    # Stored again inside the transaction that marked it: the next change
    # in the same transaction must mark it again.
    forget_in_transaction(("stale", pk))


def _article_saved(sender, instance, created=False, raw=False, **kwargs):
    if created:
        # Its row from the start: the first reader only renders and stores.
        RenderedArticle.objects.bulk_create(
            [RenderedArticle(article_id=instance.pk)], ignore_conflicts=True
        )
    else:
        _article_changed(instance.pk)
    if not raw:
        share_copy_on_commit(instance.cover_id)


def share_copy_on_commit(cover_id: int | None) -> None:
    """Have the copy of cover ``cover_id`` that link previews show made once
    the transaction commits (once per transaction): by the editor's save,
    not by the page's first reader, whose GET would write it."""
    if cover_id and first_in_transaction(("share-copy", cover_id)):
        transaction.on_commit(lambda: _make_share_copy(cover_id), robust=True)


def _make_share_copy(photo_id: int) -> None:
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is not None:
        photo.share_picture()


def _part_changed(sender, instance, **kwargs):
    _article_changed(instance.article_id)


def _official_changed(sender, instance, created=False, **kwargs):
    if not created:
        mark_stale(Article.objects.filter(attendances__official=instance))


def _organization_changed(sender, instance, created=False, **kwargs):
    if not created:
        mark_stale(Article.objects.filter(meeting__organization=instance))


def _everything_changed(sender, **kwargs):
    mark_stale()


def _file_changed(sender, file_path, **kwargs):
    # runserver keeps its process when a template is edited: the next read
    # renders with the edited template.
    version.cache_clear()


def connect_signals() -> None:
    uid = "articles.rendered"
    file_changed.connect(_file_changed, dispatch_uid=uid)
    post_save.connect(_article_saved, sender=Article, dispatch_uid=uid)
    for model in (Meeting, Attendance, Photo, Attachment):
        post_save.connect(_part_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_part_changed, sender=model, dispatch_uid=uid)
    # Attendees and meetings lose the link (SET_NULL) without signals of
    # their own: mark their articles before the row goes.
    for model, receiver in (
        (Official, _official_changed),
        (Organization, _organization_changed),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        pre_delete.connect(receiver, sender=model, dispatch_uid=uid)
    for model in (Category, SiteSettings):
        post_save.connect(_everything_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_everything_changed, sender=model, dispatch_uid=uid)
