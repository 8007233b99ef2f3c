from django.db import migrations, models


class Migration(migrations.Migration):
    """An index for a person's open tasks in the home page's order."""

    dependencies = [
        ("tasks", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                condition=models.Q(("status", "done"), _negated=True),
                fields=["assigned_to", "due_date", "-created_at", "-id"],
                name="tasks_task_open_assignee_idx",
            ),
        ),
    ]
