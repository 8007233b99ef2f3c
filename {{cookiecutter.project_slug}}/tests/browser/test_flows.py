"""The main flows, as a person goes through them in a browser.

Each page the flow lands on is checked for accessibility and valid HTML
(see ``Site.check`` in conftest.py). Locators are the names a screen reader
announces, so the flows survive restyling.
"""

import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from articles.models import Article
from articles.tests.factories import CommentFactory
from conftest import skip_or_fail
from orgs.models import Invite, Membership
from orgs.tests.factories import MembershipFactory
from tasks.tests.factories import TaskFactory
from tests.browser.conftest import HtmlValidator, Site
from users.models import User
from users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a-new-and-long-passphrase-42"
EMAIL = re.compile(r"e-?mail", re.IGNORECASE)


def link_in_last_mail(to: str) -> str:
    """The first link of the last message sent to ``to``, as a path."""
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    match = re.search(r"https?://[^/\s]+(/\S*)", str(message.body))
    assert match, f"no link in the mail to {to}: {message.body}"
    return match.group(1)


def expect_message(page: Page, text: str) -> None:
    """The page tells ``text`` in a status message."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def sign_up(site: Site, username: str) -> None:
    """Fill in and send the sign-up form the page shows."""
    page = site.page
    page.get_by_label("Username").fill(username)
    page.get_by_label(EMAIL).fill(f"{username}@example.com")
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_label("Password confirmation").fill(DEFAULT_PASSWORD)
    site.follow(page.get_by_role("button", name="Create my account"))


def open_night_desk(site: Site, *, admin: bool) -> User:
    """Log in as a new member (or admin) of Night Desk and open its page."""
    user = MembershipFactory.create(
        admin=admin, organization__name="Night Desk", organization__slug="night-desk"
    ).user
    site.log_in(user.username, DEFAULT_PASSWORD)
    site.follow(site.page.get_by_role("link", name="My organizations").first)
    site.follow(site.page.get_by_role("link", name="Night Desk"))
    return user


def test_sign_up_and_create_an_organization(site: Site) -> None:
    page = site.page
    site.open("/")
    site.follow(page.get_by_role("link", name="Sign up").first)
    sign_up(site, "ada")
    expect_message(page, "Welcome, ada")

    site.follow(page.get_by_role("link", name="Create an organization").first)
    page.get_by_label("Name").fill("Night Desk")
    site.follow(page.get_by_role("button", name="Create organization"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Night Desk")
    assert (
        Membership.objects.get(organization__name="Night Desk").user.username == "ada"
    )


def test_rename_an_organization_and_invite_someone_who_signs_up(site: Site) -> None:
    open_night_desk(site, admin=True)
    page = site.page
    site.follow(page.get_by_role("link", name="Settings", exact=True))
    page.get_by_role("textbox", name="Name").fill("Night Desk Team")
    site.follow(page.get_by_role("button", name="Rename"))
    expect(page.get_by_role("main")).to_contain_text("Night Desk Team")

    site.follow(page.get_by_role("link", name="Invite someone").first)
    page.get_by_label(EMAIL).fill("grace@example.com")
    site.follow(page.get_by_role("button", name="Send invitation"))
    expect_message(page, "grace@example.com")
    shown = page.get_by_label("Invitation link for grace@example.com").input_value()
    assert link_in_last_mail("grace@example.com") in shown
    site.log_out()

    site.open(shown)
    site.follow(page.get_by_role("main").get_by_role("link", name="Sign up"))
    sign_up(site, "grace")
    site.follow(page.get_by_role("button", name="Accept invitation"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Night Desk Team")
    expect(page.get_by_role("cell", name="grace (you)")).to_be_visible()
    assert page.url.endswith("/orgs/night-desk/")
    assert Invite.objects.get().is_accepted


def test_create_and_edit_a_task(site: Site) -> None:
    member = open_night_desk(site, admin=False)
    page = site.page
    site.follow(page.get_by_role("link", name="Tasks", exact=True))
    site.follow(page.get_by_role("link", name="New task").first)
    page.get_by_label("Title").fill("Check the late edition")
    page.get_by_label("Priority").select_option(label="High")
    page.get_by_label("Assignee").select_option(label=member.username)
    site.follow(page.get_by_role("button", name="Create task"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the late edition")

    site.follow(page.get_by_role("navigation", name="Main").get_by_text("My tasks"))
    site.follow(page.get_by_role("navigation", name="Main").get_by_text("Home"))
    assigned = page.get_by_role("region", name="Assigned to you")
    site.follow(assigned.get_by_role("link", name="Check the late edition"))
    site.follow(page.get_by_role("link", name="Edit"))
    page.get_by_label("Status").select_option(label="Done")
    site.follow(page.get_by_role("button", name="Save task"))

    expect(page.get_by_role("main")).to_contain_text("Done")
    expect(page.get_by_role("cell", name=re.compile(r"^Status: .+ → "))).to_be_visible()
    site.follow(page.get_by_role("link", name="Tasks", exact=True))
    expect(page.get_by_role("link", name="Check the late edition")).to_be_visible()


def test_filter_and_delete_a_task_and_remove_a_member(site: Site) -> None:
    admin = open_night_desk(site, admin=True)
    organization = Membership.objects.get(user=admin).organization
    MembershipFactory.create(organization=organization, user__username="bob")
    TaskFactory.create(organization=organization, title="Proofread page one")
    TaskFactory.create(organization=organization, title="Call the printer")
    page = site.page
    site.follow(page.get_by_role("link", name="Tasks", exact=True))
    page.get_by_role("search").get_by_label("Search").fill("printer")
    site.follow(page.get_by_role("button", name="Filter"))
    expect(page.get_by_role("link", name="Proofread page one")).to_have_count(0)

    site.follow(page.get_by_role("link", name="Call the printer"))
    site.follow(page.get_by_role("link", name="Delete"))
    site.follow(page.get_by_role("button", name="Delete task"))
    assert list(organization.tasks.values_list("title", flat=True)) == [
        "Proofread page one"
    ]

    site.follow(page.get_by_role("link", name="Night Desk"))
    site.follow(page.get_by_role("link", name="Remove bob"))
    site.follow(page.get_by_role("button", name="Remove member"))
    expect(page.get_by_role("cell", name="bob")).to_have_count(0)

    site.open("/orgs/no-such-organization/", status=404)


def test_write_and_publish_an_article(site: Site) -> None:
    author = UserFactory.create()
    page = site.page
    site.log_in(author.username, DEFAULT_PASSWORD)
    site.follow(page.get_by_role("navigation", name="Main").get_by_text("Articles"))
    site.follow(page.get_by_role("link", name="Write an article"))
    page.get_by_label("Title").fill("Printing presses at night")
    page.get_by_label("Body").fill("They run until dawn.\n\nThen they rest.")
    page.get_by_label("Tags").fill("print, night")
    site.follow(page.get_by_role("button", name="Save article"))
    expect(page.get_by_role("main")).to_contain_text("This is a draft")

    site.follow(page.get_by_role("link", name="Edit"))
    page.get_by_label("Status").select_option(label="Published")
    site.follow(page.get_by_role("button", name="Save changes"))
    expect(page.get_by_role("main")).not_to_contain_text("This is a draft")

    article = Article.objects.get(title="Printing presses at night")
    CommentFactory.create(article=article, author__username="kind", body="Lovely.")
    CommentFactory.create(article=article, author__username="rude", body="Spam!")
    site.open(page.url)
    site.follow(page.get_by_role("button", name="Approve the comment by kind"))
    site.follow(page.get_by_role("button", name="Reject the comment by rude"))
    assert list(article.comments.values_list("body", flat=True)) == ["Lovely."]
    site.log_out()

    site.open("/articles/")
    site.follow(page.get_by_role("link", name="Printing presses at night"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Printing presses at night"
    )
    expect(page.get_by_role("main")).to_contain_text("Lovely.")


def test_reset_a_forgotten_password(site: Site) -> None:
    user = UserFactory.create()
    page = site.page
    site.open("/accounts/login/")
    site.follow(page.get_by_role("link", name="Forgot your password?"))
    page.get_by_label(EMAIL).fill(user.email)
    site.follow(page.get_by_role("button", name="Send me a reset link"))

    site.open(link_in_last_mail(user.email))
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    site.follow(page.get_by_role("button", name="Set my new password"))
    site.follow(page.get_by_role("main").get_by_role("link", name="Log in"))
    site.fill_log_in(user.username, NEW_PASSWORD)

    expect(page.get_by_role("banner")).to_contain_text(user.username)


def test_edit_the_profile_change_the_password_and_leave(site: Site) -> None:
    user = UserFactory.create()
    page = site.page
    site.log_in(user.username, DEFAULT_PASSWORD)
    site.account_menu("Profile")
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    site.follow(page.get_by_role("button", name="Save name"))
    expect_message(page, "Your name is saved")
    site.follow(page.get_by_role("link", name="Change e-mail address"))
    page.get_by_label("New e-mail address").fill("grace.hopper@example.com")
    page.get_by_label("Current password").fill(DEFAULT_PASSWORD)
    site.follow(page.get_by_role("button", name="Change e-mail address"))
    expect_message(page, "grace.hopper@example.com")

    site.account_menu("Change password")
    page.get_by_label("Old password").fill(DEFAULT_PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    site.follow(page.get_by_role("button", name="Change my password"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your password is changed"
    )

    site.account_menu("Profile")
    site.follow(page.get_by_role("link", name="Delete my account"))
    page.get_by_label("Current password").fill(NEW_PASSWORD)
    site.follow(page.get_by_role("button", name="Delete my account"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is deleted")
    expect(
        page.get_by_role("banner").get_by_role("link", name="Log in")
    ).to_be_visible()
    assert not User.objects.filter(pk=user.pk).exists()


def test_turn_on_two_step_verification_and_log_in_with_a_recovery_code(
    site: Site,
) -> None:
    user = UserFactory.create()
    page = site.page
    site.log_in(user.username, DEFAULT_PASSWORD)
    site.account_menu("Profile")
    site.follow(page.get_by_role("link", name="Turn on two-step verification"))
    site.follow(page.get_by_role("button", name="Set up an authenticator app"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = totp(device.bin_key, device.step, device.t0, device.digits)
    page.get_by_label("Code from the app").fill(f"{code:0{device.digits}d}")
    site.follow(page.get_by_role("button", name="Turn on two-step verification"))
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    recovery_code = codes.first.inner_text().strip()
    site.follow(page.get_by_role("link", name="I have saved them"))
    site.log_out()

    site.log_in(user.username, DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Type your code")
    page.get_by_label("Code", exact=True).fill(recovery_code)
    site.follow(page.get_by_role("button", name="Verify"))
    expect(page.get_by_role("banner")).to_contain_text(user.username)
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Type your code")


def test_html_validator(html_validator: HtmlValidator | None) -> None:
    """The Nu Html Checker needs Java; the flows check HTML only with it."""
    if html_validator is None:
        skip_or_fail("Needs Java (17 or later) for vnu.jar, the HTML checker.")
    assert html_validator.errors(b"<!doctype html><title>t</title><p><p>") == []
    assert html_validator.errors(b"<!doctype html><p>no title") != []
