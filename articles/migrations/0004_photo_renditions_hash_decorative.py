from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_site_settings_and_pages"),
    ]

    operations = [
        migrations.AddField(
            model_name="photo",
            name="decorative",
            field=models.BooleanField(
                default=False,
                help_text="Chọn nếu ảnh không mang thông tin gì (chỉ để trang trí): khi đó không cần mô tả ảnh.",
                verbose_name="ảnh trang trí",
            ),
        ),
        migrations.AddField(
            model_name="photo",
            name="renditions",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.AddField(
            model_name="photo",
            name="sha256",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
    ]
