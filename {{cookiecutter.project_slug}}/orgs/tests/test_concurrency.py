"""Organizations of one name, and invitations to one address, at the same moment.

The services check and then insert; a row committed by someone else between
the two is refused by a unique constraint. An organization then takes the
next free slug (in a savepoint), a second invitation becomes the form error
"already has a pending invite". Each race is simulated deterministically (the
check answers as if it had looked before the other wrote), then run for real
in threads on PostgreSQL (the ``postgresql`` fixture): SQLite writes one at a
time, so two inserts never race there.
"""

from unittest import mock

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from core.exceptions import ConflictError
from orgs import services, services_invites
from orgs.models import Invite, Membership, Organization
from orgs.services import create_organization
from orgs.services_invites import invite_member
from orgs.tests.factories import InviteFactory, MembershipFactory
from users.tests.factories import UserFactory
from users.tests.races import at_once, checked_too_early

THREADS = 4


def slug_checked_too_early():
    found = checked_too_early(services.is_organization_slug_taken, answer=False)
    return mock.patch.object(services, "is_organization_slug_taken", side_effect=found)


def invite_checked_too_early():
    found = checked_too_early(services_invites.has_pending_invite, answer=False)
    return mock.patch.object(services_invites, "has_pending_invite", side_effect=found)


# the race, simulated ----------------------------------------------------------


@pytest.mark.django_db
def test_an_organization_that_loses_the_race_for_its_slug_takes_the_next(client):
    MembershipFactory.create(organization__name="Acme", organization__slug="acme")
    client.force_login(UserFactory.create())
    with slug_checked_too_early():
        response = client.post(reverse("orgs:create"), {"name": "Acme"})
    assertRedirects(
        response,
        reverse("orgs:detail", kwargs={"org_slug": "acme-2"}),
        fetch_redirect_response=False,
    )
    assert sorted(Organization.objects.values_list("slug", flat=True)) == [
        "acme",
        "acme-2",
    ]


@pytest.mark.django_db
def test_create_organization_gives_up_after_losing_every_attempt():
    Organization.objects.create(name="Acme", slug="acme")
    actor = UserFactory.create()
    always_free = mock.patch.object(
        services, "unique_slug", side_effect=lambda *args, **kwargs: "acme"
    )
    with always_free, pytest.raises(ConflictError) as refused:
        create_organization(actor=actor, name="Acme")
    assert refused.value.field == "name"
    assert Organization.objects.count() == 1
    assert not Membership.objects.exists()


@pytest.mark.django_db
def test_an_invite_that_loses_the_race_for_its_address_shows_the_error(
    client, org_with_roles, mailoutbox, django_capture_on_commit_callbacks
):
    first = InviteFactory.create(
        organization=org_with_roles.organization, email="carol@example.com"
    )
    client.force_login(org_with_roles.admin)
    with invite_checked_too_early(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("orgs:invite", kwargs={"org_slug": "acme"}),
            {"email": "Carol@example.com", "role": "member"},
        )
    assertContains(response, "carol@example.com already has a pending invite to Acme.")
    assert response.context["form"].errors["email"]
    assert list(Invite.objects.all()) == [first]
    first.refresh_from_db()
    assert first.revoked_at is None
    assert mailoutbox == []


# the race, for real -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_organizations_of_one_name_at_once_get_the_next_free_slugs(postgresql):
    founders = UserFactory.create_batch(THREADS)

    def create(n: int) -> str:
        return create_organization(actor=founders[n], name="Acme").organization.slug

    with slug_checked_too_early():
        slugs, errors = at_once(create, threads=THREADS)
    assert errors == []
    assert sorted(slugs) == ["acme", "acme-2", "acme-3", "acme-4"]
    assert Membership.objects.filter(role="admin").count() == THREADS


@pytest.mark.django_db(transaction=True)
def test_invites_to_one_address_at_once_leave_one_pending_invite(
    postgresql, org_with_roles
):
    admins = [
        org_with_roles.admin,
        *(
            MembershipFactory.create(
                organization=org_with_roles.organization, admin=True
            ).user
            for _ in range(THREADS - 1)
        ),
    ]

    def invite(n: int) -> int:
        return invite_member(
            actor=admins[n],
            organization=org_with_roles.organization,
            email="carol@example.com",
        ).invite.pk

    with invite_checked_too_early():
        created, errors = at_once(invite, threads=THREADS)
    assert len(created) == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, ConflictError) for error in errors), errors
    assert {getattr(error, "field", None) for error in errors} == {"email"}
    assert list(Invite.objects.values_list("pk", flat=True)) == created
