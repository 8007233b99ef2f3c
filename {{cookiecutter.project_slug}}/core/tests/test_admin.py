"""The admin lists core's records read-only and replays the jobs that gave up."""

import pytest
from django.urls import reverse

from core.email import send_email_once
from core.jobs import job
from core.models import FailedJob, SentEmail

pytestmark = pytest.mark.django_db

ran: list[int] = []


@job
def record_item(*, item_id: int) -> str:
    ran.append(item_id)
    return "done"


def test_the_admin_replays_the_selected_jobs_once(
    admin_client, django_capture_on_commit_callbacks
):
    ran.clear()
    failed = FailedJob.objects.create(
        name="core.tests.test_admin.record_item",
        kwargs={"item_id": 4},
        error="after 3 attempt(s): SMTPServerDisconnected()",
    )
    url = reverse("admin:core_failedjob_changelist")
    assert admin_client.get(url).status_code == 200

    messages = []
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                url, {"action": "replay", "_selected_action": [failed.pk]}, follow=True
            )
        assert response.status_code == 200
        messages.append([str(m) for m in response.context["messages"]])

    assert messages == [
        ["Queued 1 job(s) again."],
        ["Queued 0 job(s) again. 1 had been replayed already."],
    ]
    assert ran == [4]
    failed.refresh_from_db()
    assert failed.replayed_at is not None


def test_failed_jobs_and_sent_mail_cannot_be_added_or_edited(admin_client):
    send_email_once(key="k:1", subject="Hi", body="B", to=["a@example.com"])
    sent = SentEmail.objects.get()

    assert (
        admin_client.get(reverse("admin:core_sentemail_changelist")).status_code == 200
    )
    assert admin_client.get(reverse("admin:core_sentemail_add")).status_code == 403
    assert admin_client.get(reverse("admin:core_failedjob_add")).status_code == 403
    change = reverse("admin:core_sentemail_change", args=[sent.pk])
    assert admin_client.get(change).status_code == 200  # read-only view
    assert admin_client.post(change, {"key": "changed"}).status_code == 403
    sent.refresh_from_db()
    assert sent.key == "k:1"
