"""Test data for tasks and their events."""

import factory

from orgs.tests.factories import OrganizationFactory
from tasks.models import Task, TaskEvent


class TaskFactory(factory.django.DjangoModelFactory[Task]):
    """A task written straight to the table, without events: for reads."""

    class Meta:
        model = Task

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    description = ""
    status = Task.Status.TODO
    priority = Task.Priority.NORMAL
    assigned_to = None
    created_by = None
    updated_by = factory.SelfAttribute("created_by")
    due_date = None


class TaskEventFactory(factory.django.DjangoModelFactory[TaskEvent]):
    class Meta:
        model = TaskEvent

    task = factory.SubFactory(TaskFactory)
    organization = factory.SelfAttribute("task.organization")
    actor = factory.SelfAttribute("task.created_by")
    action = TaskEvent.Action.CREATED
    details = factory.Dict({})
