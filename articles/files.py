"""Where uploaded files are stored, and where files taken off the site go.

Each upload is stored in a folder of its own (``upload_folder``).

Files taken off the site are kept where nothing serves them for a while.
A deleted or replaced photo or attachment, and every file of a deleted
article, stops being served once the change is committed: its files leave
the media folder. They are moved to the trash rather than deleted, so that
restoring the article's revision, or recovering the deleted article, brings
them back with their rows (``restore_files_on_commit``).

``python manage.py purge_trash`` (daily, from cron) deletes what has been
there longer than ``WARDNEWS_TRASH_DAYS`` (30 by default); ``--all``
empties it at once, for a file that must leave the server now.

The trash is a folder beside the media folder (``WARDNEWS_TRASH_ROOT``, by
default ``trash`` next to ``DJANGO_MEDIA_ROOT``), or ``STORAGES["trash"]``
when that is set: a private bucket where media is in object storage.
"""

import datetime
import logging
import os
import posixpath
import re
import string
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)

# Lowercase letters and digits: one name on a disk that ignores case too.
FOLDER_CHARS = string.ascii_lowercase + string.digits
FOLDER_LENGTH = 10
is_upload_folder = re.compile(rf"[{FOLDER_CHARS}]{{{FOLDER_LENGTH}}}").fullmatch


def upload_folder(kind: str) -> str:
    """``photos/2024/07/k3x9q2mf4z``: a folder of its own for each upload.

    A draft's photos and files are stored, and served as files, before the
    article is published. Named only by month and file name
    (``photos/2024/07/img-1234.jpg``), they could be found by guessing; the
    folder's random part (about 52 bits) cannot be. The file keeps its own
    readable name, which is what a reader's phone saves it as.
    """
    folder = get_random_string(FOLDER_LENGTH, FOLDER_CHARS)
    return f"{kind}/{timezone.now():%Y/%m}/{folder}"


def trash_storage() -> Storage:
    if "trash" in settings.STORAGES:
        return storages["trash"]
    root = getattr(settings, "WARDNEWS_TRASH_ROOT", None)
    location = Path(root) if root else Path(settings.MEDIA_ROOT).parent / "trash"
    # Never served: no address of its own.
    return FileSystemStorage(location=location, base_url="")


def move_to_trash(media: Storage, names: list[str]) -> None:
    """Take the files off the site, into the trash under the same names."""
    trash = trash_storage()
    folders = set()
    for name in filter(None, names):
        try:
            if not media.exists(name):
                continue
            if trash.exists(name):  # an older file of the same name
                trash.delete(name)
            _move(media, trash, name)
        except Exception:
            # The change is committed: a trash that cannot be written to
            # (full, or not the app's to write) must not turn it into an
            # error page, nor stop the other files from leaving.
            logger.exception("Could not move %s to the trash", name)
            continue
        folders.add(posixpath.dirname(name))
    remove_empty_upload_folders(media, folders)


def _move(source: Storage, target: Storage, name: str) -> None:
    """Move a file between two storages, under the same name: renamed where
    both are folders of one disk (a gallery of sixty photos moves at once),
    copied otherwise. Its time in its new place starts now."""
    if isinstance(source, FileSystemStorage) and isinstance(target, FileSystemStorage):
        destination = Path(target.path(name))
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(source.path(name), destination)
        except OSError:  # another disk: copied below
            pass
        else:
            os.utime(destination)
            return
    with source.open(name, "rb") as stored:
        target.save(name, stored)
    source.delete(name)


def trash_files_on_commit(media: Storage, names: list[str]) -> None:
    """Move once the change is committed: a rollback leaves them served."""
    transaction.on_commit(lambda: move_to_trash(media, names))


def restore_files(media: Storage, names: list[str]) -> list[str]:
    """Put back on the site those of ``names`` that are in the trash and
    not in the media folder; returns the names put back."""
    trash = trash_storage()
    folders, restored = set(), []
    for name in filter(None, names):
        try:
            if media.exists(name) or not trash.exists(name):
                continue
            _move(trash, media, name)
        except Exception:  # as above: the restore is committed
            logger.exception("Could not restore %s from the trash", name)
            continue
        restored.append(name)
        folders.add(posixpath.dirname(name))
    remove_empty_upload_folders(trash, folders)
    return restored


def restore_files_on_commit(media: Storage, names: list[str]) -> None:
    """For rows a revision brings back: their files return once that is
    committed. A revision only looked at (reverted and rolled back, as the
    restore page does to show it) leaves them in the trash."""
    transaction.on_commit(lambda: restore_files(media, names))


def check_trash_is_not_served(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A trash inside the media folder would go on serving the files taken
    off the site."""
    if "trash" in settings.STORAGES:
        return []
    trash = Path(trash_storage().location).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    if trash == media or trash.is_relative_to(media):
        return [
            checks.Error(
                f"WARDNEWS_TRASH_ROOT ({trash}) is inside DJANGO_MEDIA_ROOT "
                f"({media}): files taken off the site would still be served.",
                hint="Put the trash beside the media folder, not in it.",
                id="wardnews.E001",
            )
        ]
    return []


def trash_days() -> int:
    return int(getattr(settings, "WARDNEWS_TRASH_DAYS", 30))


def in_trash(name: str) -> bool:
    return bool(name) and trash_storage().exists(name)


def purge(days: float | None) -> list[str]:
    """Delete what has been in the trash longer than ``days`` (everything
    when None); returns the names deleted."""
    trash = trash_storage()
    cutoff = None if days is None else timezone.now() - datetime.timedelta(days=days)
    deleted, folders = [], set()
    for name in _walk(trash, ""):
        if cutoff is None or trash.get_modified_time(name) <= cutoff:
            trash.delete(name)
            deleted.append(name)
            folders.add(posixpath.dirname(name))
    remove_empty_upload_folders(trash, folders)
    return deleted


def _walk(storage: Storage, folder: str):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # an empty trash has no folder yet
        return
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for sub in sorted(folders):
        yield from _walk(storage, posixpath.join(folder, sub))


def remove_empty_upload_folders(storage: Storage, folders: set[str]) -> None:
    """The upload folders left empty, on a local disk; object storage has
    no folders to remove."""
    if not isinstance(storage, FileSystemStorage):
        return
    for folder in folders:
        if is_upload_folder(posixpath.basename(folder)):
            try:
                os.rmdir(storage.path(folder))
            except OSError:  # other files in it, or already gone
                pass
