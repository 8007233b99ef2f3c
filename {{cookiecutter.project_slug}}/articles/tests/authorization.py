"""Who may do what with an article: the one table the pages' and the API's tests read.

For each action on a published article, the people allowed: ``anonymous``
(not signed in), ``reader`` (signed in, neither the author nor holding an
articles permission: staff status alone changes nothing), ``author`` (the
article's) and ``editor`` (someone else who holds the action's Django
permission, ``EDITOR_PERMISSIONS``). Anonymous people refused are sent to log
in (pages) or get 401 (API); a signed-in person refused gets 403. A draft is
a 404 to whoever may not read it, whatever the action.
"""

ROLES = ("anonymous", "reader", "author", "editor")
_EVERYONE = frozenset(ROLES)
_SIGNED_IN = frozenset({"reader", "author", "editor"})
_AUTHOR_OR_EDITOR = frozenset({"author", "editor"})

ALLOWED_ROLES: dict[str, frozenset[str]] = {
    "list": _EVERYONE,
    "detail": _EVERYONE,
    "comments": _EVERYONE,  # the approved ones
    "create": _SIGNED_IN,
    "comment": _SIGNED_IN,
    "edit": _AUTHOR_OR_EDITOR,
    "publish": _AUTHOR_OR_EDITOR,
    "delete": _AUTHOR_OR_EDITOR,
    "pending": _AUTHOR_OR_EDITOR,  # the comments waiting for approval
    "approve": _AUTHOR_OR_EDITOR,
    "reject": _AUTHOR_OR_EDITOR,  # a pending comment, or remove an approved one
}

# The permission (of the articles app) that makes someone an editor for the
# action; the actions not named here need none.
EDITOR_PERMISSIONS: dict[str, str] = {
    "edit": "change_article",
    "publish": "change_article",
    "delete": "delete_article",
    "pending": "change_comment",
    "approve": "change_comment",
    "reject": "delete_comment",
}


def may(role: str, action: str) -> bool:
    return role in ALLOWED_ROLES[action]
