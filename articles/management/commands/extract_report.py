import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.extract import extract


class Command(BaseCommand):
    help = (
        "Đọc bài tin hội nghị (tệp văn bản, hoặc - để đọc từ đầu vào chuẩn) và in "
        "ra JSON: ngày họp, lần thứ, khóa, nhiệm kỳ, số lượt ý kiến, thành phần "
        "tham dự."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp văn bản, hoặc - (stdin).")

    def handle(self, *args, **options):
        source = options["file"]
        try:
            if source == "-":
                stream = getattr(sys.stdin, "buffer", None)
                text = stream.read().decode("utf-8-sig") if stream else sys.stdin.read()
            else:
                text = Path(source).read_text(encoding="utf-8-sig")
        except FileNotFoundError as error:
            raise CommandError(f"Không tìm thấy tệp: {source}") from error
        except (UnicodeDecodeError, IsADirectoryError, PermissionError) as error:
            raise CommandError(
                f"Không đọc được tệp {source}: cần tệp văn bản mã hóa UTF-8."
            ) from error
        result = extract(text)
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
