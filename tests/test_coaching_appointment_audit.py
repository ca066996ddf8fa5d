"""Appointments change status through one transition function: every change writes one
audit entry about the trainee, and the trainee reads it on their activity page."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select, update

from careers_app.audit import AuditEvent
from careers_app.clock import in_uk
from careers_app.coaching.models import (
    ApplicationStatus,
    Appointment,
    AppointmentStatus,
    CoachingApplication,
)
from careers_app.coaching.workflow import (
    APPOINTMENT_MOVES,
    IllegalTransition,
    transition_appointment,
)
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.mail import outbox
from tests.activity_steps import activity_rows, events_about
from tests.coaching_steps import allocated_to_a_coach, appointments, booking

A = AppointmentStatus


@pytest.fixture
def allocated(app, make_user, sign_in):
    clients, application_id = allocated_to_a_coach(app, make_user, sign_in)
    trainee_id = only_trainee_id(app, application_id)
    return clients, application_id, trainee_id


def only_trainee_id(app, application_id: int) -> int:
    with app.app_context():
        return db.session.get(CoachingApplication, application_id).user_id


def coach_id(app) -> int:
    with app.app_context():
        return db.session.execute(select(CoachingApplication.coach_id)).scalar_one()


def set_start(app, appointment_id: int, starts_at: dt.datetime) -> None:
    with app.app_context():
        db.session.execute(update(Appointment).where(Appointment.id == appointment_id)
                           .values(starts_at=starts_at))
        db.session.commit()


def appointment_events(app, trainee_id: int) -> list[tuple[str, int | None, int | None]]:
    return [(action, actor, target) for action, actor, kind, target
            in events_about(app, trainee_id) if kind == "appointment"]


def spoken(moment: dt.datetime) -> str:
    local = in_uk(moment)
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}"


def test_booking_moving_and_cancelling_each_write_one_entry(app, allocated):
    clients, application_id, trainee_id = allocated
    coach, url = coach_id(app), f"/coaching/caseload/{application_id}"
    when = (utcnow() + dt.timedelta(days=7)).replace(second=0, microsecond=0)
    clients["coach"].post(url, data=booking(when))
    (first,) = appointments(app)
    assert appointment_events(app, trainee_id) == [("appointment_booked", coach, first.id)]
    clients["coach"].post(url, data=booking(when + dt.timedelta(days=1)))
    second = appointments(app)[1]
    assert appointment_events(app, trainee_id)[1:] == [("appointment_booked", coach, second.id)]

    moved_to = when + dt.timedelta(days=2)
    local = in_uk(moved_to)
    clients["coach"].post(f"{url}/appointments/{first.id}/move", data={
        "day--day": str(local.day), "day--month": str(local.month),
        "day--year": str(local.year), "time": f"{local:%H:%M}"})
    assert appointment_events(app, trainee_id)[2:] == [("appointment_moved", coach, first.id)]

    with app.app_context():
        emails = len(outbox())
    clients["coach"].post(f"{url}/appointments/{first.id}/cancel")
    assert appointment_events(app, trainee_id)[3:] == [
        ("appointment_cancelled_by_coach", coach, first.id)]
    base = f"/coaching/applications/{application_id}/appointments/{second.id}"
    clients["trainee"].post(f"{base}/cancel", data={"reason": ""})
    assert appointment_events(app, trainee_id)[4:] == [
        ("appointment_cancelled_by_trainee", trainee_id, second.id)]
    # A second try at cancelling changes nothing and writes nothing.
    clients["coach"].post(f"{url}/appointments/{first.id}/cancel")
    assert len(appointment_events(app, trainee_id)) == 5
    with app.app_context():  # the same emails as before: trainee and coach, each cancellation
        assert len(outbox()) == emails + 4

    rows = [row[1:] for row in activity_rows(clients["trainee"])]
    assert rows[:5] == [
        ("You", f"Cancelled your coaching appointment on {spoken(when + dt.timedelta(days=1))}"),
        ("Sam Coach (coach)", f"Cancelled the coaching appointment on {spoken(moved_to)}, "
                              "which does not count against your allowance"),
        ("Sam Coach (coach)",
         f"Moved your coaching appointment (its time is now {spoken(moved_to)})"),
        ("Sam Coach (coach)",
         f"Booked a coaching appointment for {spoken(when + dt.timedelta(days=1))}"),
        ("Sam Coach (coach)", f"Booked a coaching appointment for {spoken(moved_to)}"),
    ]


def test_attendance_and_a_waived_late_cancellation_each_write_one_entry(app, allocated):
    clients, application_id, trainee_id = allocated
    coach, url = coach_id(app), f"/coaching/caseload/{application_id}"
    clients["coach"].post(url, data=booking(utcnow() + dt.timedelta(days=2)))
    clients["coach"].post(url, data=booking(utcnow() + dt.timedelta(days=3)))
    met, late = appointments(app)
    change = f"{url}/appointments/{met.id}"
    clients["coach"].post(f"{change}/attended")  # refused: not started yet
    assert len(appointment_events(app, trainee_id)) == 2
    set_start(app, met.id, utcnow() - dt.timedelta(minutes=30))
    clients["coach"].post(f"{change}/did-not-attend")
    clients["coach"].post(f"{change}/attended")
    clients["coach"].post(f"{change}/attended")  # the same again: no change, no entry
    assert appointment_events(app, trainee_id)[2:] == [
        ("appointment_did_not_attend", coach, met.id), ("appointment_attended", coach, met.id)]
    assert appointments(app)[0].status == A.ATTENDED

    set_start(app, late.id, utcnow() + dt.timedelta(hours=3))
    clients["trainee"].post(
        f"/coaching/applications/{application_id}/appointments/{late.id}/cancel",
        data={"reason": "On call"})
    for _ in range(2):  # giving it back twice gives it back once
        clients["coach"].post(f"{url}/appointments/{late.id}/waive")
    assert appointment_events(app, trainee_id)[4:] == [
        ("appointment_cancelled_by_trainee", trainee_id, late.id),
        ("appointment_waived", coach, late.id)]
    met, late = appointments(app)
    rows = [row[1:] for row in activity_rows(clients["trainee"])]
    assert rows[:4] == [
        ("Sam Coach (coach)", "Gave back to your allowance the appointment on "
                              f"{spoken(late.starts_at)} that was cancelled late"),
        ("You", f"Cancelled your coaching appointment on {spoken(late.starts_at)}"),
        ("Sam Coach (coach)",
         f"Recorded that you came to your coaching appointment on {spoken(met.starts_at)}"),
        ("Sam Coach (coach)", "Recorded that you did not come to your coaching appointment "
                              f"on {spoken(met.starts_at)}")]


def test_withdrawing_cancels_each_upcoming_appointment_with_an_entry(app, allocated):
    clients, application_id, trainee_id = allocated
    url = f"/coaching/caseload/{application_id}"
    for days in (2, 4):
        clients["coach"].post(url, data=booking(utcnow() + dt.timedelta(days=days)))
    first, second = appointments(app)
    clients["trainee"].post(f"/coaching/applications/{application_id}/withdraw")
    assert [a.status for a in appointments(app)] == [A.CANCELLED_BY_COACH] * 2
    assert [a.sequence for a in appointments(app)] == [1, 1]
    assert appointment_events(app, trainee_id)[2:] == [
        ("appointment_cancelled_by_coach", trainee_id, first.id),
        ("appointment_cancelled_by_coach", trainee_id, second.id)]


@pytest.mark.parametrize(("start", "end"),
                         list(itertools.product([None, *AppointmentStatus], AppointmentStatus)))
def test_every_appointment_move_is_allowed_or_refused_as_the_table_says(app, make_user,
                                                                         start, end):
    trainee = make_user("t@example.org")
    now = utcnow()
    with app.app_context():
        application = CoachingApplication(user_id=trainee.id, status=ApplicationStatus.ACTIVE,
                                          coach_id=trainee.id)
        db.session.add(application)
        db.session.flush()
        appointment = Appointment(application_id=application.id, coach_id=trainee.id,
                                  starts_at=now, format="video")
        if start is not None:
            appointment.status = start
            db.session.add(appointment)
        db.session.commit()
        if end in APPOINTMENT_MOVES[start]:
            if start is None:
                db.session.add(appointment)
            transition_appointment(appointment, application, end, trainee.id, now)
            db.session.commit()
            assert appointment.status == end
            event = db.session.execute(select(AuditEvent)).scalar_one()
            assert (event.action, event.actor_id, event.subject_id, event.target_id) == (
                f"appointment_{end.value}", trainee.id, trainee.id, appointment.id)
            cancelled = end in (A.CANCELLED_BY_COACH, A.CANCELLED_BY_TRAINEE)
            assert (appointment.cancelled_at is not None) == cancelled
            assert appointment.sequence == (1 if cancelled else 0)
        else:
            with pytest.raises(IllegalTransition):
                transition_appointment(appointment, application, end, trainee.id, now)
            db.session.rollback()
            assert db.session.execute(select(AuditEvent)).first() is None
