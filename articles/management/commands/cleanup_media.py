import re
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import models

from articles.richtext import RichTextField

MEDIA_SRC = re.compile(r'(?:src|href)="([^"]+)"')


def referenced_media() -> set[str]:
    """Storage names of every file a row points at: file fields, photo
    renditions, and images or links inside rich text."""
    names: set[str] = set()
    media_url = settings.MEDIA_URL
    for model in apps.get_models():
        file_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.FileField)
        ]
        rich_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, RichTextField)
        ]
        has_file_names = callable(getattr(model, "file_names", None))
        if not (file_fields or rich_fields or has_file_names):
            continue
        for row in model._default_manager.iterator(chunk_size=500):
            if has_file_names:
                names.update(row.file_names())
            for attname in file_fields:
                value = getattr(row, attname)
                if value:
                    names.add(str(value))
            for attname in rich_fields:
                for url in MEDIA_SRC.findall(getattr(row, attname) or ""):
                    if url.startswith(media_url):
                        names.add(url.removeprefix(media_url))
    return names


class Command(BaseCommand):
    help = (
        "Xóa các tệp trong thư mục media không còn bản ghi nào dùng đến (ví dụ ảnh "
        "của một lần tải lên bị ngắt giữa chừng). Chỉ xóa tệp cũ hơn --min-age-hours "
        "giờ để không đụng đến ảnh đang được tải lên."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-age-hours",
            type=float,
            default=24,
            help="Chỉ xóa tệp cũ hơn số giờ này (mặc định 24).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Chỉ liệt kê, không xóa.",
        )

    def handle(self, *args, min_age_hours, dry_run, **options):
        root = Path(settings.MEDIA_ROOT)
        if not root.is_dir():
            self.stdout.write("Thư mục media chưa có, không có gì để dọn.")
            return
        # Listed before the rows are read: a file written after this moment
        # is never judged against an older picture of the database.
        cutoff = time.time() - min_age_hours * 3600
        candidates = [
            path
            for path in root.rglob("*")
            if path.is_file() and path.stat().st_mtime <= cutoff
        ]
        referenced = referenced_media()
        orphans = [
            path
            for path in candidates
            if path.relative_to(root).as_posix() not in referenced
        ]
        for path in sorted(orphans):
            self.stdout.write(str(path.relative_to(root)))
            if not dry_run:
                path.unlink(missing_ok=True)
        if not dry_run:
            for directory in sorted(root.rglob("*"), reverse=True):
                if directory.is_dir() and not any(directory.iterdir()):
                    directory.rmdir()
        verb = "Sẽ xóa" if dry_run else "Đã xóa"
        self.stdout.write(f"{verb} {len(orphans)} tệp không còn dùng.")
