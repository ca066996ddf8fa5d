"""Coordinators hear once about each application waiting 10 days without a coach, and once
more when it passes the 14-day reply target: one email each, at 08:00 UK time."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from careers_app.coaching.models import ApplicationStatus, CoachingApplication
from careers_app.extensions import db
from careers_app.mail import outbox
from careers_app.reminders import queue
from careers_app.reminders.models import ReminderMark
from careers_app.security import Role
from tests.reminder_steps import UTC, body, by_recipient, opt_out, run_twice_at_once, uk, walk

# (walk start, submitted 10 days before the change day, submitted 15 days before it, the
# UTC instant of 08:00 UK on the change day)
AUTUMN = (uk(2026, 10, 24, 12), uk(2026, 10, 15, 10), uk(2026, 10, 10, 16),
          dt.datetime(2026, 10, 25, 8, tzinfo=UTC))
SPRING = (uk(2027, 3, 27, 12), uk(2027, 3, 18, 10), uk(2027, 3, 13, 16),
          dt.datetime(2027, 3, 28, 7, tzinfo=UTC))


def submitted(app, person, at: dt.datetime,
              status: ApplicationStatus = ApplicationStatus.SUBMITTED) -> int:
    with app.app_context():
        application = CoachingApplication(user_id=person.id, status=status,
                                          submitted_at=at.astimezone(UTC))
        db.session.add(application)
        db.session.commit()
        return application.id


def coordinators(make_user) -> None:
    make_user("pat@example.org", full_name="Pat Coordinator", roles=(Role.COORDINATOR,))
    make_user("lee@example.org", full_name="Lee Coordinator", roles=(Role.COORDINATOR, Role.COACH))


def in_words(moment: dt.datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


@pytest.mark.parametrize(("start", "ten_days", "fifteen_days", "expected"), [AUTUMN, SPRING],
                         ids=["bst-to-gmt", "gmt-to-bst"])
def test_each_coordinator_gets_one_email_listing_both_thresholds(app, make_user, start, ten_days,
                                                                 fifteen_days, expected):
    coordinators(make_user)
    stopped = make_user("kim@example.org", full_name="Kim Stopped", roles=(Role.COORDINATOR,))
    opt_out(app, stopped.id, "queue")
    alex = make_user("alex@example.org", full_name="Alex Waiting")
    bea = make_user("bea@example.org", full_name="Bea O'Overdue")
    cat = make_user("cat@example.org", full_name="Cat Allocated")
    waiting_id = submitted(app, alex, ten_days)
    overdue_id = submitted(app, bea, fifteen_days)
    submitted(app, cat, fifteen_days, ApplicationStatus.ALLOCATED)
    with app.app_context():  # Bea's 10 days were announced before the walk began
        db.session.add(ReminderMark(key=f"queue:{overdue_id}:waiting"))
        db.session.commit()

    sent = by_recipient(walk(app, start, queue.run))

    assert sorted(sent) == ["lee@example.org", "pat@example.org"]
    for address, name in (("pat@example.org", "Pat Coordinator"),
                          ("lee@example.org", "Lee Coordinator")):
        ((moment, message),) = sent[address]
        assert moment == expected
        assert message["Subject"] == "Coaching queue: 2 applications waiting for a reply"
        text = body(message)
        assert text.startswith(f"Hello {name},\n")
        assert ("1 coaching application is past the 14-day reply target without a coach:\n\n"
                f"- Bea O'Overdue, sent on {in_words(fifteen_days)} (15 days ago)\n"
                f"  https://careers.test/coaching/queue/{overdue_id}\n") in text
        assert ("1 coaching application has been waiting 10 days or more without a coach:\n\n"
                f"- Alex Waiting, sent on {in_words(ten_days)} (10 days ago)\n"
                f"  https://careers.test/coaching/queue/{waiting_id}\n") in text
        assert "Cat Allocated" not in text
        assert "\nhttps://careers.test/coaching/queue\n" in text
        assert "\nhttps://careers.test/reminders/unsubscribe/" in text


def test_once_per_application_and_threshold_even_with_two_runs_at_once(app, make_user):
    coordinators(make_user)
    alex = make_user("alex@example.org", full_name="Alex Waiting")
    submitted(app, alex, uk(2026, 11, 2, 9))
    with app.app_context():
        assert queue.run(dt.datetime(2026, 11, 12, 7, 59, tzinfo=UTC)) == 0
        # Two workers find the same applications before either has written anything.
        first, second = (queue.due(dt.datetime(2026, 11, 12, 8, tzinfo=UTC)),
                         queue.due(dt.datetime(2026, 11, 12, 8, 1, tzinfo=UTC)))
        assert [a.threshold for a in first] == ["waiting"]
        assert queue.send(first) == 2
        assert queue.send(second) == 0
        assert queue.run(dt.datetime(2026, 11, 13, 8, tzinfo=UTC)) == 0
        # Past the 14 days (the 17th is the 15th day): announced once more.
        assert queue.run(dt.datetime(2026, 11, 16, 9, tzinfo=UTC)) == 0
        assert queue.run(dt.datetime(2026, 11, 17, 8, tzinfo=UTC)) == 2
        assert queue.run(dt.datetime(2026, 11, 20, 8, tzinfo=UTC)) == 0
        subjects = [(m["To"], m["Subject"]) for m in outbox()]
    assert len(subjects) == 4
    assert len(set(subjects)) == 2  # the same subject, to each coordinator, twice


def test_an_application_first_seen_past_both_is_listed_once_as_overdue(app, make_user):
    coordinators(make_user)
    bea = make_user("bea@example.org", full_name="Bea Late")
    application_id = submitted(app, bea, uk(2026, 11, 1, 9))
    with app.app_context():
        assert queue.run(dt.datetime(2026, 11, 20, 10, tzinfo=UTC)) == 2
        text = body(outbox()[-1])
        marks = set(db.session.execute(select(ReminderMark.key)).scalars())
    assert "past the 14-day reply target" in text
    assert "waiting 10 days or more" not in text
    assert text.count("Bea Late") == 1
    assert marks == {f"queue:{application_id}:waiting", f"queue:{application_id}:overdue"}


def test_two_workers_at_the_same_moment_send_one_set(app, make_user, monkeypatch):
    """Both workers find the same applications before either writes: the unique marks
    let one transaction through, and the other's emails are rolled back with it."""
    coordinators(make_user)
    alex = make_user("alex@example.org", full_name="Alex Waiting")
    submitted(app, alex, uk(2026, 11, 2, 9))
    written = run_twice_at_once(app, queue, dt.datetime(2026, 11, 12, 8, tzinfo=UTC), monkeypatch)
    assert sorted(written) == [0, 2]
    with app.app_context():
        assert sorted(message["To"] for message in outbox()) == ["lee@example.org",
                                                                 "pat@example.org"]
