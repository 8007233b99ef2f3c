"""What the browser may keep of signed-in pages, and what log-out clears."""

from django.urls import reverse

from users.tests.factories import UserFactory


def test_a_signed_in_users_page_is_stored_by_no_cache(client, db):
    client.force_login(UserFactory.create())

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_visitors_page_may_be_cached(client, db):
    response = client.get(reverse("home"))

    assert "no-store" not in response.get("Cache-Control", "")


def test_log_out_clears_the_sites_data(client, db):
    client.force_login(UserFactory.create())

    response = client.post(reverse("logout"))

    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "no-store" in response["Cache-Control"]


def test_a_request_that_logs_nobody_out_clears_nothing(client, db):
    client.force_login(UserFactory.create())

    response = client.get(reverse("home"))

    assert "Clear-Site-Data" not in response


def test_an_export_is_stored_by_no_cache(client, org_with_roles):
    client.force_login(org_with_roles.admin)

    response = client.get(reverse("tasks:export", kwargs={"org_slug": "acme"}))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
