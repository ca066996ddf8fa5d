"""Workshop members are reminded once, at 08:00 UK time 3 days before a module is due,
unless they have finished it or stopped these reminders."""

from __future__ import annotations

import datetime as dt

import pytest

from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.reminders import modules
from careers_app.security import Role
from careers_app.worksheets.models import ModuleProgress
from careers_app.workshops.models import Assignment, Membership, ReminderDay, Workshop
from tests.reminder_steps import UTC, body, by_recipient, opt_out, uk, walk
from tests.workshop_steps import SCAN1

# (walk start, due date, the UTC instant of 08:00 UK three days before: a clock-change day)
AUTUMN = (uk(2026, 10, 24, 12), dt.date(2026, 10, 28), dt.datetime(2026, 10, 25, 8, tzinfo=UTC))
SPRING = (uk(2027, 3, 27, 12), dt.date(2027, 3, 31), dt.datetime(2027, 3, 28, 7, tzinfo=UTC))


def workshop_with_members(app, make_user, due_on: dt.date) -> dict[str, int]:
    """A workshop assigning SCAN 1 due on ``due_on``; members at every stage of it."""
    facilitator = make_user("f@example.org", full_name="Jo Facilitator",
                            roles=(Role.FACILITATOR,))
    people = {key: make_user(f"{key}@example.org", full_name=name) for key, name in (
        ("alex", "Alex Trainee"), ("bea", "Bea Started"), ("cat", "Cat Finished"),
        ("dan", "Dan Stopped"))}
    with app.app_context():
        workshop = Workshop(facilitator_id=facilitator.id, title="Career planning & SCAN",
                            starts_at=dt.datetime(2027, 5, 1, 17, tzinfo=UTC), format="online",
                            join_code="KTR4MP")
        db.session.add(workshop)
        db.session.flush()
        assignment = Assignment(workshop_id=workshop.id, module_slug=SCAN1, due_on=due_on)
        db.session.add(assignment)
        for person in people.values():
            db.session.add(Membership(workshop_id=workshop.id, user_id=person.id))
        db.session.add(ModuleProgress(user_id=people["bea"].id, module_slug=SCAN1,
                                      steps_completed=1))
        db.session.add(ModuleProgress(user_id=people["cat"].id, module_slug=SCAN1,
                                      steps_completed=4, completed_at=utcnow()))
        db.session.commit()
        ids = {"workshop": workshop.id, "assignment": assignment.id}
    opt_out(app, people["dan"].id, "module")
    return ids


@pytest.mark.parametrize(("start", "due_on", "expected"), [AUTUMN, SPRING],
                         ids=["bst-to-gmt", "gmt-to-bst"])
def test_one_reminder_per_member_3_days_before_at_8_uk_time(app, make_user, start, due_on,
                                                            expected):
    workshop_with_members(app, make_user, due_on)
    title = app.extensions["modules"].get(SCAN1).title

    sent = by_recipient(walk(app, start,
                             lambda now: modules.run(now, app.extensions["modules"])))

    assert sorted(sent) == ["alex@example.org", "bea@example.org"]
    due_words = f"{due_on:%A} {due_on.day} {due_on:%B %Y}"
    for address, name in (("alex@example.org", "Alex Trainee"), ("bea@example.org", "Bea Started")):
        ((moment, message),) = sent[address]
        assert moment == expected
        assert message["Subject"] == f"Reminder: {title} is due on {due_words}"
        text = body(message)
        assert text.startswith(f"Hello {name},\n")
        assert (f'The module "{title}" for the workshop "Career planning & SCAN" is due on '
                f"{due_words}, in 3 days. You have not finished it yet.") in text
        assert f"\nhttps://careers.test/modules/{SCAN1}/continue\n" in text
        assert "\nhttps://careers.test/reminders/unsubscribe/" in text


def test_a_facilitators_reminder_that_day_moves_the_scheduled_one_to_the_next(app, make_user):
    ids = workshop_with_members(app, make_user, dt.date(2026, 11, 20))
    registry = app.extensions["modules"]
    with app.app_context():
        db.session.add(ReminderDay(workshop_id=ids["workshop"], sent_on=dt.date(2026, 11, 17)))
        db.session.commit()
        assert modules.run(dt.datetime(2026, 11, 17, 9, tzinfo=UTC), registry) == 0
        assert modules.run(dt.datetime(2026, 11, 18, 7, 59, tzinfo=UTC), registry) == 0
        assert modules.run(dt.datetime(2026, 11, 18, 8, tzinfo=UTC), registry) == 2
        assert modules.run(dt.datetime(2026, 11, 19, 8, tzinfo=UTC), registry) == 0
        # On the due date itself it is too late for a reminder.
        assert modules.due(dt.datetime(2026, 11, 20, 8, tzinfo=UTC), registry) == []


def test_a_moved_due_date_is_reminded_again_and_an_archived_workshop_is_not(app, make_user):
    ids = workshop_with_members(app, make_user, dt.date(2026, 11, 20))
    registry = app.extensions["modules"]
    with app.app_context():
        assert modules.run(dt.datetime(2026, 11, 17, 8, tzinfo=UTC), registry) == 2
        db.session.get(Assignment, ids["assignment"]).due_on = dt.date(2026, 11, 27)
        db.session.commit()
        assert modules.run(dt.datetime(2026, 11, 24, 8, tzinfo=UTC), registry) == 2
        db.session.get(Assignment, ids["assignment"]).due_on = dt.date(2026, 12, 4)
        db.session.get(Workshop, ids["workshop"]).archived_at = utcnow()
        db.session.commit()
        assert modules.due(dt.datetime(2026, 12, 1, 8, tzinfo=UTC), registry) == []
