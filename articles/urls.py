from django.urls import path

from . import views
from .feeds import LatestArticlesFeed

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
        "chuyen-muc/<slug:slug>/",
        views.CategoryDetailView.as_view(),
        name="category-detail",
    ),
    path("hoi-nghi/", views.MeetingListView.as_view(), name="meeting-list"),
    path("can-bo/", views.OfficialListView.as_view(), name="official-list"),
    path(
        "can-bo/<slug:slug>/",
        views.OfficialDetailView.as_view(),
        name="official-detail",
    ),
    path("rss/", LatestArticlesFeed(), name="feed"),
]
