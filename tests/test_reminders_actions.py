"""The trainee's Monday digest of plan actions: once a week at 08:00 UK time, whichever
side of a clock change, and never to someone who stopped it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import select

from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.mail import outbox
from careers_app.plans.models import ActionStatus, PlanAction
from careers_app.reminders import actions
from careers_app.reminders.models import ReminderMark
from tests.reminder_steps import UTC, body, by_recipient, opt_out, uk, walk

# (walk start, the Monday, the UTC instant of 08:00 UK on it)
AUTUMN = (uk(2026, 10, 24, 12), dt.date(2026, 10, 26), dt.datetime(2026, 10, 26, 8, tzinfo=UTC))
SPRING = (uk(2027, 3, 27, 12), dt.date(2027, 3, 29), dt.datetime(2027, 3, 29, 7, tzinfo=UTC))


def add_actions(app, user_id: int, monday: dt.date) -> None:
    day = dt.timedelta(days=1)
    with app.app_context():
        for position, (text, target, status) in enumerate((
                ("Book a taster week", monday - 6 * day, ActionStatus.IN_PROGRESS),
                ("Talk to my educational supervisor", monday + 3 * day, ActionStatus.NOT_STARTED),
                ("Ask for the person specification", monday + 10 * day, ActionStatus.NOT_STARTED),
                ("Update my CV", monday + day, ActionStatus.DONE),
                ("Read about academic training", None, ActionStatus.NOT_STARTED))):
            db.session.add(PlanAction(user_id=user_id, position=position, text=text,
                                      target_date=target, status=status))
        db.session.commit()


@pytest.mark.parametrize(("start", "monday", "expected"), [AUTUMN, SPRING],
                         ids=["bst-to-gmt", "gmt-to-bst"])
def test_one_digest_on_monday_at_8_uk_time(app, make_user, start, monday, expected):
    trainee = make_user("t@example.org", full_name="Alex O'Neil")
    stopped = make_user("stopped@example.org", full_name="Sam Stopped")
    make_user("idle@example.org", full_name="Nothing Due")
    add_actions(app, trainee.id, monday)
    add_actions(app, stopped.id, monday)
    opt_out(app, stopped.id, "actions")

    sent = by_recipient(walk(app, start, lambda now: actions.run(now, app.extensions["modules"])))

    assert list(sent) == ["t@example.org"]
    ((moment, message),) = sent["t@example.org"]
    assert moment == expected
    assert message["Subject"] == "Your career action plan: 2 actions to look at this week"
    text = body(message)
    overdue = monday - dt.timedelta(days=6)
    coming = monday + dt.timedelta(days=3)
    assert text.startswith("Hello Alex O'Neil,\n")
    assert ("These actions in your career action plan are overdue:\n\n"
            f"- Book a taster week (target date {overdue:%A} {overdue.day} {overdue:%B %Y})\n"
            in text)
    assert ("These actions are due in the next 7 days:\n\n"
            f"- Talk to my educational supervisor (target date {coming:%A} {coming.day} "
            f"{coming:%B %Y})\n" in text)
    for left_out in ("person specification", "Update my CV", "academic training"):
        assert left_out not in text
    assert "\nhttps://careers.test/plan/\n" in text
    assert ("To stop these emails, use this link:\n"
            "https://careers.test/reminders/unsubscribe/") in text


def test_each_week_has_its_own_digest_and_a_run_before_8_sends_nothing(app, make_user):
    trainee = make_user("t@example.org")
    add_actions(app, trainee.id, dt.date(2026, 11, 2))
    with app.app_context():
        registry = app.extensions["modules"]
        assert actions.due(dt.datetime(2026, 11, 2, 7, 59, tzinfo=UTC), registry) == []
        assert actions.run(dt.datetime(2026, 11, 2, 8, 0, tzinfo=UTC), registry) == 1
        # Later the same Monday, a restarted worker, a second worker: nothing more.
        assert actions.run(dt.datetime(2026, 11, 2, 8, 0, tzinfo=UTC), registry) == 0
        assert actions.run(dt.datetime(2026, 11, 2, 21, 0, tzinfo=UTC), registry) == 0
        # Tuesday is not a digest day, and the next Monday is a new week: its first run
        # after 08:00 sends, even when the runs before it were missed (worker down).
        assert actions.run(dt.datetime(2026, 11, 3, 9, 0, tzinfo=UTC), registry) == 0
        assert actions.run(dt.datetime(2026, 11, 9, 10, 45, tzinfo=UTC), registry) == 1


def test_two_workers_deciding_the_same_digest_write_it_once(app, make_user):
    trainee = make_user("t@example.org")
    add_actions(app, trainee.id, dt.date(2026, 11, 2))
    monday = dt.datetime(2026, 11, 2, 8, 15, tzinfo=UTC)
    with app.app_context():
        registry = app.extensions["modules"]
        first, second = actions.due(monday, registry), actions.due(monday, registry)
        assert [actions.send(digest) for digest in first + second] == [True, False]
        assert [message["To"] for message in outbox()] == ["t@example.org"]


def test_marks_of_past_weeks_are_dropped_and_this_weeks_kept(app, make_user):
    trainee = make_user("t@example.org")
    add_actions(app, trainee.id, dt.date(2026, 11, 2))
    with app.app_context():
        registry = app.extensions["modules"]
        for monday in (dt.date(2026, 9, 21), dt.date(2026, 11, 2)):
            with time_machine.travel(dt.datetime.combine(monday, dt.time(9), tzinfo=UTC),
                                     tick=False):
                actions.run(utcnow(), registry)
        marks = set(db.session.execute(select(ReminderMark.key)).scalars())
    assert marks == {f"actions:{trainee.id}:2026-W45"}
