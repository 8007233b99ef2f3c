"""Invites: the e-mail's job is queued only after commit, tokens are checked strictly."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.conf import settings
from django.core.mail.backends import locmem
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ConflictError, DomainError, InvalidTokenError
from core.models import FailedJob, SentEmail
from orgs.jobs import send_invite_email
from orgs.models import Invite, Membership
from orgs.services import remove_member
from orgs.services_invites import (
    accept_invite,
    invite_accept_url,
    invite_member,
    resend_invite,
    revoke_invite,
    revoke_invites,
)
from orgs.tests.factories import InviteFactory, MembershipFactory
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class WorkflowFailed(Exception):
    pass


def invite(org_with_roles, email="carol@example.com", role="member"):
    return invite_member(
        actor=org_with_roles.admin,
        organization=org_with_roles.organization,
        email=email,
        role=role,
    )


# invite_member ------------------------------------------------------------


def test_invite_is_recorded_and_mailed_once_after_commit(
    org_with_roles, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sent = invite(org_with_roles, email=" Carol@Example.COM ")
        assert mailoutbox == []  # not before the commit
    assert len(callbacks) == 1
    assert len(mailoutbox) == 1

    record = Invite.objects.get()
    assert sent.invite == record
    assert record.email == "carol@example.com"
    assert record.role == "member"
    assert record.invited_by == org_with_roles.admin
    assert record.accepted_at is None
    assert len(record.token) >= 32
    ttl = timedelta(days=settings.ORGS_INVITE_TTL_DAYS)
    assert abs(record.expires_at - (record.created_at + ttl)) < timedelta(seconds=5)

    path = reverse("orgs:invite_accept", kwargs={"token": record.token})
    assert sent.accept_url == settings.SITE_URL.rstrip("/") + path
    assert sent.accept_url == invite_accept_url(token=record.token)

    message = mailoutbox[0]
    assert message.to == ["carol@example.com"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "Acme" in message.subject
    assert sent.accept_url in message.body
    assert "alice" in message.body
    assert "as member" in message.body


def test_the_invite_mail_names_the_role(
    org_with_roles, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = invite(org_with_roles, role="admin")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["carol@example.com"]
    assert sent.accept_url in mailoutbox[0].body
    assert "as admin" in mailoutbox[0].body


def test_invite_tokens_are_unique(org_with_roles, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = invite(org_with_roles, email="one@example.com")
        second = invite(org_with_roles, email="two@example.com")
    assert first.invite.token != second.invite.token


def test_invite_is_not_sent_while_the_transaction_is_open(
    org_with_roles, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        invite(org_with_roles)
    assert Invite.objects.count() == 1
    assert len(callbacks) == 1
    assert mailoutbox == []
    callbacks[0]()  # what the commit would do
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("email", ["bob@example.com", "BOB@example.com"])
def test_inviting_a_current_member_is_refused(
    org_with_roles, mailoutbox, django_capture_on_commit_callbacks, email
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ConflictError) as refused,
    ):
        invite(org_with_roles, email=email)
    assert refused.value.field == "email"
    assert refused.value.message == "bob@example.com is already a member of Acme."
    assert not Invite.objects.exists()
    assert callbacks == []
    assert mailoutbox == []


def test_inviting_someone_with_a_pending_invite_is_refused(
    org_with_roles, mailoutbox, django_capture_on_commit_callbacks
):
    existing = InviteFactory.create(
        organization=org_with_roles.organization, email="carol@example.com"
    )
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ConflictError) as refused,
    ):
        invite(org_with_roles, email="Carol@example.com")
    assert refused.value.field == "email"
    assert "pending invite" in refused.value.message
    assert list(Invite.objects.all()) == [existing]
    assert callbacks == []
    assert mailoutbox == []


def test_a_new_invite_supersedes_an_expired_one(
    org_with_roles, mailoutbox, django_capture_on_commit_callbacks
):
    expired = InviteFactory.create(
        organization=org_with_roles.organization,
        email="carol@example.com",
        expired=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = invite(org_with_roles, email="Carol@example.com")
    assert Invite.objects.count() == 2
    expired.refresh_from_db()
    assert expired.revoked_at is not None
    assert list(Invite.objects.open()) == [sent.invite]
    assert len(mailoutbox) == 1


def test_a_new_invite_supersedes_one_whose_sender_lost_the_right(
    org_with_roles, django_capture_on_commit_callbacks
):
    dave = MembershipFactory.create(
        organization=org_with_roles.organization, user__username="dave"
    ).user
    orphan = InviteFactory.create(
        organization=org_with_roles.organization,
        email="carol@example.com",
        invited_by=dave,
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = invite(org_with_roles)
    orphan.refresh_from_db()
    assert orphan.revoked_at is not None
    assert list(Invite.objects.open()) == [sent.invite]


@pytest.mark.parametrize("inviter", ["member", "outsider"])
def test_only_someone_who_may_vouch_for_it_sends_an_invite(
    org_with_roles, mailoutbox, django_capture_on_commit_callbacks, inviter
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ConflictError) as refused,
    ):
        invite_member(
            actor=getattr(org_with_roles, inviter),
            organization=org_with_roles.organization,
            email="carol@example.com",
        )
    assert refused.value.message.startswith("Only an admin of Acme (or a superuser)")
    assert not Invite.objects.exists()
    assert callbacks == []
    assert mailoutbox == []


def test_a_superuser_may_invite_to_any_organization(
    org_with_roles, mailoutbox, django_capture_on_commit_callbacks
):
    root = UserFactory.create(username="root", is_superuser=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        invite_member(
            actor=root,
            organization=org_with_roles.organization,
            email="carol@example.com",
        )
    assert "root invited you to join Acme" in mailoutbox[0].body


def test_invite_refuses_invalid_role(
    org_with_roles, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(DomainError) as refused,
    ):
        invite(org_with_roles, role="owner")
    assert refused.value.field == "role"
    assert not Invite.objects.exists()
    assert mailoutbox == []


def test_a_rolled_back_invite_is_never_sent(
    org_with_roles, mailoutbox, django_capture_on_commit_callbacks
):
    """A later step fails in the caller's transaction: no row, no mail."""
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(WorkflowFailed),
        transaction.atomic(),
    ):
        invite(org_with_roles)
        assert Invite.objects.count() == 1
        raise WorkflowFailed("a later step of the workflow failed")
    assert not Invite.objects.exists()
    assert callbacks == []
    assert mailoutbox == []


def test_the_invite_job_is_queued_once_after_commit_with_the_id(
    org_with_roles, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(
        send_invite_email, "delay", lambda **kwargs: queued.append(kwargs)
    )
    with django_capture_on_commit_callbacks() as callbacks:
        sent = invite(org_with_roles)
    assert queued == []  # not before the commit

    for callback in callbacks:
        callback()
    assert queued == [{"invite_id": sent.invite.pk}]


def test_a_failing_mail_server_never_undoes_the_invite(
    org_with_roles, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    """The send path fails after commit: the invite stays, the job is kept."""
    calls = []

    def broken_send(backend, messages):
        calls.extend(messages)
        raise SMTPServerDisconnected("SMTP is down")

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", broken_send)
    with django_capture_on_commit_callbacks() as callbacks:
        sent = invite(org_with_roles)
    assert calls == []
    for callback in callbacks:
        callback()  # raises nothing

    assert Invite.objects.get() == sent.invite
    assert mailoutbox == []
    assert {message.to[0] for message in calls} == {"carol@example.com"}
    failed = FailedJob.objects.get()
    assert (failed.name, failed.kwargs) == (
        "orgs.jobs.send_invite_email",
        {"invite_id": sent.invite.pk},
    )


# accept_invite ------------------------------------------------------------


@pytest.fixture
def carol(db):
    return UserFactory.create(username="carol", email="carol@example.com")


def membership_count(org_with_roles) -> int:
    return Membership.objects.filter(organization=org_with_roles.organization).count()


def test_accept_joins_with_the_invited_role(org_with_roles, carol):
    pending = InviteFactory.create(
        organization=org_with_roles.organization,
        email="carol@example.com",
        role="admin",
    )
    result = accept_invite(actor=carol, token=pending.token)
    membership = Membership.objects.get(user=carol)
    assert result.membership == membership
    assert membership.organization == org_with_roles.organization
    assert membership.role == "admin"
    pending.refresh_from_db()
    assert pending.is_accepted
    assert pending.accepted_by == carol
    assert pending.accepted_at is not None
    assert pending.accepted_at <= timezone.now()


def test_accept_matches_the_email_case_insensitively(org_with_roles, carol):
    carol.email = "Carol@Example.com"
    carol.save()
    pending = InviteFactory.create(
        organization=org_with_roles.organization, email="carol@example.com"
    )
    accept_invite(actor=carol, token=pending.token)
    assert Membership.objects.filter(user=carol, role="member").exists()


def assert_nothing_changed(org_with_roles, carol, count_before, invite=None):
    assert not Membership.objects.filter(user=carol).exists()
    assert membership_count(org_with_roles) == count_before
    if invite is not None:
        invite.refresh_from_db()
        assert invite.accepted_at is None
        assert invite.accepted_by is None


def test_accept_refuses_an_unknown_token(org_with_roles, carol):
    before = membership_count(org_with_roles)
    with pytest.raises(InvalidTokenError) as refused:
        accept_invite(actor=carol, token="not-a-real-token")
    assert refused.value.message == "This invite link is not valid."
    assert_nothing_changed(org_with_roles, carol, before)


def test_accept_refuses_an_expired_invite(org_with_roles, carol):
    pending = InviteFactory.create(
        organization=org_with_roles.organization,
        email="carol@example.com",
        expired=True,
    )
    before = membership_count(org_with_roles)
    with pytest.raises(InvalidTokenError) as refused:
        accept_invite(actor=carol, token=pending.token)
    assert "expired" in refused.value.message
    assert "Acme" in refused.value.message
    assert_nothing_changed(org_with_roles, carol, before, pending)


def test_accept_refuses_a_used_invite(org_with_roles, carol):
    pending = InviteFactory.create(
        organization=org_with_roles.organization, email="carol@example.com"
    )
    accept_invite(actor=carol, token=pending.token)
    Membership.objects.filter(user=carol).delete()  # carol left afterwards
    with pytest.raises(InvalidTokenError) as refused:
        accept_invite(actor=carol, token=pending.token)
    assert refused.value.message == "This invite has already been used."
    assert not Membership.objects.filter(user=carol).exists()


def test_accept_refuses_an_invite_sent_to_another_address(org_with_roles, carol):
    foreign = InviteFactory.create(
        organization=org_with_roles.organization, email="dave@example.com"
    )
    before = membership_count(org_with_roles)
    with pytest.raises(InvalidTokenError) as refused:
        accept_invite(actor=carol, token=foreign.token)
    assert "another e-mail address" in refused.value.message
    assert "carol@example.com" in refused.value.message
    assert_nothing_changed(org_with_roles, carol, before, foreign)


def test_accept_refuses_a_current_member(org_with_roles):
    bob = org_with_roles.member
    pending = InviteFactory.create(
        organization=org_with_roles.organization, email=bob.email, role="admin"
    )
    with pytest.raises(ConflictError) as refused:
        accept_invite(actor=bob, token=pending.token)
    assert refused.value.message == "You are already a member of Acme."
    assert Membership.objects.get(user=bob).role == "member"
    pending.refresh_from_db()
    assert pending.accepted_at is None


def test_accept_refuses_a_revoked_invite(org_with_roles, carol):
    revoked = InviteFactory.create(
        organization=org_with_roles.organization,
        email="carol@example.com",
        revoked_at=timezone.now(),
    )
    before = membership_count(org_with_roles)
    with pytest.raises(InvalidTokenError) as refused:
        accept_invite(actor=carol, token=revoked.token)
    assert refused.value.message.startswith("This invite was withdrawn.")
    assert_nothing_changed(org_with_roles, carol, before, revoked)


# an invite lives by its sender's rights ------------------------------------


@pytest.fixture
def second_admin(org_with_roles):
    return MembershipFactory.create(
        organization=org_with_roles.organization, user__username="dave", admin=True
    )


def test_a_removed_admins_invite_cannot_bring_them_back(org_with_roles, second_admin):
    """alice invites her second account as admin, is removed, and accepts."""
    alice = org_with_roles.admin
    sent = invite_member(
        actor=alice,
        organization=org_with_roles.organization,
        email="alice.again@example.com",
        role="admin",
    )
    remove_member(actor=second_admin.user, membership=org_with_roles.admin_membership)
    second_account = UserFactory.create(email="alice.again@example.com")

    with pytest.raises(InvalidTokenError) as refused:
        accept_invite(actor=second_account, token=sent.invite.token)

    assert refused.value.message.startswith(
        "This invite can no longer be accepted: the person who sent it is no "
        "longer an admin of Acme."
    )
    assert not Membership.objects.filter(user=second_account).exists()
    sent.invite.refresh_from_db()
    assert sent.invite.accepted_at is None


@pytest.mark.parametrize("change", ["demoted", "deleted", "deactivated"])
def test_accept_refuses_an_invite_whose_sender_lost_the_right(
    org_with_roles, second_admin, carol, change
):
    alice = org_with_roles.admin
    pending = InviteFactory.create(
        organization=org_with_roles.organization,
        email="carol@example.com",
        invited_by=alice,
    )
    if change == "demoted":
        Membership.objects.filter(user=alice).update(role="member")
    elif change == "deleted":
        alice.delete()
    else:
        alice.is_active = False
        alice.save()
    before = membership_count(org_with_roles)
    with pytest.raises(InvalidTokenError) as refused:
        accept_invite(actor=carol, token=pending.token)
    assert "no longer an admin of Acme" in refused.value.message
    assert_nothing_changed(org_with_roles, carol, before, pending)


def test_a_superusers_invite_is_accepted(org_with_roles, carol):
    root = UserFactory.create(username="root", is_superuser=True, is_staff=True)
    pending = InviteFactory.create(
        organization=org_with_roles.organization,
        email="carol@example.com",
        invited_by=root,
    )
    accept_invite(actor=carol, token=pending.token)
    assert Membership.objects.filter(user=carol).exists()


# revoke_invite --------------------------------------------------------------


def test_revoke_ends_the_invite_and_its_mail(
    org_with_roles, carol, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        sent = invite(org_with_roles)
    revoked = revoke_invite(actor=org_with_roles.admin, invite=sent.invite)

    assert revoked.revoked_at is not None
    assert Invite.objects.get().revoked_at == revoked.revoked_at
    for callback in callbacks:  # the job, queued before, runs after
        callback()
    assert mailoutbox == []
    assert (
        send_invite_email.delay(invite_id=sent.invite.pk).get().startswith("skipped:")
    )
    with pytest.raises(InvalidTokenError):
        accept_invite(actor=carol, token=sent.invite.token)


@pytest.mark.parametrize(
    ("ended", "message"),
    [
        (
            "accepted_at",
            "The invitation to carol@example.com has already been accepted.",
        ),
        ("revoked_at", "The invitation to carol@example.com was revoked."),
    ],
)
def test_revoke_refuses_an_invite_already_ended(org_with_roles, ended, message):
    done = InviteFactory.create(
        organization=org_with_roles.organization,
        email="carol@example.com",
        **{ended: timezone.now() - timedelta(minutes=5)},
    )
    with pytest.raises(ConflictError) as refused:
        revoke_invite(actor=org_with_roles.admin, invite=done)
    assert refused.value.message == message
    assert Invite.objects.get().updated_at == done.updated_at


def test_revoke_invites_revokes_all_or_none(org_with_roles):
    org = org_with_roles.organization
    first, second = InviteFactory.create_batch(2, organization=org)
    used = InviteFactory.create(organization=org, accepted_at=timezone.now())
    with pytest.raises(ConflictError):
        revoke_invites(actor=org_with_roles.admin, invites=[first, used])
    assert not Invite.objects.filter(revoked_at__isnull=False).exists()

    assert revoke_invites(actor=org_with_roles.admin, invites=[first, second]) == 2
    assert Invite.objects.filter(revoked_at__isnull=False).count() == 2


# resend_invite --------------------------------------------------------------


def test_resend_mails_a_new_link_and_the_old_one_dies(
    org_with_roles, carol, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = invite(org_with_roles)
    old_token, old_expiry = sent.invite.token, sent.invite.expires_at

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = resend_invite(actor=org_with_roles.admin, invite=sent.invite)
        assert len(mailoutbox) == 1  # not before the commit

    assert len(callbacks) == 1
    record = Invite.objects.get()
    assert record.token == again.invite.token != old_token
    assert record.expires_at > old_expiry
    assert [message.to for message in mailoutbox] == [["carol@example.com"]] * 2
    assert again.accept_url in mailoutbox[1].body
    assert old_token not in mailoutbox[1].body
    assert SentEmail.objects.count() == 2  # a new key: the mail really went again
    with pytest.raises(InvalidTokenError) as refused:
        accept_invite(actor=carol, token=old_token)
    assert refused.value.message == "This invite link is not valid."
    accept_invite(actor=carol, token=again.invite.token)


def test_resend_revives_an_expired_invite(
    org_with_roles, mailoutbox, django_capture_on_commit_callbacks
):
    expired = InviteFactory.create(
        organization=org_with_roles.organization,
        email="carol@example.com",
        expired=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        resend_invite(actor=org_with_roles.admin, invite=expired)
    assert list(Invite.objects.pending(now=timezone.now())) == [expired]
    assert len(mailoutbox) == 1


def test_resend_makes_the_admin_who_resends_its_sender(
    org_with_roles, second_admin, carol, django_capture_on_commit_callbacks
):
    """An invite whose sender lost the right lives again, on the new sender's."""
    pending = InviteFactory.create(
        organization=org_with_roles.organization,
        email="carol@example.com",
        invited_by=org_with_roles.admin,
    )
    Membership.objects.filter(user=org_with_roles.admin).update(role="member")
    with django_capture_on_commit_callbacks(execute=True):
        again = resend_invite(actor=second_admin.user, invite=pending)
    assert again.invite.invited_by == second_admin.user
    accept_invite(actor=carol, token=again.invite.token)
    assert Membership.objects.get(user=carol).role == "member"


@pytest.mark.parametrize(
    ("ended", "message"),
    [
        (
            "accepted_at",
            "The invitation to carol@example.com has already been accepted.",
        ),
        ("revoked_at", "The invitation to carol@example.com was revoked."),
    ],
)
def test_resend_refuses_an_invite_already_ended(
    org_with_roles, mailoutbox, django_capture_on_commit_callbacks, ended, message
):
    done = InviteFactory.create(
        organization=org_with_roles.organization,
        email="carol@example.com",
        **{ended: timezone.now()},
    )
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ConflictError) as refused,
    ):
        resend_invite(actor=org_with_roles.admin, invite=done)
    assert refused.value.message == message
    assert Invite.objects.get().token == done.token
    assert callbacks == []
    assert mailoutbox == []


def test_resend_refuses_an_address_that_has_joined_meanwhile(org_with_roles):
    pending = InviteFactory.create(
        organization=org_with_roles.organization, email="bob@example.com"
    )
    with pytest.raises(ConflictError) as refused:
        resend_invite(actor=org_with_roles.admin, invite=pending)
    assert refused.value.message == "bob@example.com is already a member of Acme."
    assert Invite.objects.get().token == pending.token


def test_resend_refuses_a_sender_who_may_not_vouch_for_it(org_with_roles):
    pending = InviteFactory.create(organization=org_with_roles.organization)
    with pytest.raises(ConflictError):
        resend_invite(actor=org_with_roles.member, invite=pending)
    assert Invite.objects.get().token == pending.token


def test_an_invite_sent_and_accepted_are_security_events(
    org_with_roles, security_events
):
    sent = invite(org_with_roles)
    carol = UserFactory.create(username="carol", email="carol@example.com")
    accept_invite(actor=carol, token=sent.invite.token)

    assert [(r.event, r.username, r.invite_id) for r in security_events()] == [
        ("invite_sent", org_with_roles.admin.username, sent.invite.pk),
        ("invite_accepted", "carol", sent.invite.pk),
    ]


def test_an_organization_sends_a_limited_number_of_invites_a_day(
    org_with_roles, settings
):
    settings.ORGS_INVITES_PER_DAY = 2
    invite(org_with_roles, email="one@example.com")
    invite(org_with_roles, email="two@example.com")

    with pytest.raises(ConflictError, match="its limit \\(2\\); try again tomorrow"):
        invite(org_with_roles, email="three@example.com")
    assert Invite.objects.count() == 2
