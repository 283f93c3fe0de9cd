from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Khôi phục trang tin từ tệp sao lưu của lệnh backup vào một bản cài mới "
        "(đã chạy migrate, chưa có dữ liệu). Dùng được cả khi chuyển từ SQLite "
        "sang PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp sao lưu .zip")

    def handle(self, *args, file, **options):
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"Không tìm thấy tệp {source}.")
        try:
            summary = restore_backup(source)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Đã khôi phục {summary}.")
