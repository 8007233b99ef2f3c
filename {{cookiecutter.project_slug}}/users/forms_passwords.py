"""The project's own password rule, next to Django's (``AUTH_PASSWORD_VALIDATORS``).

Django's validators refuse short, common and all-digit passwords and ones
close to the account's own username, names or e-mail address; this one adds
the words someone guessing a password for this site tries first: the
project's name and the names of the user's organizations.
"""

from django.conf import settings
from django.core.exceptions import ValidationError

from users.models import User
from users.selectors import list_organization_names

# A shorter name is refused only as the whole password, not inside one.
MIN_CONTAINED_LENGTH = 4


def _folded(text: str) -> str:
    """Letters and digits only, case folded: "Acme News!" -> "acmenews"."""
    return "".join(char for char in text.casefold() if char.isalnum())


class ContextWordsValidator:
    """Refuses a password that contains the project's or an organization's name."""

    def validate(self, password: str, user: User | None = None) -> None:
        folded = _folded(password)
        for word in self.words(user):
            name = _folded(word)
            if name and (
                name == folded or (len(name) >= MIN_CONTAINED_LENGTH and name in folded)
            ):
                raise ValidationError(
                    "This password contains the name “%(word)s”, which is among "
                    "the first things someone guessing it would try. Choose one "
                    "without it.",
                    code="password_has_context_word",
                    params={"word": word},
                )

    def words(self, user: User | None) -> list[str]:
        """The project's name, and the names of ``user``'s organizations."""
        words = [str(settings.PROJECT_NAME)]
        if user is not None and user.pk is not None:
            words += list_organization_names(user=user)
        return words

    def get_help_text(self) -> str:
        return (
            "Your password cannot contain the name of this site or of one of "
            "your organizations."
        )
