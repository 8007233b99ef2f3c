"""The task list's rows, written in Python as Django's admin writes its list.

A page shows twenty tasks: through the template language their six cells
cost more than all of the page's queries. Here a row is one ``format_html``,
its values escaped the same way.
"""

from collections.abc import Iterable

from django import template
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from core.templatetags.pages import time_element
from tasks.models import Task

register = template.Library()

ROW = (
    "<tr>"
    '<td><a href="{}{}/">{}</a></td>'
    '<td><span class="badge badge--{}">{}</span></td>'
    "<td>{}</td>"
    "<td>{}</td>"
    "<td>{}</td>"
    '<td>{} <span class="muted">by {}</span></td>'
    "</tr>"
)


@register.simple_tag
def task_rows(tasks: Iterable[Task], list_url: str) -> SafeString:
    """The ``<tr>`` of each task; a task's page is the list's address and its id."""
    return format_html_join("\n", ROW, (_cells(task, list_url) for task in tasks))


def _cells(task: Task, list_url: str) -> tuple[object, ...]:
    return (
        list_url,
        task.pk,
        task.title,
        task.status,
        task.get_status_display(),
        task.get_priority_display(),
        task.assigned_to.get_username() if task.assigned_to else "—",
        time_element(task.due_date) if task.due_date else "—",
        time_element(timezone.localtime(task.created_at)),
        task.created_by.get_username() if task.created_by else "—",
    )
