"""Files taken off the site wait in the trash, never served, until
``purge_trash`` deletes them; restoring a revision brings them back."""

import io
import json
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from reversion import create_revision
from reversion.models import Version

from articles import files
from articles.models import Attachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + b"0" * 991  # 1,000 bytes


@pytest.fixture
def trash_root(media_root):
    return media_root.parent / "trash"


def names_under(root):
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def purge(*args):
    out = io.StringIO()
    call_command("purge_trash", *args, stdout=out)
    return out.getvalue()


def test_a_removed_file_leaves_the_site_for_the_trash(
    make_article, media_root, trash_root, django_capture_on_commit_callbacks
):
    article = make_article()
    attachment = article.attachments.create(file=ContentFile(PDF, name="tb.pdf"))
    first = attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        attachment.file = ContentFile(b"%PDF-1.4 v2", name="tb-moi.pdf")
        attachment.save()
    assert names_under(media_root) == {attachment.file.name}
    assert names_under(trash_root) == {first}

    with django_capture_on_commit_callbacks(execute=True):
        attachment.delete()
    assert names_under(media_root) == set()
    assert names_under(trash_root) == {first, attachment.file.name}
    assert (trash_root / first).read_bytes() == PDF
    # Nothing serves the trash: it is beside the media folder, not in it.
    assert not trash_root.is_relative_to(media_root)


def test_a_change_rolled_back_leaves_the_files_served(
    make_article, media_root, trash_root, django_capture_on_commit_callbacks
):
    article = make_article()
    attachment = article.attachments.create(file=ContentFile(PDF, name="tb.pdf"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        attachment.delete()
    assert callbacks  # would run on commit; a rollback drops them
    assert names_under(media_root) == {attachment.file.name}
    assert names_under(trash_root) == set()


def age(path, days):
    then = time.time() - days * 86400
    os.utime(path, (then, then))


def test_purge_deletes_what_was_kept_long_enough(
    make_article, trash_root, settings, django_capture_on_commit_callbacks
):
    article = make_article()
    old, recent = (
        article.attachments.create(file=ContentFile(PDF, name=f"{n}.pdf"))
        for n in ("cu", "moi")
    )
    with django_capture_on_commit_callbacks(execute=True):
        article.attachments.all().delete()
    age(trash_root / old.file.name, 31)
    age(trash_root / recent.file.name, 29)

    output = purge()
    assert old.file.name in output
    assert "Đã xóa hẳn 1 tệp đã gỡ khỏi trang." in output
    assert names_under(trash_root) == {recent.file.name}
    # The upload folder it left empty goes too.
    assert not (trash_root / old.file.name).parent.exists()

    settings.WARDNEWS_TRASH_DAYS = 10
    assert "Đã xóa hẳn 1 tệp" in purge()
    assert names_under(trash_root) == set()


def test_purge_all_and_bad_input(
    make_article, trash_root, django_capture_on_commit_callbacks
):
    assert "Đã xóa hẳn 0 tệp" in purge()  # no trash folder yet
    article = make_article()
    article.attachments.create(file=ContentFile(PDF, name="co-so-dien-thoai.pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        article.attachments.all().delete()
    assert "Đã xóa hẳn 0 tệp" in purge("--days", "1")
    assert "Đã xóa hẳn 1 tệp" in purge("--all")
    assert names_under(trash_root) == set()
    with pytest.raises(CommandError, match="không âm"):
        purge("--days", "-1")


def test_a_trash_storage_of_its_own_is_used(
    make_article, media_root, settings, django_capture_on_commit_callbacks
):
    """Where media is in object storage, the trash is a private bucket,
    ``STORAGES["trash"]``: files are copied there and back."""
    settings.STORAGES = {
        **settings.STORAGES,
        "trash": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    article = make_article()
    attachment = article.attachments.create(file=ContentFile(PDF, name="tb.pdf"))
    name = attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        attachment.delete()
    assert names_under(media_root) == set()
    assert storages["trash"].exists(name)

    assert files.restore_files(attachment.file.storage, [name]) == [name]
    assert (media_root / name).read_bytes() == PDF
    assert not storages["trash"].exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        Attachment.objects.create(article=article, file=name).delete()
    assert "Đã xóa hẳn 1 tệp" in purge("--all")
    assert not storages["trash"].exists(name)


def test_an_attachment_from_a_revision_without_sizes_is_measured(
    make_article, django_capture_on_commit_callbacks
):
    """Revisions saved before attachments kept their size bring one back
    with size 0; it is measured when it is restored."""
    article = make_article()
    with create_revision():
        attachment = article.attachments.create(file=ContentFile(PDF, name="tb.pdf"))
    version = Version.objects.get_for_object(attachment).get()
    data = json.loads(version.serialized_data)
    del data[0]["fields"]["size"]
    version.serialized_data = json.dumps(data)
    version.save()
    with django_capture_on_commit_callbacks(execute=True):
        attachment.delete()

    with django_capture_on_commit_callbacks(execute=True):
        Version.objects.get(pk=version.pk).revert()
    restored = Attachment.objects.get()
    assert restored.size == len(PDF)
    assert restored.file.read() == PDF


def test_a_trash_that_cannot_be_written_keeps_the_change(
    make_article, media_root, settings, tmp_path, caplog,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """The deletion is committed: a trash the app cannot write to is logged,
    not turned into an error page, and the file stays where it was."""
    blocked = tmp_path / "khong-ghi-duoc"
    blocked.write_text("a file where the folder should be")
    settings.WARDNEWS_TRASH_ROOT = blocked
    article = make_article()
    kept = article.attachments.create(file=ContentFile(PDF, name="tb.pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        kept.delete()
    assert not Attachment.objects.exists()
    assert names_under(media_root) == {kept.file.name}
    assert "Could not move" in caplog.text


def test_a_trash_inside_the_media_folder_fails_the_checks(media_root, settings):
    assert files.check_trash_is_not_served() == []
    settings.WARDNEWS_TRASH_ROOT = media_root / "thung-rac"
    [error] = files.check_trash_is_not_served()
    assert error.id == "wardnews.E001"
