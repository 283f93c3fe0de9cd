import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Tạo tài khoản quản trị 'admin' với mật khẩu ngẫu nhiên (lần đầu) và in "
        "thông tin đăng nhập."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--site",
            default="http://127.0.0.1:8000",
            help="Địa chỉ trang đang chạy, để in đường dẫn đăng nhập.",
        )

    def handle(self, *args, username, site, **options):
        password_file = settings.VAR_DIR / "admin-password.txt"
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        password = password_file.read_text().strip() if password_file.exists() else ""
        if user is None or not password:
            password = secrets.token_urlsafe(12)
            if user is None:
                user = user_model.objects.create_superuser(username, "", password)
            else:
                user.set_password(password)
                user.save(update_fields=["password"])
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        self.stdout.write(
            f"\nĐăng nhập trang quản trị: {site.rstrip('/')}/admin/\n"
            f"  Tên đăng nhập: {username}\n"
            f"  Mật khẩu:      {password}\n"
            f"  (lưu tại {password_file}; nếu đã đổi mật khẩu, dùng mật khẩu mới)\n"
        )
