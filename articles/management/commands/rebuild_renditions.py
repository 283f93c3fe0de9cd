from django.core.management.base import BaseCommand, CommandError

from articles.images import ImageRefused
from articles.models import Official, Photo


class Command(BaseCommand):
    help = (
        "Tạo lại các bản ảnh thu nhỏ (WebP) của mọi ảnh, ví dụ sau khi đổi cỡ ảnh. "
        "Ảnh lưu từ trước khi có quy trình xử lý cũng được xoay đúng và xóa "
        "thông tin vị trí; ảnh chân dung cán bộ lưu từ trước cũng vậy."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--article", metavar="SLUG", help="Chỉ làm ảnh của một bài viết."
        )
        parser.add_argument(
            "--portraits",
            action="store_true",
            help="Chỉ làm lại ảnh chân dung cán bộ lưu từ trước.",
        )

    def handle(self, *args, article=None, portraits=False, **options):
        if portraits:
            if self.remake_portraits():
                raise CommandError("Có ảnh chân dung không xử lý được.")
            return
        photos = Photo.objects.order_by("pk")
        if article:
            photos = photos.filter(article__slug=article)
        done = failed = 0
        for photo in photos.iterator(chunk_size=100):
            try:
                photo.rebuild_renditions()
            except (ImageRefused, OSError) as error:
                failed += 1
                message = getattr(error, "message", error)
                self.stderr.write(f"Ảnh #{photo.pk} ({photo.image.name}): {message}")
                continue
            done += 1
            if options["verbosity"] > 1:
                self.stdout.write(f"Ảnh #{photo.pk}: {len(photo.renditions)} bản")
        self.stdout.write(f"Đã tạo lại bản thu nhỏ cho {done} ảnh.")
        if not article:
            failed += self.remake_portraits()
        if failed:
            raise CommandError(f"{failed} ảnh không xử lý được.")

    def remake_portraits(self) -> int:
        remade = failed = 0
        for official in Official.objects.exclude(photo="").order_by("pk"):
            try:
                remade += official.remake_portrait()
            except (ImageRefused, OSError) as error:
                failed += 1
                message = getattr(error, "message", error)
                self.stderr.write(f"Ảnh chân dung của {official}: {message}")
        self.stdout.write(f"Đã làm lại {remade} ảnh chân dung cán bộ.")
        return failed
