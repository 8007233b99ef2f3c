"""Demo tasks for ``seed_demo``, written through the services.

Idempotent: a demo task that exists already (same title in the organization)
is left as it is, so running the seed twice creates nothing the second time.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from orgs.models import Organization
from tasks.models import Task
from tasks.selectors import task_titles_for_org
from tasks.services import create_task, update_task
from tasks.types import TaskInput
from users.models import User


@transaction.atomic
def seed_tasks_demo(*, organization: Organization, admin: User, member: User) -> int:
    """Create the demo tasks that are missing; return how many were created."""
    existing = task_titles_for_org(organization=organization)
    today = timezone.localdate()
    created = 0

    def add(data: TaskInput, *, actor: User) -> Task | None:
        nonlocal created
        if data.title in existing:
            return None
        created += 1
        return create_task(actor=actor, organization=organization, data=data).task

    add(
        TaskInput(
            title="Write the welcome article",
            description="A short introduction for new readers.",
            priority=Task.Priority.HIGH,
            assigned_to_id=member.pk,
            due_date=today + timedelta(days=7),
        ),
        actor=admin,
    )
    started = add(
        TaskInput(
            title="Review the style guide",
            description="Check headlines and captions against the guide.",
            assigned_to_id=member.pk,
        ),
        actor=admin,
    )
    if started is not None:  # a status change in the history
        update_task(
            actor=member,
            task=started,
            data=TaskInput(
                title=started.title,
                description=started.description,
                status=Task.Status.IN_PROGRESS,
                priority=started.priority,
                assigned_to_id=started.assigned_to_id,
                due_date=started.due_date,
            ),
        )
    handed_over = add(
        TaskInput(
            title="Plan the photo shoot",
            priority=Task.Priority.URGENT,
            assigned_to_id=member.pk,
            due_date=today + timedelta(days=2),
        ),
        actor=member,
    )
    if handed_over is not None:  # a reassignment, then done
        update_task(
            actor=admin,
            task=handed_over,
            data=TaskInput(
                title=handed_over.title,
                status=Task.Status.DONE,
                priority=handed_over.priority,
                assigned_to_id=admin.pk,
                due_date=handed_over.due_date,
            ),
        )
    add(
        TaskInput(title="Update the budget sheet", priority=Task.Priority.LOW),
        actor=member,
    )
    add(TaskInput(title="Archive last year's drafts"), actor=admin)
    return created
