"""One-file backups: the database as portable JSON plus every media file.

The archive is a zip holding ``manifest.json`` (format, counts, a SHA-256 of
every member), ``data.json`` (``dumpdata`` as JSON with whole datetimes and
natural keys for content types and permissions, so it loads into any fresh
install on SQLite or PostgreSQL), ``media/…`` and ``trash/…`` (the files
taken off the site that revisions may still bring back, ``articles.files``).
Restoring needs an empty, migrated install.
"""

import datetime
import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.serializers import json as json_serializer
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import files as stored_files

FORMAT = "wardnews-backup/1"
# Rebuilt by ``migrate`` (content types, permissions), rendered again from
# the rows (stored article pages) or worthless elsewhere (sessions,
# login-failure counters).
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "articles.renderedarticle",
    "sessions",
    "axes",
]
# Rows that make an install "not empty": restoring over them would mix sites.
CONTENT_MODELS = [
    "articles.Article",
    "articles.Category",
    "articles.Official",
    "auth.User",
]


# Django's JSON encoder cuts datetimes to milliseconds; a backup keeps them
# whole. This module doubles as the serializer for that format.
SERIALIZER = "wardnewsjson"


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(json_serializer.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder


Deserializer = json_serializer.Deserializer


def _register_serializer() -> None:
    if SERIALIZER not in serializers.get_serializer_formats():
        serializers.register_serializer(SERIALIZER, __name__)


class BackupError(Exception):
    """A backup cannot be written or restored; the message is for the operator."""


@dataclass(frozen=True)
class Summary:
    objects: int
    media_files: int
    trash_files: int = 0

    def __str__(self) -> str:
        said = f"{self.objects} bản ghi và {self.media_files} tệp"
        if self.trash_files:
            said += f" (cùng {self.trash_files} tệp đã gỡ khỏi trang, còn giữ)"
        return said


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def _roots() -> dict[str, Path]:
    """The folders an archive holds, by the name of their part in it. The
    trash is one when it is a folder on this disk; a bucket of its own is
    backed up with the bucket."""
    roots = {"media": Path(settings.MEDIA_ROOT)}
    trash = stored_files.trash_storage()
    if isinstance(trash, FileSystemStorage):
        roots["trash"] = Path(trash.location)
    return roots


def write_backup(target: Path) -> Summary:
    """Write the archive to ``target`` (atomically: a half-written archive
    never has the final name)."""
    roots = _roots()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        data_path = Path(work) / f"data.{SERIALIZER}"
        _register_serializer()
        call_command(
            "dumpdata",
            format=SERIALIZER,
            exclude=EXCLUDED,
            natural_foreign=True,
            indent=1,
            output=str(data_path),
            verbosity=0,
        )
        objects = len(json.loads(data_path.read_text(encoding="utf-8")))
        files = {
            f"{part}/{path.relative_to(root).as_posix()}": path
            for part, root in roots.items()
            for path in _media_files(root)
        }
        partial = target.with_name(target.name + ".partial")
        try:
            _write_archive(partial, data_path, files, objects)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        os.replace(partial, target)
    trash = sum(name.startswith("trash/") for name in files)
    return Summary(objects=objects, media_files=len(files) - trash, trash_files=trash)


def _write_archive(
    path: Path, data_path: Path, files: dict[str, Path], objects: int
) -> None:
    members = {"data.json": _sha256(data_path)}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(data_path, "data.json")
        for name, file in files.items():
            # Photos are compressed already; deflating them only costs time.
            archive.write(file, name, compress_type=zipfile.ZIP_STORED)
            members[name] = _sha256(file)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "objects": objects,
            "members": members,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=1))


def _safe_member(name: str) -> tuple[str, PurePosixPath] | None:
    """The part (``media``, ``trash``) and the path below its folder of an
    archive member, or None if the member tries to leave it."""
    path = PurePosixPath(name)
    if path.parts[:1] not in (("media",), ("trash",)) or len(path.parts) < 2:
        return None
    relative = PurePosixPath(*path.parts[1:])
    if relative.is_absolute() or ".." in relative.parts or "\\" in name:
        return None
    return path.parts[0], relative


def _read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError) as error:
        raise BackupError(_("Tệp này không phải bản sao lưu của trang tin.")) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("Bản sao lưu có định dạng “%(format)s”, phiên bản này không đọc được.")
            % {"format": manifest.get("format")}
        )
    return manifest


def install_is_empty() -> bool:
    return not any(
        apps.get_model(label)._default_manager.exists() for label in CONTENT_MODELS
    )


def restore_backup(source: Path) -> Summary:
    """Bring an empty, migrated install to the state saved in ``source``.

    Everything is checked before anything is written; the database part is
    one transaction, and media written for a failed restore is removed.
    """
    if not install_is_empty():
        raise BackupError(
            _(
                "Cơ sở dữ liệu đã có bài viết, chuyên mục, cán bộ hoặc tài khoản. Chỉ "
                "khôi phục vào một bản cài mới (đã chạy migrate, chưa nhập dữ liệu)."
            )
        )
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(
            _("Không mở được tệp sao lưu: %(error)s") % {"error": error}
        ) from error
    roots = _roots()
    written: list[Path] = []
    with archive, tempfile.TemporaryDirectory() as work:
        manifest = _read_manifest(archive)
        members = manifest["members"]
        media = {}
        for name, digest in members.items():
            if name == "data.json":
                continue
            member = _safe_member(name)
            if member is None:
                raise BackupError(
                    _("Bản sao lưu có đường dẫn không hợp lệ: %(name)s")
                    % {"name": name}
                )
            part, relative = member
            if part in roots:  # a trash in a bucket is restored with it
                media[name] = (roots[part] / relative, digest)
        data_path = Path(work) / f"data.{SERIALIZER}"
        _register_serializer()
        _extract_checked(archive, "data.json", members["data.json"], data_path)
        try:
            for name, (destination, digest) in media.items():
                if destination.exists():
                    if _sha256(destination) == digest:
                        continue
                    raise BackupError(
                        _("Tệp %(name)s đã có trên máy và khác bản sao lưu.")
                        % {"name": name}
                    )
                destination.parent.mkdir(parents=True, exist_ok=True)
                written.append(destination)
                _extract_checked(archive, name, digest, destination)
            try:
                with transaction.atomic():
                    call_command("loaddata", str(data_path), verbosity=0)
            except (DatabaseError, DeserializationError) as error:
                raise BackupError(
                    _("Không nạp được dữ liệu từ bản sao lưu: %(error)s")
                    % {"error": error}
                ) from error
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
    _content_changed()
    trash = sum(name.startswith("trash/") for name in media)
    return Summary(
        objects=manifest["objects"], media_files=len(media) - trash, trash_files=trash
    )


def _extract_checked(
    archive: zipfile.ZipFile, name: str, digest: str, destination: Path
) -> None:
    digester = hashlib.sha256()
    with archive.open(name) as source, destination.open("wb") as target:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digester.update(chunk)
            target.write(chunk)
    if digester.hexdigest() != digest:
        destination.unlink(missing_ok=True)
        raise BackupError(
            _("Tệp %(name)s trong bản sao lưu bị hỏng (sai mã kiểm tra).")
            % {"name": name}
        )


def _content_changed() -> None:
    # Pages cached before the restore describe another site.
    from . import pagecache

    try:
        pagecache.bump_generation()
    except pagecache.GenerationNotRenewed as error:
        raise BackupError(
            _(
                "Đã khôi phục dữ liệu, nhưng bộ nhớ đệm của trang không trả lời"
                " (%(error)s), nên trang có thể còn hiện nội dung trước khi khôi"
                " phục. Hãy khởi động lại các tiến trình của trang và Redis (nếu"
                " dùng) hoặc xoá thư mục bộ nhớ đệm."
            )
            % {"error": error}
        ) from error
