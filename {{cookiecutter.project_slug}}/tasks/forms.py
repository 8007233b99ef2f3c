"""Input for the task pages: validated and normalized, never saved here.

Both forms take the organization's members, so the assignee choices are the
members and nobody else; the services check membership again whatever a form
allowed.
"""

from collections.abc import Iterable
from typing import Any

from django import forms

from core.forms_widgets import RenderedOnceSelect, RenderedOnceTextInput
from core.validators import validate_single_line
from orgs.models import Membership
from tasks.models import Task
from tasks.types import (
    AssigneeFilter,
    TaskFilters,
    TaskInput,
    TaskPriority,
    TaskStatus,
)

UNASSIGNED = ""
# Room for Task.edit_version(): six fields, each "<name>:<8 hex digits>".
VERSION_MAX_LENGTH = 200
# A longer page number is no page of any list: it means the first page.
MAX_PAGE_DIGITS = 9


def _member_choices(members: Iterable[Membership]) -> list[tuple[str, str]]:
    return [(str(m.user_id), m.user.get_username()) for m in members]


class TaskForm(forms.Form):
    title = forms.CharField(
        max_length=Task._meta.get_field("title").max_length,
        strip=True,
        validators=[validate_single_line],
    )
    description = forms.CharField(widget=forms.Textarea, required=False, strip=True)
    status = forms.ChoiceField(choices=TaskStatus.choices, initial=TaskStatus.TODO)
    priority = forms.TypedChoiceField(
        choices=TaskPriority.choices, coerce=int, initial=TaskPriority.NORMAL
    )
    assigned_to = forms.ChoiceField(
        label="Assignee", required=False, help_text="Members of the organization."
    )
    due_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Year-month-day, e.g. 2030-01-31.",
    )
    # The edit form's Task.edit_version(): what the person started from.
    version = forms.CharField(
        required=False, max_length=VERSION_MAX_LENGTH, widget=forms.HiddenInput
    )

    def __init__(
        self, *args: Any, members: Iterable[Membership], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(UNASSIGNED, "Unassigned"), *_member_choices(members)]
        self.fields["assigned_to"].choices = choices  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(task: Task) -> dict[str, Any]:
        """The form's starting values for editing ``task``."""
        return {
            "title": task.title,
            "description": task.description,
            "status": task.status,
            "priority": task.priority,
            "assigned_to": str(task.assigned_to_id or UNASSIGNED),
            "due_date": task.due_date,
            "version": task.edit_version(),
        }

    def edit_version(self) -> str | None:
        """The version of the task the form started from; None on a new task."""
        version: str = self.cleaned_data.get("version", "")
        return version or None

    def restart_from(self, task: Task) -> None:
        """Keep the person's input, and let their next save start from ``task``.

        After a save refused because the task changed meanwhile: the person
        has been told what changed, and saving again replaces it.
        """
        self.data = {**dict(self.data.items()), "version": task.edit_version()}

    def to_input(self) -> TaskInput:
        """The validated input for ``create_task``/``update_task``."""
        data = self.cleaned_data
        assignee = data["assigned_to"]
        return TaskInput(
            title=data["title"],
            description=data["description"],
            status=data["status"],
            priority=data["priority"],
            assigned_to_id=int(assignee) if assignee else None,
            due_date=data["due_date"],
        )


class TaskFilterForm(forms.Form):
    """The filters of the task list and the CSV export (the same form)."""

    q = forms.CharField(
        label="Search",
        max_length=100,
        required=False,
        strip=True,
        validators=[validate_single_line],
        widget=RenderedOnceTextInput,
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *TaskStatus.choices],
        required=False,
        widget=RenderedOnceSelect,
    )
    priority = forms.TypedChoiceField(
        choices=[("", "Any priority"), *TaskPriority.choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=RenderedOnceSelect,
    )
    assigned_to = forms.ChoiceField(
        label="Assignee", required=False, widget=RenderedOnceSelect
    )
    page = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, members: Iterable[Membership], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            ("", "Anyone"),
            ("me", "Me"),
            ("none", "Unassigned"),
            *_member_choices(members),
        ]
        self.fields["assigned_to"].choices = choices  # type: ignore[attr-defined]

    def clean_assigned_to(self) -> AssigneeFilter | None:
        value = self.cleaned_data["assigned_to"]
        if value in ("me", "none"):
            return value
        return int(value) if value else None

    def clean_page(self) -> int:
        """A page that is no positive number means the first page, not an error."""
        raw = self.cleaned_data["page"]
        if raw.isascii() and raw.isdigit() and len(raw) <= MAX_PAGE_DIGITS:
            return max(int(raw), 1)
        return 1

    def filters(self) -> TaskFilters | None:
        """The filters, or None when one is not valid: then no task matches."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return TaskFilters(
            q=data["q"],
            status=data["status"] or None,
            priority=data["priority"],
            assigned_to=data["assigned_to"],
        )

    def page_number(self) -> int:
        self.is_valid()
        return int(self.cleaned_data.get("page") or 1)
