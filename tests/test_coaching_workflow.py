"""The application workflow, the 24-hour rule and times across clock changes."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select

from careers_app import clock
from careers_app.audit import AuditEvent
from careers_app.coaching import rules
from careers_app.coaching.models import ApplicationStatus, CoachingApplication
from careers_app.coaching.workflow import ALLOWED, IllegalTransition, transition
from careers_app.extensions import db

UTC = dt.UTC


@pytest.mark.parametrize(("start", "end"), list(itertools.product(ApplicationStatus, repeat=2)))
def test_every_transition_is_allowed_or_refused_as_the_table_says(app, make_user, start, end):
    trainee = make_user("t@example.org")
    with app.app_context():
        application = CoachingApplication(user_id=trainee.id, status=start)
        db.session.add(application)
        db.session.commit()
        if end in ALLOWED[start]:
            transition(application, end, trainee.id)
            db.session.commit()
            assert application.status == end
            event = db.session.execute(select(AuditEvent)).scalar_one()
            assert (event.action, event.actor_id, event.target_id) == (
                f"application_{end.value}", trainee.id, application.id)
        else:
            with pytest.raises(IllegalTransition):
                transition(application, end, trainee.id)
            db.session.rollback()
            assert db.session.get(CoachingApplication, application.id).status == start
            assert db.session.execute(select(AuditEvent)).first() is None


def test_the_legal_moves_are_the_documented_ones():
    s = ApplicationStatus
    assert {(a, b) for a, targets in ALLOWED.items() for b in targets} == {
        (s.DRAFT, s.SUBMITTED), (s.DRAFT, s.WITHDRAWN),
        (s.SUBMITTED, s.ALLOCATED), (s.SUBMITTED, s.DECLINED), (s.SUBMITTED, s.WITHDRAWN),
        (s.ALLOCATED, s.ACTIVE), (s.ALLOCATED, s.CLOSED), (s.ALLOCATED, s.WITHDRAWN),
        (s.ACTIVE, s.CLOSED), (s.ACTIVE, s.WITHDRAWN),
    }


def test_the_24_hour_boundary_on_both_sides():
    starts = dt.datetime(2027, 6, 15, 13, 0, tzinfo=UTC)
    assert rules.is_late(starts, starts - dt.timedelta(hours=23, minutes=59))
    assert not rules.is_late(starts, starts - dt.timedelta(hours=24, minutes=1))
    assert not rules.is_late(starts, starts - dt.timedelta(hours=24))


def test_the_24_hour_boundary_across_the_spring_clock_change():
    # Noon BST on Sunday 28 March 2027 is 11:00 UTC; 24 real hours earlier the UK clock
    # read 11:00 GMT on Saturday, not noon.
    starts = clock.uk_to_utc(dt.date(2027, 3, 28), dt.time(12, 0))
    assert starts == dt.datetime(2027, 3, 28, 11, 0, tzinfo=UTC)
    at_1101_gmt = dt.datetime(2027, 3, 27, 11, 1, tzinfo=UTC)
    at_1059_gmt = dt.datetime(2027, 3, 27, 10, 59, tzinfo=UTC)
    assert rules.is_late(starts, at_1101_gmt)  # 23 h 59 min ahead
    assert not rules.is_late(starts, at_1059_gmt)  # 24 h 01 min ahead
    # At 11:30 GMT the wall clocks differ by 24 h 30 min, but only 23 h 30 min remain.
    assert rules.is_late(starts, dt.datetime(2027, 3, 27, 11, 30, tzinfo=UTC))


def test_the_24_hour_boundary_across_the_autumn_clock_change():
    starts = clock.uk_to_utc(dt.date(2027, 10, 31), dt.time(12, 0))  # GMT again
    assert starts == dt.datetime(2027, 10, 31, 12, 0, tzinfo=UTC)
    assert rules.is_late(starts, dt.datetime(2027, 10, 30, 12, 1, tzinfo=UTC))
    assert not rules.is_late(starts, dt.datetime(2027, 10, 30, 11, 59, tzinfo=UTC))
    assert clock.in_uk(dt.datetime(2027, 10, 30, 11, 59, tzinfo=UTC)).hour == 12  # BST


def test_times_a_clock_change_skips_or_repeats_are_refused_with_a_message():
    with pytest.raises(clock.TimeProblem, match="does not happen"):
        clock.uk_to_utc(dt.date(2027, 3, 28), dt.time(1, 30))
    with pytest.raises(clock.TimeProblem, match="happens twice"):
        clock.uk_to_utc(dt.date(2027, 10, 31), dt.time(1, 30))
    assert clock.uk_to_utc(dt.date(2027, 3, 28), dt.time(2, 0)) == dt.datetime(
        2027, 3, 28, 1, 0, tzinfo=UTC)
    assert clock.uk_to_utc(dt.date(2027, 7, 1), dt.time(9, 0)).hour == 8  # BST is UTC+1
    assert clock.uk_to_utc(dt.date(2027, 1, 1), dt.time(9, 0)).hour == 9


def test_days_waiting_and_the_14_day_flag():
    submitted = dt.datetime(2027, 1, 1, 23, 30, tzinfo=UTC)
    assert rules.days_waiting(submitted, dt.datetime(2027, 1, 15, 9, 0, tzinfo=UTC)) == 14
    assert not rules.is_overdue(submitted, dt.datetime(2027, 1, 15, 9, 0, tzinfo=UTC))
    assert rules.is_overdue(submitted, dt.datetime(2027, 1, 16, 9, 0, tzinfo=UTC))
