"""The public views, by what they show (``articles/urls.py`` and
``wardnews/urls.py`` route to them)."""

from .detail import ArticleDetailView, ArticlePreviewView, PageDetailView, PageListView
from .lists import (
    ArchiveIndexView,
    ArchiveMonthView,
    ArticleListView,
    CategoryDetailView,
    HomeView,
    MeetingListView,
)
from .officials import OfficialDetailView, OfficialListView
from .search import SearchView
from .site import favicon, healthz, page_not_found, robots_txt

__all__ = [
    "ArchiveIndexView",
    "ArchiveMonthView",
    "ArticleDetailView",
    "ArticleListView",
    "ArticlePreviewView",
    "CategoryDetailView",
    "HomeView",
    "MeetingListView",
    "OfficialDetailView",
    "OfficialListView",
    "PageDetailView",
    "PageListView",
    "SearchView",
    "favicon",
    "healthz",
    "page_not_found",
    "robots_txt",
]
