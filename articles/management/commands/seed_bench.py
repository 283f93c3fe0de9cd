"""Fill the database with a city-sized ward for benchmarks (bench/README.md)."""

import datetime
import random
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from articles import pagecache, search
from articles.models import (
    Article,
    Attendance,
    Category,
    Meeting,
    Official,
    Organization,
    Photo,
    Position,
    RenderedArticle,
)
from articles.vietnamese import name_sort_key, slugify_vi

# The heaviest report the bench asks for: 40 attendees, 60 photos.
HEAVY_SLUG = "bench-hoi-nghi-40-dai-bieu-60-anh"
SLUG_PREFIX = "bench-"
BATCH = 2000

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Đức", "Kim", "Quốc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Khoa", "Lan", "Long", "Mai"]
GIVEN += ["Nam", "Nhài", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Vy", "Yến"]
TITLES = [
    "Bí thư Đảng ủy phường",
    "Phó Bí thư Thường trực Đảng ủy phường",
    "Chủ tịch UBND phường",
    "Phó Chủ tịch UBND phường",
    "Chủ tịch UB MTTQ phường",
    "Đảng ủy viên",
    "Trưởng khu phố",
    "Bí thư Chi bộ khu phố",
    "Chủ tịch Hội Liên hiệp Phụ nữ phường",
    "Trưởng Công an phường",
]
TOPICS = [
    "Hội nghị Ban Chấp hành Đảng bộ phường",
    "Kỳ họp Hội đồng nhân dân phường",
    "Hội nghị sơ kết công tác quý",
    "Đối thoại với Nhân dân khu phố",
    "Thông báo lịch tiếp công dân",
    "Ra quân vệ sinh môi trường",
    "Tuyên truyền phòng cháy chữa cháy",
    "Khai giảng lớp bồi dưỡng chính trị",
]
PARAGRAPH = (
    "<p>Chiều ngày {day}, {topic} đã diễn ra tại hội trường phường, đánh giá kết "
    "quả thực hiện nhiệm vụ và triển khai phương hướng thời gian tới. Các đại biểu "
    "đã thảo luận sôi nổi, đóng góp nhiều ý kiến thiết thực về công tác xây dựng "
    "Đảng, phát triển kinh tế, bảo đảm an ninh trật tự trên địa bàn.</p>"
)


class Command(BaseCommand):
    help = (
        "Tạo N bài viết mẫu (hội nghị với 10–40 đại biểu, 10–60 ảnh dùng chung vài "
        "tệp ảnh, 500 cán bộ) để đo hiệu năng. Dùng trên cơ sở dữ liệu riêng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--officials", type=int, default=500)
        parser.add_argument(
            "--meeting-share",
            type=float,
            default=0.3,
            help="Tỉ lệ bài là tin hội nghị (mặc định 0.3).",
        )
        parser.add_argument("--seed", type=int, default=9)

    def handle(self, *args, **options):
        count = options["articles"]
        if count < 1 or count > 2_000_000:
            raise CommandError("Số bài phải từ 1 đến 2.000.000.")
        if not 40 <= options["officials"] <= 100_000:
            # The heaviest report has 40 attendees, each a different official.
            raise CommandError("Số cán bộ phải từ 40 đến 100.000.")
        if Article.objects.filter(slug__startswith=SLUG_PREFIX).exists():
            raise CommandError(
                "Cơ sở dữ liệu đã có bài mẫu đo hiệu năng; hãy dùng một cơ sở dữ liệu "
                "mới."
            )
        self.rng = random.Random(options["seed"])
        started = time.monotonic()
        call_command("load_demo", verbosity=0)
        self.photo_files = list(
            Photo.objects.exclude(image="")
            .order_by("id")
            .values("image", "width", "height", "renditions", "sha256")[:4]
        )
        if not self.photo_files:
            raise CommandError("Không tìm thấy ảnh mẫu sau khi nạp dữ liệu demo.")
        with transaction.atomic():
            categories = list(Category.objects.all())
            organizations = list(Organization.objects.all())
            officials = self.create_officials(options["officials"], organizations)
            self.create_articles(count, categories, officials, options["meeting_share"])
            self.set_covers()
        created = time.monotonic() - started
        # Bulk inserts send no signals: index the new rows for search.
        new = Article.objects.filter(slug__startswith=SLUG_PREFIX)
        search.index_articles(new.values_list("pk", flat=True))
        pagecache.bump_generation()
        self.stdout.write(
            f"Đã tạo {count} bài, {len(officials)} cán bộ trong {created:.1f} giây; "
            f"lập chỉ mục tìm kiếm {time.monotonic() - started - created:.1f} giây."
        )

    def person(self, index: int) -> str:
        rng = random.Random(index)
        return " ".join(
            [rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN), f"{index}"]
        )

    def create_officials(self, count, organizations):
        officials = []
        for index in range(count):
            name = self.person(index)
            officials.append(
                Official(
                    full_name=name,
                    slug=f"{SLUG_PREFIX}{slugify_vi(name)}",
                    sort_key=name_sort_key(name),
                )
            )
        officials = Official.objects.bulk_create(officials, batch_size=BATCH)
        positions = []
        for official in officials:
            for order in range(self.rng.choice([1, 1, 2])):
                positions.append(
                    Position(
                        official=official,
                        title=self.rng.choice(TITLES),
                        organization=self.rng.choice(organizations),
                        start_date=datetime.date(2020, 10, 1),
                        order=order,
                    )
                )
        Position.objects.bulk_create(positions, batch_size=BATCH)
        self.titles = {}
        for position in positions:
            self.titles.setdefault(position.official_id, position.title)
        return officials

    def create_articles(self, count, categories, officials, meeting_share):
        now = timezone.now()
        span = datetime.timedelta(days=3650)
        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            articles = []
            for offset in range(size):
                index = start + offset
                topic = self.rng.choice(TOPICS)
                publish_at = (
                    now
                    - span * (index / count)
                    - datetime.timedelta(minutes=self.rng.randint(1, 600))
                )
                status = Article.Status.PUBLISHED
                if index % 97 == 13:
                    status = Article.Status.DRAFT
                articles.append(
                    Article(
                        title=f"{topic} số {index}",
                        slug=f"{SLUG_PREFIX}{slugify_vi(topic)}-{index}",
                        category=self.rng.choice(categories),
                        summary=(
                            f"{topic}: đánh giá kết quả và triển khai nhiệm vụ, "
                            "với sự tham dự của lãnh đạo phường và đại diện các "
                            "khu phố."
                        ),
                        body="".join(
                            PARAGRAPH.format(day=f"{publish_at:%d/%m/%Y}", topic=topic)
                            for _ in range(self.rng.randint(3, 8))
                        ),
                        status=status,
                        publish_at=publish_at,
                        featured=index % 499 == 7,
                        byline="Văn phòng Đảng ủy phường",
                    )
                )
            if start == 0:
                articles[0].slug = HEAVY_SLUG
                articles[0].title = "Hội nghị đầy đủ: 40 đại biểu, 60 ảnh"
            articles = Article.objects.bulk_create(articles)
            self.create_children(articles, officials, meeting_share, heavy=start == 0)
            self.stdout.write(f"  {start + size}/{count}")

    def create_children(self, articles, officials, meeting_share, heavy):
        meetings, attendances, photos = [], [], []
        for position, article in enumerate(articles):
            is_heavy = heavy and position == 0
            if is_heavy or self.rng.random() < meeting_share:
                meetings.append(
                    Meeting(
                        article=article,
                        name="Hội nghị Ban Chấp hành Đảng bộ phường",
                        session_number=self.rng.randint(1, 30),
                        term_number=6,
                        term_start_year=2020,
                        term_end_year=2025,
                        held_on=article.publish_at.date(),
                        place="Hội trường UBND phường",
                        opinions_count=self.rng.randint(0, 20),
                    )
                )
                attendees = 40 if is_heavy else self.rng.randint(10, 40)
                for order, official in enumerate(
                    self.rng.sample(officials, attendees), start=1
                ):
                    attendances.append(
                        Attendance(
                            article=article,
                            official=official,
                            name=official.full_name,
                            positions=self.titles.get(official.pk, ""),
                            role=(
                                Attendance.Role.CHAIR
                                if order == 1
                                else Attendance.Role.ATTENDEE
                            ),
                            order=order,
                        )
                    )
                pictures = 60 if is_heavy else self.rng.randint(10, 60)
            else:
                pictures = self.rng.choice([0, 1, 1, 2])
            for order in range(1, pictures + 1):
                stored = self.photo_files[order % len(self.photo_files)]
                photos.append(
                    Photo(
                        article=article,
                        caption=f"Quang cảnh hội nghị (ảnh {order})",
                        alt_text=f"Đại biểu dự hội nghị, ảnh {order}",
                        order=order,
                        **stored,
                    )
                )
        Meeting.objects.bulk_create(meetings, batch_size=BATCH)
        Attendance.objects.bulk_create(attendances, batch_size=BATCH)
        Photo.objects.bulk_create(photos, batch_size=BATCH)
        # Rows to render into, as saving an article makes (no signals here).
        RenderedArticle.objects.bulk_create(
            [RenderedArticle(article=article) for article in articles],
            batch_size=BATCH,
        )

    def set_covers(self):
        first_photo = (
            Photo.objects.filter(article=OuterRef("pk"))
            .order_by("order", "id")
            .values("id")[:1]
        )
        Article.objects.filter(slug__startswith=SLUG_PREFIX, cover__isnull=True).update(
            cover=Subquery(first_photo)
        )
