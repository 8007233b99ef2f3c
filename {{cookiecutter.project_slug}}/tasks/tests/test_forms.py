"""Forms validate and normalize input; unsaved members, no database."""

from datetime import date

import pytest

from orgs.models import Membership
from tasks.forms import TaskFilterForm, TaskForm
from tasks.models import Task
from tasks.types import TaskFilters, TaskInput
from users.models import User


def members():
    return [
        Membership(user=User(pk=1, username="alice"), role="admin"),
        Membership(user=User(pk=2, username="bob"), role="member"),
    ]


def task_form(**data):
    values = {"title": "Write", "status": "todo", "priority": "2", **data}
    return TaskForm(data=values, members=members())


def test_task_form_produces_a_task_input():
    form = task_form(
        title="  Write the intro ",
        description=" Short. ",
        status="in_progress",
        priority="3",
        assigned_to="2",
        due_date="2030-01-31",
    )
    assert form.is_valid(), form.errors
    assert form.to_input() == TaskInput(
        title="Write the intro",
        description="Short.",
        status="in_progress",
        priority=3,
        assigned_to_id=2,
        due_date=date(2030, 1, 31),
    )


def test_task_form_unassigned_and_without_due_date():
    form = task_form(assigned_to="", due_date="")
    assert form.is_valid(), form.errors
    data = form.to_input()
    assert (data.assigned_to_id, data.due_date) == (None, None)


def test_task_form_offers_the_members_only():
    form = task_form()
    assert form.fields["assigned_to"].choices == [
        ("", "Unassigned"),
        ("1", "alice"),
        ("2", "bob"),
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("assigned_to", "3"),
        ("status", "archived"),
        ("priority", "5"),
        ("due_date", "31/31/2030"),
        ("title", "   "),
        ("title", "x" * 201),
    ],
)
def test_task_form_rejects_bad_input(field, value):
    form = task_form(**{field: value})
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_task_form_initial_for_a_task():
    task = Task(title="T", status="done", priority=4, assigned_to_id=2)
    initial = TaskForm.initial_for(task)
    assert initial["assigned_to"] == "2"
    assert initial["version"] == task.edit_version()
    assert TaskForm.initial_for(Task(title="T"))["assigned_to"] == ""


def test_task_form_carries_the_version_it_started_from():
    task = Task(title="T", status="done", priority=4)
    form = task_form(version=task.edit_version())
    assert form.is_valid(), form.errors
    assert form.edit_version() == task.edit_version()
    new = task_form()
    assert new.is_valid()
    assert new.edit_version() is None  # a new task: nothing to compare


def test_task_form_restarts_from_the_stored_task_and_keeps_the_input():
    form = task_form(title="Mine", version="stale")
    assert form.is_valid()
    stored = Task(title="Theirs", status="todo", priority=2)
    form.restart_from(stored)
    assert form["version"].value() == stored.edit_version()
    assert form["title"].value() == "Mine"


def filter_form(**data):
    return TaskFilterForm(data=data, members=members())


def test_filter_form_empty_means_no_filter():
    form = filter_form()
    assert form.filters() == TaskFilters()
    assert form.page_number() == 1


def test_filter_form_produces_filters():
    form = filter_form(q=" intro ", status="done", priority="4", assigned_to="2")
    assert form.filters() == TaskFilters(
        q="intro", status="done", priority=4, assigned_to=2
    )


@pytest.mark.parametrize("value", ["me", "none"])
def test_filter_form_keywords_for_the_assignee(value):
    assert filter_form(assigned_to=value).filters().assigned_to == value


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "archived"),
        ("priority", "9"),
        ("priority", "x"),
        ("assigned_to", "3"),
    ],
)
def test_filter_form_bad_values_give_an_error_and_no_filters(field, value):
    form = filter_form(q="intro", **{field: value})
    assert form.filters() is None  # not "every task"
    assert "Select a valid choice" in form.errors[field][0]


@pytest.mark.parametrize(
    ("page", "expected"),
    [("3", 3), ("", 1), ("0", 1), ("-2", 1), ("abc", 1), ("²", 1), ("1e3", 1)],
)
def test_filter_form_bad_page_is_the_first_page_without_error(page, expected):
    form = filter_form(page=page)
    assert form.page_number() == expected
    assert form.is_valid()
