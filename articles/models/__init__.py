"""The articles app's models, one module per concern; import them from here."""

import reversion

from .base import ArticleChildModel, NormalizedTextModel, unique_slug
from .content import Article, ArticleQuerySet, Category
from .meetings import Attendance, AttendanceQuerySet, Meeting
from .people import Official, Organization, Position, PositionQuerySet
from .photos import (
    Attachment,
    Photo,
    PhotoQuerySet,
    delete_stored_files,
    photo_upload_to,
)
from .queries import published_q
from .rendered import RenderedArticle
from .site import Page, SiteSettings
from .workflow import VIETNAM, AuditEntry, PreviewLink, PreviewLinkQuerySet

# Every admin save stores a revision of the article with its meeting,
# attendees, photos and attachments. Restoring one keeps the article's
# current WORKFLOW_FIELDS (see ArticleWorkflowMixin.revision_view).
reversion.register(Meeting)
reversion.register(Attendance)
reversion.register(Photo)
reversion.register(Attachment)
reversion.register(
    Article,
    follow=["meeting", "attendances", "photos", "attachments"],
    # The lock version is counted at save time; the search columns are
    # derived and rebuilt after a revert.
    exclude=[
        "version",
        "search_title",
        "search_summary",
        "search_body",
        "search_exact",
    ],
)

__all__ = [
    "VIETNAM",
    "Article",
    "ArticleChildModel",
    "ArticleQuerySet",
    "Attachment",
    "Attendance",
    "AttendanceQuerySet",
    "AuditEntry",
    "Category",
    "Meeting",
    "NormalizedTextModel",
    "Official",
    "Organization",
    "Page",
    "Photo",
    "PhotoQuerySet",
    "Position",
    "PositionQuerySet",
    "PreviewLink",
    "PreviewLinkQuerySet",
    "RenderedArticle",
    "SiteSettings",
    "delete_stored_files",
    "photo_upload_to",
    "published_q",
    "unique_slug",
]
