import time

from django.core.management.base import BaseCommand
from django.db.models import Q

from articles import rendered
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Dựng sẵn trang và thẻ của các bài đã đăng còn cũ (sau khi triển khai "
        "phiên bản mới hoặc nhập dữ liệu hàng loạt), để người đọc đầu tiên "
        "không phải chờ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=200,
            help="Số bài xử lý mỗi lượt (mặc định 200).",
        )

    def handle(self, *args, batch_size, **options):
        started = time.perf_counter()
        current = rendered.version()
        stale = (
            Article.objects.published()
            .filter(
                Q(rendered__isnull=True)
                | ~Q(rendered__page_version=current)
                | ~Q(rendered__card_version=current)
            )
            .order_by("-publish_at", "-pk")
            .values_list("pk", flat=True)
        )
        # Newest first: the pages most likely to be read are ready first.
        ids = list(stale)
        batch_size = max(1, batch_size)
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            rendered.fill_cards(
                list(Article.objects.with_stored_card().filter(pk__in=batch))
            )
            pages = Article.objects.filter(pk__in=batch).values_list(
                "pk", "rendered__stamp", "rendered__page_version"
            )
            for pk, stamp, page_version in pages:
                if page_version != current:
                    rendered.refresh(pk, stamp)
            self.stdout.write(f"  {min(start + batch_size, len(ids))}/{len(ids)}")
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã dựng sẵn {len(ids)} bài viết trong {seconds:.1f} giây."
            )
        )
