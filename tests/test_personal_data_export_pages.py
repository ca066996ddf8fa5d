"""Download my data: the pages, the password check, progress, expiry, the email, 404s."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from careers_app.accounts import recent_password
from careers_app.audit import AuditEvent
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.mail import outbox
from careers_app.personal_data import service
from careers_app.personal_data.models import DataExport
from careers_app.worksheets.presenters import uk_time
from tests.factories import DEFAULT_PASSWORD
from tests.planning import typical_plan


@pytest.fixture
def later(monkeypatch):  # type: ignore[no-untyped-def]
    """Move the recent-password clock forward by a number of minutes."""
    start = recent_password.now()

    def move(minutes: float) -> None:
        monkeypatch.setattr(recent_password, "now", lambda: int(start + minutes * 60))

    return move


@pytest.fixture
def queue_held(monkeypatch) -> list[int]:  # type: ignore[no-untyped-def]
    """Exports are enqueued but no worker runs them (the test runs them by hand)."""
    enqueued: list[int] = []
    monkeypatch.setattr("careers_app.personal_data.tasks.build_export_job", enqueued.append)
    return enqueued


def only_export(app) -> DataExport:  # type: ignore[no-untyped-def]
    with app.app_context():
        export = db.session.execute(select(DataExport)).scalar_one()
        db.session.expunge(export)
        return export


def test_a_fresh_sign_in_counts_as_a_recent_password(client, trainee):
    assert 'href="/account/export"' in client.get("/account/profile").get_data(as_text=True)
    page = client.get("/account/export")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Download your data" in html and "every earlier version" in html
    assert "Prepare my download" in html


def test_ten_minutes_after_signing_in_the_password_is_asked_for_again(client, trainee, later):
    later(10)
    asked = client.get("/account/export")
    assert asked.status_code == 302
    assert asked.headers["Location"] == "/account/confirm-password?next=/account/export"
    # A post is sent the same way, and nothing is started.
    assert client.post("/account/export").headers["Location"].startswith(
        "/account/confirm-password")
    confirmed = client.post("/account/confirm-password?next=/account/export",
                            data={"password": DEFAULT_PASSWORD})
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"] == "/account/export"
    later(19)
    assert client.get("/account/export").status_code == 200
    later(20)  # ten minutes after confirming: asked again
    assert client.get("/account/export").headers["Location"].startswith(
        "/account/confirm-password")


def test_a_wrong_password_says_so_and_keeps_nothing(client, trainee, later):
    later(11)
    wrong = client.post("/account/confirm-password?next=/account/export",
                        data={"password": "not my password at all"})
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 200
    assert "There is a problem" in html and "Enter your correct password" in html
    assert "Error: Confirm your password" in html
    assert "not my password at all" not in html
    assert client.get("/account/export").status_code == 302


def test_confirming_is_throttled_like_signing_in(client, trainee, later):
    later(11)
    for _ in range(5):
        client.post("/account/confirm-password", data={"password": "not my password at all"})
    refused = client.post("/account/confirm-password", data={"password": DEFAULT_PASSWORD})
    assert refused.status_code == 429
    assert "too many attempts" in refused.get_data(as_text=True)
    assert client.get("/account/export").status_code == 302


def test_confirming_never_goes_to_another_site(client, trainee, later):
    later(11)
    done = client.post("/account/confirm-password?next=//evil.example/",
                       data={"password": DEFAULT_PASSWORD})
    assert done.headers["Location"] == "/account/profile"


def test_a_second_request_shows_the_first_ones_progress(app, client, trainee, queue_held):
    first = client.post("/account/export")
    export = only_export(app)
    assert first.headers["Location"] == f"/account/export/{export.id}"
    waiting = client.get(f"/account/export/{export.id}").get_data(as_text=True)
    assert "Preparing your download" in waiting
    assert 'role="status" aria-live="polite"' in waiting and "Waiting to start" in waiting
    assert f'href="/account/export/{export.id}"' in waiting  # check again without JavaScript
    assert "We are already making your download" in client.get(
        "/account/export").get_data(as_text=True)
    second = client.post("/account/export")
    assert second.headers["Location"] == f"/account/export/{export.id}"
    assert queue_held == [export.id]  # one export, one job
    assert client.get(f"/account/export/{export.id}/status").json == {
        "status": "queued", "step": 1, "label": "Waiting to start"}

    with app.app_context():
        service.build_export(export.id, app.extensions["modules"])
    assert client.get(f"/account/export/{export.id}/status").json["status"] == "ready"
    # Once it is made, asking again makes a new one.
    assert client.post("/account/export").headers["Location"] != first.headers["Location"]


def test_another_persons_export_is_not_found(app, client, trainee, make_user, sign_in):
    client.post("/account/export")
    export = only_export(app)
    make_user("someone@example.org")
    other = app.test_client()
    sign_in("someone@example.org", test_client=other)
    for path in ("", "/status", "/download"):
        assert other.get(f"/account/export/{export.id}{path}").status_code == 404
    assert client.get(f"/account/export/{export.id}/download").status_code == 200


def test_the_email_links_to_the_download_page_and_holds_no_data(app, client, trainee):
    typical_plan(app, trainee.id)
    client.post("/account/export")
    export = only_export(app)
    with app.app_context():
        ready = [m for m in outbox() if m["Subject"] == "Your data is ready to download"]
    assert len(ready) == 1
    message = ready[0]
    assert message["To"] == "trainee@example.org"
    assert not list(message.iter_attachments())
    assert message.get_content() == (
        "Hello Test Person,\n\n"
        "The copy of your data you asked for is ready. Sign in to download it:\n\n"
        f"https://careers.test/account/export/{export.id}\n\n"
        f"You can download it until {uk_time(export.expires_at)}. After that we delete it, "
        "and you can ask for a new one at any time.\n\n"
        "If you did not ask for a copy of your data, sign in and change your password, and "
        "tell the careers unit through the support page.\n")


def test_downloading_is_recorded_in_the_persons_audit_log(app, client, trainee):
    client.post("/account/export")
    export = only_export(app)
    assert client.get(f"/account/export/{export.id}/download").status_code == 200
    with app.app_context():
        events = db.session.execute(select(AuditEvent)).scalars().all()
        assert [(e.action, e.target_type, e.target_id, e.actor_id, e.subject_id)
                for e in events] == [("data_exported", "export", export.id, trainee.id,
                                      trainee.id)]


def test_the_file_expires_after_seven_days(app, client, trainee, monkeypatch):
    client.post("/account/export")
    export = only_export(app)
    assert export.expires_at - export.finished_at == dt.timedelta(days=7)
    almost = export.expires_at - dt.timedelta(seconds=1)
    monkeypatch.setattr(service, "utcnow", lambda: almost)
    assert client.get(f"/account/export/{export.id}/download").status_code == 200

    monkeypatch.setattr(service, "utcnow", lambda: export.expires_at)
    refused = client.get(f"/account/export/{export.id}/download")
    assert refused.headers["Location"] == f"/account/export/{export.id}"
    assert "This download has expired" in client.get(refused.headers["Location"]).get_data(
        as_text=True)

    with app.app_context():
        assert service.delete_expired(almost) == 0
        assert service.delete_expired(export.expires_at) == 1
        row = db.session.get(DataExport, export.id)
        assert row is not None and row.status == "expired"
        assert db.session.execute(select(DataExport.archive)).scalar_one() is None


def test_signed_out_people_are_sent_to_sign_in(client):
    assert client.get("/account/export").headers["Location"].startswith("/account/sign-in")
    assert client.get("/account/confirm-password").headers["Location"].startswith(
        "/account/sign-in")


def test_a_build_no_worker_finished_is_shown_failed_and_a_new_request_starts_another(
        app, client, trainee, queue_held):
    client.post("/account/export")
    lost = only_export(app)
    with app.app_context():
        db.session.execute(update(DataExport).values(
            requested_at=utcnow() - dt.timedelta(minutes=16)))
        db.session.commit()
    page = client.get(f"/account/export/{lost.id}").get_data(as_text=True)
    assert "Your download could not be made" in page
    again = client.post("/account/export")
    with app.app_context():
        rows = db.session.execute(select(DataExport.id, DataExport.status, DataExport.failure)
                                  .order_by(DataExport.id)).all()
    assert [tuple(row) for row in rows] == [(lost.id, "failed", "lost"),
                                            (lost.id + 1, "queued", "")]
    assert again.headers["Location"] == f"/account/export/{lost.id + 1}"
    assert queue_held == [lost.id, lost.id + 1]


def test_a_build_that_fails_says_so_and_keeps_nothing(app, client, trainee, monkeypatch,
                                                     caplog):
    typical_plan(app, trainee.id)

    def broken(*_args: object) -> None:
        raise ValueError("Explaining risks to patients in plain words")

    monkeypatch.setattr(service, "build_data", broken)
    client.post("/account/export")
    export = only_export(app)
    assert export.status == "failed"
    page = client.get(f"/account/export/{export.id}").get_data(as_text=True)
    assert "Your download could not be made" in page and "Try again" in page
    assert client.get(f"/account/export/{export.id}/download").status_code == 302
    assert "ValueError" in caplog.text and "Explaining risks" not in caplog.text
    with app.app_context():
        assert not [m for m in outbox() if "ready" in m["Subject"]]
