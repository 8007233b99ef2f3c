"""Who may do what with a task: the one table the pages' and the API's tests read.

For each action, the roles allowed on a task that someone else created and
nobody was given (a member who created it, or was given it, may edit it too).
Whoever is not a member gets 404 whatever the action; anonymous people are
sent to log in (pages) or get 401 (API).
"""

ALLOWED_ROLES: dict[str, frozenset[str]] = {
    "list": frozenset({"admin", "member"}),
    "export": frozenset({"admin"}),
    "create": frozenset({"admin", "member"}),
    "detail": frozenset({"admin", "member"}),
    "edit": frozenset({"admin"}),
    "delete": frozenset({"admin"}),
}


def member_may(action: str) -> bool:
    return "member" in ALLOWED_ROLES[action]
