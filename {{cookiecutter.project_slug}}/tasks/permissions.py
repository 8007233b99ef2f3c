"""Who may do what with an organization's tasks.

Pure functions of the objects passed in: no query, no request, so every rule
is tested without a database. ``membership`` is the acting user's membership
in the task's organization (views fetch it through ``orgs.selectors``).
"""

from orgs.models import Membership
from tasks.models import Task
from users.models import User


def _is_admin(membership: Membership) -> bool:
    return membership.role == Membership.Role.ADMIN


def can_create_task(*, membership: Membership) -> bool:
    """Any member may add a task."""
    return membership.role in (Membership.Role.ADMIN, Membership.Role.MEMBER)


def can_edit_task(*, membership: Membership, user: User, task: Task) -> bool:
    """Admins edit any task; a member edits what they created or were given."""
    if task.organization_id != membership.organization_id:
        return False
    if _is_admin(membership):
        return True
    return user.pk is not None and user.pk in (task.created_by_id, task.assigned_to_id)


def can_delete_task(*, membership: Membership) -> bool:
    return _is_admin(membership)


def can_export_tasks(*, membership: Membership) -> bool:
    return _is_admin(membership)
