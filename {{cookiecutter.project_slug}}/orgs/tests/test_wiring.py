"""The orgs views hand side effects to the services, which run them after commit.

Layer tests: a behavior test sees the mail either way; these check that
nothing leaves while the transaction is open.
"""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from orgs.models import Invite
from orgs.tests.test_views import messages_of


def url(name, **kwargs):
    return reverse(name, kwargs=kwargs)


@pytest.mark.django_db
def test_admin_invites_and_the_mail_leaves_after_commit(
    client, org_with_roles, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(org_with_roles.admin)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            url("orgs:invite", org_slug="acme"),
            {"email": "Carol@Example.com", "role": "member"},
        )
        assert mailoutbox == []
    assertRedirects(response, url("orgs:settings", org_slug="acme"))
    assert len(callbacks) == 1
    invite = Invite.objects.get()
    assert invite.email == "carol@example.com"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["carol@example.com"]
    assert url("orgs:invite_accept", token=invite.token) in mailoutbox[0].body
    assert "Invite sent to carol@example.com." in messages_of(response)
