import time

from django.core.management.base import BaseCommand
from django.db import connection

from articles import search


class Command(BaseCommand):
    help = (
        "Dựng lại chỉ mục tìm kiếm của mọi bài viết (sau khi nhập dữ liệu hàng "
        "loạt hoặc đổi danh sách từ viết tắt)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Số bài xử lý mỗi lượt (mặc định 500).",
        )

    def handle(self, *args, batch_size, **options):
        started = time.perf_counter()
        count = search.rebuild(batch_size=max(1, batch_size))
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Every row was rewritten: until a vacuum, index-only scans (list
            # counts, deep pages) visit the table again, and the planner's
            # statistics describe the old rows.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"VACUUM ANALYZE articles_article, {search.SEARCH_TABLE}"
                )
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã dựng lại chỉ mục tìm kiếm cho {count} bài viết "
                f"trong {seconds:.1f} giây."
            )
        )
