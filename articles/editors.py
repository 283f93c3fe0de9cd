"""The two rich-text editors, as widgets chosen by ``settings.RICHTEXT_WIDGET``.

Imported only when a form is built, never by models or migrations, so either
editor package can be dropped without touching the schema.
"""

from ckeditor.widgets import CKEditorWidget as BaseCKEditorWidget
from django_prose_editor.widgets import AdminProseEditorWidget

# Toolbar of the prose editor: the same small set as CKEditor's (no source
# view, no embeds). Django-prose-editor has no upload hook: photos of an
# article go through the photo gallery instead.
PROSE_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
}


class CKEditorWidget(BaseCKEditorWidget):
    """django-ckeditor's widget plus the script that sends uploads with the
    CSRF token to our own endpoint."""

    class Media:
        js = ["js/editor-upload.js"]


class ProseEditorWidget(AdminProseEditorWidget):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("config", {"extensions": PROSE_EXTENSIONS})
        kwargs.setdefault("preset", "configurable")
        super().__init__(*args, **kwargs)
