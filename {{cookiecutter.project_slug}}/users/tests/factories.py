"""Test data for users: unique names and addresses, a known password."""

import factory
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from users.models import User
from users.views_mfa import PENDING_SESSION_KEY

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(DEFAULT_PASSWORD)


def log_in_verified(client: Client, user: User) -> TOTPDevice:
    """Sign ``client`` in as ``user`` who has given a code from a new
    authenticator app, as the admin site asks of staff."""
    device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    client.force_login(user)
    session = client.session
    session.pop(PENDING_SESSION_KEY, None)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
