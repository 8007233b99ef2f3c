"""Sessions that end: idle, too old, or from another browser on request."""

import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from config.celery import app
from core.jobs import purge_expired_sessions
from core.sessions import LAST_SEEN, LOGGED_IN_AT
from users.tests.factories import DEFAULT_PASSWORD, UserFactory


def signed_in(username: str = "alice") -> Client:
    client = Client()
    client.post(reverse("login"), {"username": username, "password": DEFAULT_PASSWORD})
    return client


def age_session(client: Client, **seconds_ago: float) -> None:
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = time.time() - ago
    session.save()


def test_a_fresh_session_reaches_the_profile(db):
    UserFactory.create(username="alice")

    assert signed_in().get(reverse("profile")).status_code == 200


def test_an_idle_session_ends(db, security_events):
    UserFactory.create(username="alice")
    client = signed_in()
    age_session(client, **{LAST_SEEN: settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 + 5})

    response = client.get(reverse("profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    expired = [
        vars(r) for r in security_events() if vars(r)["event"] == "session_expired"
    ]
    assert [e["reason"] for e in expired] == ["idle"]


def test_a_session_ends_at_its_maximum_age_however_busy(db):
    UserFactory.create(username="alice")
    client = signed_in()
    age_session(client, **{LOGGED_IN_AT: settings.SESSION_MAX_AGE_HOURS * 3600 + 5})

    assert client.get(reverse("profile")).status_code == 302


def test_a_sessions_expiry_is_the_idle_timeout(db):
    UserFactory.create(username="alice")
    client = signed_in()

    assert client.session.get_expiry_age() == settings.SESSION_IDLE_TIMEOUT_MINUTES * 60


def test_log_out_everywhere_ends_the_other_sessions_only(db, security_events):
    UserFactory.create(username="alice")
    UserFactory.create(username="bob")
    here, elsewhere, bob = signed_in(), signed_in(), signed_in("bob")

    response = here.post(reverse("sessions_end_others"), follow=True)

    assert "Signed out on every other browser (1 session ended)." in response.text
    assert here.get(reverse("profile")).status_code == 200
    assert elsewhere.get(reverse("profile")).status_code == 302
    assert bob.get(reverse("profile")).status_code == 200
    assert "other_sessions_ended" in [vars(r)["event"] for r in security_events()]


def test_the_profile_offers_log_out_everywhere(db):
    UserFactory.create(username="alice")

    response = signed_in().get(reverse("profile"))

    assert reverse("sessions_end_others") in response.text


def test_the_periodic_job_purges_expired_sessions(db):
    UserFactory.create(username="alice")
    signed_in()
    Session.objects.update(expire_date="2000-01-01T00:00Z")

    purge_expired_sessions.delay()

    assert not Session.objects.exists()


def test_the_beat_schedule_runs_the_purge():
    tasks = [entry["task"] for entry in app.conf.beat_schedule.values()]
    assert "core.jobs.purge_expired_sessions" in tasks
