from django.db import migrations, models


class Migration(migrations.Migration):
    """An index that answers a signed-in user's article count alone."""

    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["status", "author"], name="articles_status_author_idx"
            ),
        ),
    ]
