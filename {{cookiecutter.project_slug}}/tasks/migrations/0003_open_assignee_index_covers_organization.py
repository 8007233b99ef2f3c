from django.db import migrations, models


class Migration(migrations.Migration):
    """The open-tasks index carries the organization, so counting reads no row."""

    dependencies = [
        ("tasks", "0002_open_assignee_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="task",
            name="tasks_task_open_assignee_idx",
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                condition=models.Q(("status", "done"), _negated=True),
                fields=[
                    "assigned_to",
                    "due_date",
                    "-created_at",
                    "-id",
                    "organization",
                ],
                name="tasks_task_open_assignee_idx",
            ),
        ),
    ]
