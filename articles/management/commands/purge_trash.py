from django.core.management.base import BaseCommand, CommandError

from articles import files


class Command(BaseCommand):
    help = (
        "Xóa hẳn các tệp đã gỡ khỏi trang (ảnh, tệp đính kèm đã xóa hoặc thay) "
        "sau khi giữ đủ WARDNEWS_TRASH_DAYS ngày (mặc định 30). Chạy mỗi ngày."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=float,
            help="Xóa tệp đã gỡ hơn số ngày này (mặc định WARDNEWS_TRASH_DAYS).",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="Xóa hẳn mọi tệp đã gỡ ngay bây giờ, như khi một tệp có thông tin "
            "cá nhân phải rời máy chủ.",
        )

    def handle(self, *args, days, everything, **options):
        if everything:
            days = None
        elif days is None:
            days = files.trash_days()
        elif days < 0:
            raise CommandError("--days phải là số ngày không âm.")
        deleted = files.purge(days)
        for name in deleted:
            self.stdout.write(name)
        self.stdout.write(f"Đã xóa hẳn {len(deleted)} tệp đã gỡ khỏi trang.")
