"""Errors that services raise when a business rule refuses an operation.

Views turn them into form errors or flash messages; their message is written
for the person who asked, so it can be shown as it is.
"""

from collections.abc import Iterable


class DomainError(Exception):
    """A business rule refused the operation; nothing was written."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ConflictError(DomainError):
    """The operation clashes with the current state (a duplicate, a last admin)."""


class InvalidTransitionError(DomainError):
    """The object cannot move to the requested state from the one it is in."""


class InvalidTokenError(DomainError):
    """A token is unknown, expired, already used or meant for someone else."""


def require_choice(value: object, *, allowed: Iterable[object], field: str) -> None:
    """Refuse a value outside a field's choices, naming the value and the choices.

    Forms already offer only valid choices; services check again because they
    are called from the admin, commands and tests too.
    """
    allowed = list(allowed)
    if value not in allowed:
        choices = ", ".join(str(choice) for choice in allowed)
        raise DomainError(
            f"{field.replace('_', ' ').capitalize()} '{value}' is not one of: "
            f"{choices}.",
            field=field,
        )
