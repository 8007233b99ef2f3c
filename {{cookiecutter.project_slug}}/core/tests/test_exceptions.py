"""Domain errors carry a message for people and the field it concerns."""

import pytest

from core.exceptions import (
    ConflictError,
    DomainError,
    InvalidTokenError,
    InvalidTransitionError,
    require_choice,
)


def test_domain_error_message_and_str():
    error = DomainError("An organization needs a name.", field="name")
    assert error.message == "An organization needs a name."
    assert str(error) == "An organization needs a name."
    assert error.field == "name"
    assert error.args == ("An organization needs a name.",)


def test_domain_error_field_defaults_to_none():
    assert DomainError("No.").field is None


def test_field_is_keyword_only():
    with pytest.raises(TypeError):
        DomainError("No.", "name")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "error_class",
    [ConflictError, InvalidTransitionError, InvalidTokenError],
)
def test_every_specific_error_is_a_domain_error(error_class):
    error = error_class("Refused.", field="email")
    assert isinstance(error, DomainError)
    assert (str(error), error.message, error.field) == ("Refused.", "Refused.", "email")
    with pytest.raises(DomainError):
        raise error


def test_specific_errors_are_distinct():
    assert not issubclass(ConflictError, InvalidTokenError)
    assert not issubclass(InvalidTokenError, ConflictError)


def test_require_choice_accepts_a_listed_value():
    require_choice("member", allowed=["admin", "member"], field="role")


def test_require_choice_names_the_field_the_value_and_the_choices():
    with pytest.raises(DomainError) as refused:
        require_choice("owner", allowed=["admin", "member"], field="assigned_to")
    assert refused.value.field == "assigned_to"
    assert refused.value.message == (
        "Assigned to 'owner' is not one of: admin, member."
    )
