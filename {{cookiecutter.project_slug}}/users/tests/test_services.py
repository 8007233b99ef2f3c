"""Account workflows."""

import pytest
from django.contrib.auth.hashers import identify_hasher

from core.exceptions import ConflictError
from users.models import User
from users.services import register_user
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_register_user_creates_a_user_with_a_hashed_password():
    user = register_user(
        username="carol", email="carol@example.com", password="s3cret-pw!"
    )
    stored = User.objects.get(username="carol")
    assert stored == user
    assert stored.email == "carol@example.com"
    assert stored.has_usable_password()
    assert stored.password != "s3cret-pw!"
    assert identify_hasher(stored.password).algorithm == "md5"
    assert stored.check_password("s3cret-pw!")
    assert not stored.is_staff
    assert not stored.is_superuser


@pytest.mark.parametrize("email", ["taken@example.com", "Taken@EXAMPLE.com"])
def test_register_user_refuses_a_taken_email(email):
    UserFactory.create(username="first", email="taken@example.com")
    with pytest.raises(ConflictError) as refused:
        register_user(username="second", email=email, password="s3cret-pw!")
    assert refused.value.field == "email"
    assert email in refused.value.message
    assert list(User.objects.values_list("username", flat=True)) == ["first"]
