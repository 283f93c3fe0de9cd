from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.backup import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ trang tin (cơ sở dữ liệu dạng JSON và mọi tệp ảnh, tệp "
        "đính kèm) vào một tệp .zip. Khôi phục bằng lệnh restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp sao lưu sẽ tạo, ví dụ: saoluu.zip")

    def handle(self, *args, file, **options):
        target = Path(file)
        if target.exists():
            raise CommandError(f"Tệp {target} đã có; chọn tên khác để không ghi đè.")
        try:
            summary = write_backup(target)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Đã sao lưu {summary} vào {target}.")
