"""The day before a coaching appointment, at 08:00 UK time, the trainee and the coach each
get one reminder in their own words, with the calendar file; once per start time."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from careers_app.coaching.models import (
    ApplicationStatus,
    Appointment,
    AppointmentStatus,
    CoachingApplication,
)
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.mail import outbox
from careers_app.reminders import appointments
from careers_app.security import Role
from tests.reminder_steps import UTC, body, by_recipient, opt_out, run_twice_at_once, uk, walk

VIDEO = "https://video.example.org/room?id=7&pin=1234"
# (walk start, the appointment in UK time, the UTC instant of 08:00 UK the day before)
AUTUMN = (uk(2026, 10, 24, 12), uk(2026, 10, 26, 10), dt.datetime(2026, 10, 25, 8, tzinfo=UTC))
SPRING = (uk(2027, 3, 27, 12), uk(2027, 3, 29, 10), dt.datetime(2027, 3, 28, 7, tzinfo=UTC))


def booked(app, trainee, coach, starts: dt.datetime,
           status: AppointmentStatus = AppointmentStatus.BOOKED) -> tuple[int, int]:
    """An allocated application with one appointment: (application id, appointment id)."""
    with app.app_context():
        application = CoachingApplication(
            user_id=trainee.id, status=ApplicationStatus.ACTIVE, coach_id=coach.id,
            submitted_at=utcnow(), allocated_at=utcnow())
        db.session.add(application)
        db.session.flush()
        appointment = Appointment(application_id=application.id, coach_id=coach.id,
                                  starts_at=starts.astimezone(UTC), format="video",
                                  where=VIDEO, status=status)
        db.session.add(appointment)
        db.session.commit()
        return application.id, appointment.id


def calendar_event(message):
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "appointment.ics"
    return Calendar.from_ical(attachment.get_content()).walk("VEVENT")[0]


@pytest.mark.parametrize(("start", "starts", "expected"), [AUTUMN, SPRING],
                         ids=["bst-to-gmt", "gmt-to-bst"])
def test_each_side_gets_one_reminder_at_8_uk_time_the_day_before(app, make_user, start, starts,
                                                                 expected):
    trainee = make_user("t@example.org", full_name="Alex Trainee")
    coach = make_user("coach@example.org", full_name="Sam Coach", roles=(Role.COACH,))
    application_id, _ = booked(app, trainee, coach, starts)
    # A coach who stopped these reminders; their trainee still gets one.
    bea = make_user("bea@example.org", full_name="Bea Second")
    quiet = make_user("quiet@example.org", full_name="Kim Quiet", roles=(Role.COACH,))
    booked(app, bea, quiet, starts)
    opt_out(app, quiet.id, "appointment")
    # A cancelled appointment: nobody is reminded of it.
    cat = make_user("cat@example.org", full_name="Cat Cancelled")
    booked(app, cat, coach, starts + dt.timedelta(hours=2),
           AppointmentStatus.CANCELLED_BY_TRAINEE)

    sent = by_recipient(walk(app, start, appointments.run))

    assert sorted(sent) == ["bea@example.org", "coach@example.org", "t@example.org"]
    words = f"{starts:%A} {starts.day} {starts:%B %Y}"
    when = f"When: {starts.day} {starts:%B %Y at %H:%M} (UK time), 60 minutes\n"
    for address, other, link in (
            ("t@example.org", "Sam Coach", f"/coaching/applications/{application_id}"),
            ("coach@example.org", "Alex Trainee", f"/coaching/caseload/{application_id}")):
        ((moment, message),) = sent[address]
        assert moment == expected
        assert message["Subject"] == "Reminder: careers coaching tomorrow at 10:00"
        text = body(message)
        assert (f"This is a reminder of your careers coaching appointment with {other} "
                f"tomorrow, {words}:") in text
        assert when in text
        assert f"Where or link: {VIDEO}\n" in text
        assert f"\nhttps://careers.test{link}\n" in text
        assert "\nhttps://careers.test/reminders/unsubscribe/" in text
        event = calendar_event(message)
        assert event.decoded("dtstart") == starts.astimezone(UTC)
        assert str(event["summary"]) == f"Careers coaching with {other}"
    assert body(sent["t@example.org"][0][1]).startswith("Hello Alex Trainee,\n")
    assert body(sent["coach@example.org"][0][1]).startswith("Hello Sam Coach,\n")
    assert "up to 24 hours before" in body(sent["t@example.org"][0][1])
    ((_moment, bea_message),) = sent["bea@example.org"]
    assert "with Kim Quiet tomorrow" in body(bea_message)


def test_a_moved_appointment_is_reminded_at_its_new_time_and_a_cancelled_one_not(app, make_user):
    trainee = make_user("t@example.org", full_name="Alex Trainee")
    coach = make_user("coach@example.org", full_name="Sam Coach", roles=(Role.COACH,))
    _, appointment_id = booked(app, trainee, coach, uk(2026, 11, 10, 10))
    with app.app_context():
        assert appointments.run(dt.datetime(2026, 11, 9, 7, 59, tzinfo=UTC)) == 0
        assert appointments.run(dt.datetime(2026, 11, 9, 8, tzinfo=UTC)) == 2
        assert appointments.run(dt.datetime(2026, 11, 9, 12, tzinfo=UTC)) == 0
        appointment = db.session.get(Appointment, appointment_id)
        appointment.starts_at, appointment.sequence = uk(2026, 11, 10, 15).astimezone(UTC), 1
        db.session.commit()
        reminders = appointments.due(dt.datetime(2026, 11, 9, 12, tzinfo=UTC))
        assert [r.person.email for r in reminders] == ["t@example.org", "coach@example.org"]
        assert appointments.run(dt.datetime(2026, 11, 9, 12, tzinfo=UTC)) == 2
        # Moved to another day: reminded the day before that day, not now.
        appointment = db.session.get(Appointment, appointment_id)
        appointment.starts_at = uk(2026, 11, 12, 9).astimezone(UTC)
        db.session.commit()
        assert appointments.due(dt.datetime(2026, 11, 9, 13, tzinfo=UTC)) == []
        appointment = db.session.get(Appointment, appointment_id)
        appointment.status = AppointmentStatus.CANCELLED_BY_COACH
        db.session.commit()
        assert appointments.due(dt.datetime(2026, 11, 11, 9, tzinfo=UTC)) == []


def test_two_workers_at_the_same_moment_write_each_reminder_once(app, make_user, monkeypatch):
    """Both find the appointment before either writes: the outbox's unique key lets one
    email per side through and the other worker's commit is rolled back."""
    trainee = make_user("t@example.org", full_name="Alex Trainee")
    coach = make_user("coach@example.org", full_name="Sam Coach", roles=(Role.COACH,))
    booked(app, trainee, coach, uk(2026, 11, 10, 10))
    written = run_twice_at_once(app, appointments, dt.datetime(2026, 11, 9, 8, tzinfo=UTC),
                                monkeypatch)
    assert sum(written) == 2
    with app.app_context():
        assert sorted(message["To"] for message in outbox()) == ["coach@example.org",
                                                                 "t@example.org"]
