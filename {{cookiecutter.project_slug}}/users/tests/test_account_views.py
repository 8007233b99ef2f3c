"""The account pages: log-in, the password pages, the profile, a new e-mail
address, deleting the account, and the account menu."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import NoReverseMatch, reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from core.models import SentEmail
from users.models import User
from users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-unusual-passphrase-7"
SIGNED_IN_PAGES = (
    "profile",
    "email_change",
    "account_delete",
    "password_change",
    "password_change_done",
)
PUBLIC_PAGES = (
    "login",
    "signup",
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def h1_of(response) -> list[str]:
    return re.findall(r"<h1>(.*?)</h1>", response.content.decode())


@pytest.fixture
def carol(client) -> User:
    user = UserFactory.create(username="carol", email="carol@example.com")
    client.force_login(user)
    return user


# every page: the project's look, one heading --------------------------------


@pytest.mark.parametrize(
    ("name", "signed_in"),
    [(name, False) for name in PUBLIC_PAGES]
    + [(name, True) for name in SIGNED_IN_PAGES],
)
def test_account_pages_are_in_the_project_look(client, name, signed_in):
    if signed_in:
        client.force_login(UserFactory.create())
    response = client.get(reverse(name))
    assert response.status_code == 200
    assertContains(response, 'class="site-header"')
    assertNotContains(response, "admin/css")
    assert len(h1_of(response)) == 1


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    url = reverse(name)
    assertRedirects(client.get(url), f"{reverse('login')}?next={url}")


def test_log_in_page_links_to_the_reset_and_sign_up(client):
    response = client.get(reverse("login"))
    assertContains(response, f'href="{reverse("password_reset")}"')
    assertContains(response, "Forgot your password?")
    assertContains(response, f'href="{reverse("signup")}"')


@pytest.mark.parametrize(
    ("name", "attributes"),
    [
        ("signup", ['autocomplete="username"', 'autocomplete="email"']),
        ("login", ['autocomplete="username"', 'autocomplete="current-password"']),
        ("password_reset", ['autocomplete="email"']),
    ],
)
def test_public_account_forms_say_what_to_fill_in(client, name, attributes):
    response = client.get(reverse(name))
    for attribute in attributes:
        assertContains(response, attribute)
    if name == "signup":
        assertContains(response, 'autocomplete="new-password"', count=2)
        assertContains(response, "organizations")
        assertNotContains(response, "organisation")


@pytest.mark.parametrize(
    ("name", "attributes"),
    [
        ("profile", ['autocomplete="given-name"', 'autocomplete="family-name"']),
        ("email_change", ['autocomplete="email"', 'autocomplete="current-password"']),
        ("account_delete", ['autocomplete="current-password"']),
        (
            "password_change",
            ['autocomplete="current-password"', 'autocomplete="new-password"'],
        ),
    ],
)
def test_account_forms_say_what_to_fill_in(client, carol, name, attributes):
    response = client.get(reverse(name))
    for attribute in attributes:
        assertContains(response, attribute)


# the account menu ------------------------------------------------------------


def test_the_account_menu_of_a_signed_in_user(client, carol):
    response = client.get(reverse("home"))
    assertContains(response, "Signed in as <strong>carol</strong>")
    for name in ("profile", "password_change"):
        assertContains(response, f'href="{reverse(name)}"')
    assertContains(response, f'<form method="post" action="{reverse("logout")}">')


def test_the_account_menu_links_the_api_tokens_where_the_api_is(client, carol):
    response = client.get(reverse("home"))
    try:
        tokens = reverse("tokens")
    except NoReverseMatch:
        assertNotContains(response, "API tokens")
    else:
        assertContains(response, f'<a href="{tokens}">API tokens</a>', html=True)


def test_anonymous_visitors_get_no_account_menu(client):
    response = client.get(reverse("home"))
    assertNotContains(response, reverse("profile"))
    assertContains(response, f'href="{reverse("login")}"')


# passwords never reach an error report ---------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "sensitive"),
    [
        ("signup", {"password1": "x", "password2": "y"}, ("password1", "password2")),
        ("email_change", {"current_password": "x"}, ("current_password",)),
        ("account_delete", {"current_password": "x"}, ("current_password",)),
        ("password_change", {"old_password": "x"}, "__ALL__"),
        ("login", {"password": "x"}, "__ALL__"),
    ],
)
def test_views_taking_a_password_mark_it_sensitive(client, name, data, sensitive):
    if name not in PUBLIC_PAGES:
        client.force_login(UserFactory.create())
    response = client.post(reverse(name), data)
    assert response.wsgi_request.sensitive_post_parameters == sensitive


# profile ---------------------------------------------------------------------


def test_profile_shows_the_account(client, carol):
    response = client.get(reverse("profile"))
    assertContains(response, "<h1>Your profile</h1>", html=True)
    assertContains(response, "carol@example.com")
    for name in ("email_change", "password_change", "account_delete"):
        assertContains(response, f'href="{reverse(name)}"')


def test_profile_saves_the_name(client, carol):
    response = client.post(
        reverse("profile"), {"first_name": " Carol ", "last_name": "Danvers"}
    )
    assertRedirects(response, reverse("profile"))
    carol.refresh_from_db()
    assert (carol.first_name, carol.last_name) == ("Carol", "Danvers")
    assert messages_of(response) == ["Your name is saved."]
    assertContains(client.get(reverse("profile")), 'value="Danvers"')


def test_profile_refuses_a_name_on_two_lines_and_changes_nothing(client, carol):
    response = client.post(
        reverse("profile"), {"first_name": "Carol\nX", "last_name": "Danvers"}
    )
    assert response.status_code == 200
    assertContains(response, "Write this on one line")
    carol.refresh_from_db()
    assert (carol.first_name, carol.last_name) == ("", "")


# e-mail address --------------------------------------------------------------


def test_email_change_with_the_password(client, carol):
    response = client.post(
        reverse("email_change"),
        {"email": "Carol.New@Example.com", "current_password": DEFAULT_PASSWORD},
    )
    assertRedirects(response, reverse("profile"))
    carol.refresh_from_db()
    assert carol.email == "carol.new@example.com"
    assert messages_of(response) == [
        "Your e-mail address is now carol.new@example.com."
    ]


def test_email_change_with_a_wrong_password_changes_nothing(client, carol):
    response = client.post(
        reverse("email_change"),
        {"email": "new@example.com", "current_password": "not-my-password"},
    )
    assert response.status_code == 200
    assertContains(response, "This is not your current password.")
    carol.refresh_from_db()
    assert carol.email == "carol@example.com"


def test_email_change_to_a_taken_address_changes_nothing(client, carol):
    UserFactory.create(email="taken@example.com")
    response = client.post(
        reverse("email_change"),
        {"email": "Taken@example.com", "current_password": DEFAULT_PASSWORD},
    )
    assertContains(
        response, "An account already uses the e-mail address taken@example.com."
    )
    carol.refresh_from_db()
    assert carol.email == "carol@example.com"


# deleting the account --------------------------------------------------------


def test_delete_account_with_the_password(client, carol):
    response = client.post(
        reverse("account_delete"), {"current_password": DEFAULT_PASSWORD}
    )
    assertRedirects(response, reverse("account_deleted"))
    assert not User.objects.filter(username="carol").exists()
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("account_deleted"))
    assertContains(page, "<h1>Your account is deleted</h1>", html=True)


def test_delete_account_with_a_wrong_password_changes_nothing(client, carol):
    response = client.post(reverse("account_delete"), {"current_password": "nope"})
    assert response.status_code == 200
    assertContains(response, "This is not your current password.")
    assert User.objects.filter(username="carol").exists()
    assert client.session["_auth_user_id"] == str(carol.pk)


def test_the_last_admin_of_an_organization_cannot_delete_the_account(
    client, org_with_roles
):
    client.force_login(org_with_roles.admin)
    response = client.post(
        reverse("account_delete"), {"current_password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200
    assertContains(response, "You are the last admin of Acme.")
    assert User.objects.filter(pk=org_with_roles.admin.pk).exists()
    assert org_with_roles.organization.memberships.count() == 2
    assert client.session["_auth_user_id"] == str(org_with_roles.admin.pk)


def test_a_member_who_is_not_the_last_admin_can_delete_the_account(
    client, org_with_roles
):
    client.force_login(org_with_roles.member)
    response = client.post(
        reverse("account_delete"), {"current_password": DEFAULT_PASSWORD}
    )
    assertRedirects(response, reverse("account_deleted"))
    assert not User.objects.filter(pk=org_with_roles.member.pk).exists()
    assert org_with_roles.organization.memberships.count() == 1


# password change -------------------------------------------------------------


def test_password_change(client, carol):
    response = client.post(
        reverse("password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assertRedirects(response, reverse("password_change_done"))
    carol.refresh_from_db()
    assert carol.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(carol.pk)
    assertContains(client.get(reverse("password_change_done")), "password is changed")


def test_password_change_with_a_wrong_password_changes_nothing(client, carol):
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "not-my-password",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    carol.refresh_from_db()
    assert carol.check_password(DEFAULT_PASSWORD)


# password reset, end to end ----------------------------------------------------


def _ask_for_a_reset(client, email, capture):
    with capture(execute=True):
        response = client.post(reverse("password_reset"), {"email": email})
    assertRedirects(response, reverse("password_reset_done"))


def test_password_reset_end_to_end(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory.create(username="carol", email="carol@example.com")

    _ask_for_a_reset(client, "Carol@Example.com", django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["carol@example.com"]
    assert SentEmail.objects.filter(key__startswith="users.password_reset:").exists()
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.body)
    assert link, mail.body

    # Django moves the token out of the URL into the session, then asks.
    page = client.get(link.group(1), follow=True)
    assert page.redirect_chain[-1][0].endswith("/set-password/")
    assertContains(page, "<h1>Choose a new password</h1>", html=True)
    assertContains(page, 'autocomplete="new-password"', count=2)
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assertRedirects(done, reverse("password_reset_complete"))
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    logged_in = client.post(
        reverse("login"), {"username": "carol", "password": NEW_PASSWORD}
    )
    assertRedirects(logged_in, reverse("home"))

    # The link works once.
    again = client.get(link.group(1), follow=True)
    assertContains(again, "<h1>Reset link no longer valid</h1>", html=True)


def test_password_reset_for_an_unknown_address_says_the_same_and_mails_nobody(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    _ask_for_a_reset(client, "nobody@example.com", django_capture_on_commit_callbacks)
    assert mailoutbox == []


def test_password_reset_with_a_bad_address_shows_the_error(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "not-an-address"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert mailoutbox == []
