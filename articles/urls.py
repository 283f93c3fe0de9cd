from django.urls import path

from . import views
from .feeds import (
    CategoryAtomFeed,
    CategoryFeed,
    LatestArticlesAtomFeed,
    LatestArticlesFeed,
)

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("tin-tuc/", views.ArticleListView.as_view(), name="article-list"),
    path(
        "tin-tuc/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="article-detail",
    ),
    path(
        "xem-truoc/<str:token>/",
        views.ArticlePreviewView.as_view(),
        name="article-preview",
    ),
    path(
        "chuyen-muc/<slug:slug>/",
        views.CategoryDetailView.as_view(),
        name="category-detail",
    ),
    path("hoi-nghi/", views.MeetingListView.as_view(), name="meeting-list"),
    path("tim-kiem/", views.SearchView.as_view(), name="search"),
    path("can-bo/", views.OfficialListView.as_view(), name="official-list"),
    path(
        "can-bo/<slug:slug>/",
        views.OfficialDetailView.as_view(),
        name="official-detail",
    ),
    path("rss/", LatestArticlesFeed(), name="feed"),
    path("atom/", LatestArticlesAtomFeed(), name="feed-atom"),
    path("chuyen-muc/<slug:slug>/rss/", CategoryFeed(), name="category-feed"),
    path("chuyen-muc/<slug:slug>/atom/", CategoryAtomFeed(), name="category-feed-atom"),
    path("luu-tru/", views.ArchiveIndexView.as_view(), name="archive-index"),
    path(
        "luu-tru/<int:year>/<int:month>/",
        views.ArchiveMonthView.as_view(),
        name="archive-month",
    ),
    path("gioi-thieu/", views.PageListView.as_view(), name="page-list"),
    path("gioi-thieu/<slug:slug>/", views.PageDetailView.as_view(), name="page-detail"),
]
