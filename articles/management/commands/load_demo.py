import datetime
import io
import math
import random
import zoneinfo

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from PIL import Image, ImageDraw

from articles.demo import content, pages
from articles.models import (
    Article,
    Attendance,
    Category,
    Meeting,
    Official,
    Organization,
    Page,
    Position,
    SiteSettings,
)
from articles.services import photos_ingest
from articles.vietnamese import slugify_vi

SEED_PUBLISHED = datetime.datetime(
    2024, 7, 5, 16, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
)


def placeholder_photo(index: int, width: int = 1200, height: int = 900) -> bytes:
    """A JPEG drawing of a meeting hall: banner, stage, rows of delegates."""
    rng = random.Random(index)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    wall = (230 - rng.randint(0, 30), 220 - rng.randint(0, 30), 200)
    for y in range(height):
        shade = int(25 * y / height)
        draw.line([(0, y), (width, y)], fill=tuple(c - shade for c in wall))
    draw.rectangle([0, int(height * 0.62), width, height], fill=(120, 70, 50))
    draw.rectangle([80, 40, width - 80, 170], fill=(180, 20, 20))
    cx, cy, r = width // 2, 105, 45
    star = []
    for k in range(10):
        radius = r if k % 2 == 0 else r * 0.4
        angle = math.pi / 2 + k * math.pi / 5
        star.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    draw.polygon(star, fill=(255, 215, 0))
    draw.rectangle([150, 330, width - 150, 400], fill=(170, 25, 25))
    speaker_x = rng.randint(200, width - 200)
    draw.rectangle([speaker_x - 40, 260, speaker_x + 40, 400], fill=(120, 60, 30))
    draw.ellipse([speaker_x - 22, 200, speaker_x + 22, 244], fill=(60, 40, 30))
    for row in range(3):
        y = 520 + row * 120
        for seat in range(rng.randint(7, 10)):
            x = 90 + seat * 115 + rng.randint(-10, 10)
            shirt = rng.choice([(245, 245, 245), (40, 60, 120), (200, 200, 210)])
            draw.rounded_rectangle([x - 35, y, x + 35, y + 90], 18, fill=shirt)
            draw.ellipse([x - 22, y - 45, x + 22, y - 1], fill=(50, 35, 25))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, optimize=True)
    return buffer.getvalue()


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu của phường Cát Lái (chạy nhiều lần không tạo trùng)."

    @transaction.atomic
    def handle(self, *args, **options):
        categories = self.load_categories()
        organizations = self.load_organizations()
        officials = self.load_officials(organizations)
        seed = self.load_seed_report(categories, organizations, officials)
        self.load_extra_meeting(categories, organizations, officials)
        self.load_articles(categories)
        self.load_site_settings()
        self.load_pages()
        self.stdout.write(
            self.style.SUCCESS(
                f"Dữ liệu mẫu đã sẵn sàng: {Article.objects.count()} bài viết, "
                f"{Official.objects.count()} cán bộ. Bài mẫu: {seed.get_absolute_url()}"
            )
        )

    def load_categories(self):
        categories = {}
        for order, (name, slug, description) in enumerate(content.CATEGORIES):
            categories[slug], _ = Category.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "description": description, "order": order},
            )
        return categories

    def load_organizations(self):
        organizations = {}
        for order, (key, name, short, kind, parent) in enumerate(content.ORGANIZATIONS):
            organizations[key], _ = Organization.objects.get_or_create(
                name=name,
                defaults={
                    "short_name": short,
                    "kind": kind,
                    "parent": organizations.get(parent),
                    "order": order,
                },
            )
        return organizations

    def load_officials(self, organizations):
        officials = {}
        for name, positions in content.OFFICIALS:
            official, created = Official.objects.get_or_create(
                slug=slugify_vi(name), defaults={"full_name": name}
            )
            if created:
                for order, (title, org_key) in enumerate(positions):
                    Position.objects.create(
                        official=official,
                        title=title,
                        organization=organizations[org_key],
                        start_date=datetime.date(2020, 10, 1),
                        order=order,
                    )
            officials[name] = official
        return officials

    def get_or_create_article(self, *, slug, **defaults):
        return Article.objects.get_or_create(
            slug=slug, defaults={"status": Article.Status.PUBLISHED, **defaults}
        )

    def add_attendances(self, article, rows, officials):
        for order, (name, positions, role, is_official) in enumerate(rows, start=1):
            Attendance.objects.create(
                article=article,
                official=officials[name] if is_official else None,
                name=name,
                positions=positions,
                role=role,
                order=order,
            )

    def add_photos(self, article, photos, first_index):
        files = [
            ContentFile(
                placeholder_photo(first_index + order), name=f"demo-{order}.jpg"
            )
            for order in range(1, len(photos) + 1)
        ]
        results = photos_ingest(article=article, files=files)
        for result, (caption, alt) in zip(results, photos, strict=True):
            if result.status != "stored":
                raise CommandError(f"{result.name}: {result.message}")
            result.photo.caption, result.photo.alt_text = caption, alt
            result.photo.save(update_fields=["caption", "alt_text"])

    def load_seed_report(self, categories, organizations, officials):
        summary, *body = content.seed_paragraphs()
        article, created = self.get_or_create_article(
            slug=slugify_vi(content.SEED_TITLE),
            title=content.SEED_TITLE,
            category=categories["hoat-dong-dang-uy-uy-ban"],
            summary=summary,
            body="".join(f"<p>{paragraph}</p>" for paragraph in body),
            publish_at=SEED_PUBLISHED,
            featured=True,
            byline="Văn phòng Đảng ủy phường",
        )
        if created:
            Meeting.objects.create(
                article=article,
                organization=organizations["dang-uy"],
                kind=Meeting.Kind.CONFERENCE,
                name="Hội nghị Ban chấp hành Đảng bộ phường",
                session_number=21,
                term_number=6,
                term_start_year=2020,
                term_end_year=2025,
                held_on=datetime.date(2024, 7, 5),
                opinions_count=11,
            )
            self.add_attendances(article, content.SEED_ATTENDANCES, officials)
            self.add_photos(article, content.SEED_PHOTOS, first_index=0)
        return article

    def load_extra_meeting(self, categories, organizations, officials):
        data = content.EXTRA_MEETING
        article, created = self.get_or_create_article(
            slug=data["slug"],
            title=data["title"],
            category=categories[data["category"]],
            summary=data["summary"],
            body=data["body"],
            publish_at=SEED_PUBLISHED
            + datetime.timedelta(days=data["days_after_seed"]),
        )
        if created:
            meeting = dict(data["meeting"])
            meeting["organization"] = organizations[meeting["organization"]]
            Meeting.objects.create(article=article, **meeting)
            self.add_attendances(article, data["attendances"], officials)
            self.add_photos(article, data["photos"], first_index=100)

    def load_articles(self, categories):
        for title, slug, category, days, featured, summary, body in content.ARTICLES:
            self.get_or_create_article(
                slug=slug,
                title=title,
                category=categories[category],
                summary=summary,
                body=body,
                publish_at=SEED_PUBLISHED + datetime.timedelta(days=days),
                featured=featured,
            )

    def load_site_settings(self):
        if not SiteSettings.objects.exists():
            SiteSettings.objects.create(**pages.SITE_SETTINGS)

    def load_pages(self):
        for order, (slug, title, summary, body) in enumerate(pages.PAGES):
            Page.objects.get_or_create(
                slug=slug,
                defaults={
                    "title": title,
                    "summary": summary,
                    "body": body,
                    "order": order,
                },
            )
