from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class LoginThrottleConfig(AxesAppConfig):
    """django-axes, under a name ward editors understand in the admin."""

    verbose_name = _("Khóa đăng nhập sai")
