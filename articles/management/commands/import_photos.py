from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from articles.services import photos_ingest


class Command(BaseCommand):
    help = (
        "Nhập ảnh vào một bài viết qua cùng quy trình với trang quản trị: "
        "mỗi tệp một dòng kết quả (đã lưu / bỏ qua vì trùng / từ chối: lý do). "
        "Thoát với mã khác 0 nếu có tệp bị từ chối."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Đường dẫn (slug) của bài viết.")
        parser.add_argument(
            "paths", nargs="+", metavar="FILE", help="Tệp ảnh hoặc thư mục ảnh."
        )
        parser.add_argument("--credit", default="", help="Nguồn ảnh cho mọi ảnh.")

    def handle(self, *args, slug, paths, credit, **options):
        try:
            article = Article.objects.get(slug=slug)
        except Article.DoesNotExist:
            raise CommandError(
                f"Không có bài viết nào có đường dẫn “{slug}”."
            ) from None
        refused = 0
        for path in self.expand(paths):
            if not path.is_file():
                refused += 1
                self.stdout.write(f"{path}: từ chối: không tìm thấy tệp")
                continue
            with path.open("rb") as handle:
                [result] = photos_ingest(
                    article=article, files=[File(handle, name=path.name)], credit=credit
                )
            if result.status == "stored":
                line = f"{path}: đã lưu (ảnh thứ {result.photo.order})"
                self.stdout.write(self.style.SUCCESS(line))
            elif result.status == "duplicate":
                self.stdout.write(f"{path}: bỏ qua vì trùng: {result.message}")
            else:
                refused += 1
                self.stdout.write(
                    self.style.ERROR(f"{path}: từ chối: {result.message}")
                )
        if refused:
            raise CommandError(f"{refused} tệp bị từ chối.")

    def expand(self, paths: list[str]) -> list[Path]:
        """Files as given; a folder stands for the files directly inside it."""
        expanded = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                expanded.extend(
                    sorted(
                        p
                        for p in path.iterdir()
                        if p.is_file() and not p.name.startswith(".")
                    )
                )
            else:
                expanded.append(path)
        return expanded
