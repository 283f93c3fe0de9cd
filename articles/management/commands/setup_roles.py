from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand

EDITOR = "Biên tập viên"
APPROVER = "Người duyệt"
SITE_ADMIN = "Quản trị"

ALL = ("view", "add", "change", "delete")

# Articles and what hangs off them: written by editors, approved by approvers.
CONTENT = {
    "article": ("view", "add", "change"),
    "meeting": ALL,
    "attendance": ALL,
    "photo": ALL,
    "attachment": ALL,
}
# Looked up while writing (pickers, autocomplete) but kept by site admins.
REFERENCE = ("category", "organization", "official", "position")
# Never given out whole: the log is read-only, previews go through articles.
WORKFLOW = ("auditentry", "previewlink")


def _codes(app_label: str, models: dict) -> set[str]:
    return {
        f"{app_label}.{action}_{model}"
        for model, actions in models.items()
        for action in actions
    }


def role_permissions() -> dict[str, set[str]]:
    """Each group's permissions as ``app_label.codename``."""
    editor = _codes("articles", CONTENT) | _codes(
        "articles", {name: ("view",) for name in REFERENCE}
    )
    approver = editor | {"articles.publish_article", "articles.delete_article"}
    kept_by_admins = {
        model._meta.model_name: ALL
        for model in apps.get_app_config("articles").get_models()
        if model._meta.model_name not in {*CONTENT, *WORKFLOW}
    }
    site_admin = (
        _codes("articles", kept_by_admins)
        | _codes("auth", {"user": ALL, "group": ("view",)})
        | {"articles.view_article", "articles.view_auditentry"}
    )
    return {EDITOR: editor, APPROVER: approver, SITE_ADMIN: site_admin}


class Command(BaseCommand):
    help = (
        "Tạo hoặc cập nhật ba nhóm quyền: Biên tập viên, Người duyệt, Quản trị. "
        "Chạy lại bao nhiêu lần cũng được."
    )

    def handle(self, *args, **options):
        available = {
            f"{p.content_type.app_label}.{p.codename}": p
            for p in Permission.objects.select_related("content_type")
        }
        for name, codes in role_permissions().items():
            missing = codes - available.keys()
            if missing:
                self.stderr.write(
                    f"Thiếu quyền (chưa chạy migrate?): {', '.join(sorted(missing))}"
                )
            group, created = Group.objects.get_or_create(name=name)
            group.permissions.set(
                [available[code] for code in codes & available.keys()]
            )
            verb = "Đã tạo" if created else "Đã cập nhật"
            self.stdout.write(
                f"{verb} nhóm “{name}” với {len(codes & available.keys())} quyền."
            )
