"""The password rules: at least 12 characters, not a common password, not the
project's name (the organizations' names: orgs/tests/test_password_policy.py)."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from users.models import User
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def refusals(password: str, user: User | None = None) -> list[str]:
    """The codes of the rules ``password`` breaks, for ``user``."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [e.code or "" for e in error.error_list]
    return []


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Summer2024!", "password_too_short"),
        ("correct-hor", "password_too_short"),
        ("password1234", "password_too_common"),
        ("123456789012345", "password_entirely_numeric"),
    ],
)
def test_short_common_and_numeric_passwords_are_refused(password, code):
    assert code in refusals(password)


def test_a_long_unusual_password_passes():
    assert refusals("plum-orbit-lantern-92") == []


@pytest.mark.parametrize(
    "build",
    [
        lambda name: name,
        lambda name: name.upper().replace(" ", "") + "2024!",
        lambda name: f"my {name.lower()} password",
    ],
)
def test_the_projects_name_is_refused_in_a_password(build):
    password = build(str(settings.PROJECT_NAME)).ljust(12, "!")

    assert "password_has_context_word" in refusals(password)


def test_sign_up_names_the_rule_and_creates_nothing(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "erin",
            "email": "erin@example.com",
            "password1": "Summer2024!",
            "password2": "Summer2024!",
        },
    )

    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    assert not User.objects.filter(username="erin").exists()


def test_a_password_change_to_the_projects_name_is_refused(client):
    user = UserFactory.create()
    client.force_login(user)
    name = str(settings.PROJECT_NAME).replace(" ", "") + "-2024!"

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery-staple",
            "new_password1": name,
            "new_password2": name,
        },
    )

    assert response.status_code == 200
    assert "contains the name" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("correct-horse-battery-staple")
