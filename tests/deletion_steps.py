"""Builders for deletion tests: a trainee with a row in every table that can hold one, and
a walk of the metadata that finds every row linked to a person, however indirectly."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask
from sqlalchemy import Table, select

from careers_app.account_deletion.models import RetentionWarning
from careers_app.accounts.models import User, UserRole
from careers_app.accounts.registration import PendingRegistration
from careers_app.clock import uk_today
from careers_app.coaching import service as coaching
from careers_app.coaching.models import Appointment, AppointmentStatus
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.personal_data.models import DataExport, ExportStatus
from careers_app.plans.models import ActionPlan, PlanAction, PlanChoice, PlanShare
from careers_app.reminders.models import ReminderMark, ReminderOptOut
from careers_app.security import Role
from careers_app.worksheets.models import StepAnswer, StepRevision
from careers_app.workshops.models import Assignment, Membership, ReminderDay, Workshop
from tests.coaching_steps import allocated_to_a_coach, booking
from tests.planning import SCAN1, typical_plan
from tests.workshop_steps import assign_form, the_workshop, workshop_form


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def linked_rows(person_id: int) -> dict[str, set[int]]:
    """Every row that refers to the person, or to a row that does, through any foreign
    key in the metadata (cascading or not), by table name. Call in an app context."""
    user = db.metadata.tables["user"]
    found: dict[str, set[int]] = {"user": {person_id}}
    frontier: list[tuple[Table, set[int]]] = [(user, {person_id})]
    while frontier:
        table, ids = frontier.pop()
        for other in db.metadata.sorted_tables:
            for key in other.foreign_keys:
                if key.column.table is not table:
                    continue
                (pk,) = other.primary_key.columns
                rows = set(db.session.execute(
                    select(pk).where(key.parent.in_(sorted(ids)))).scalars())
                new = rows - found.get(other.name, set())
                if new:
                    found.setdefault(other.name, set()).update(new)
                    frontier.append((other, new))
    # The user row itself counts only while it exists.
    if db.session.get(User, person_id) is None:
        found.pop("user")
    return found


def a_trainee_with_everything(app: Flask, make_user, sign_in) -> dict:  # type: ignore[no-untyped-def]
    """t@example.org (Alex Trainee) with a row in every table a trainee can have one in,
    through the real pages where there are any. Returns the signed-in clients and ids."""
    clients, application_id = allocated_to_a_coach(app, make_user, sign_in)
    make_user("f@example.org", full_name="Fay Facilitator", roles=(Role.FACILITATOR,))
    clients["facilitator"] = app.test_client()
    sign_in("f@example.org", test_client=clients["facilitator"])
    with app.app_context():
        trainee_id = db.session.execute(
            select(db.metadata.tables["user"].c.id)
            .where(db.metadata.tables["user"].c.email == "t@example.org")).scalar_one()
    typical_plan(app, trainee_id)
    # Worksheets, twice over one step so an earlier version is kept.
    trainee = clients["trainee"]
    # An upcoming appointment (cancelled on deletion) booked by the coach.
    when = utcnow() + dt.timedelta(days=5)
    assert clients["coach"].post(f"/coaching/caseload/{application_id}",
                                 data=booking(when)).status_code == 302
    # A share with a snapshot, looked at and commented on by the coach.
    until = uk_today() + dt.timedelta(days=30)
    assert trainee.post("/plan/shares/new", data={
        "coach": "coach@example.org", "mode": "snapshot", "expires_on--day": str(until.day),
        "expires_on--month": str(until.month), "expires_on--year": str(until.year),
    }).status_code == 302
    with app.app_context():
        share_id = db.session.execute(select(PlanShare.id)).scalar_one()
    assert clients["coach"].get(f"/shared-with-me/{share_id}").status_code == 200
    assert clients["coach"].post(f"/shared-with-me/{share_id}", data={
        "section": "actions", "body": "Ask the practice manager"}).status_code == 302
    # A workshop joined, with a module shown to its facilitator.
    assert clients["facilitator"].post(
        "/workshops/new", data=workshop_form()).status_code == 302
    workshop = the_workshop(app)
    clients["facilitator"].post(f"/workshops/{workshop.id}", data=assign_form(SCAN1))
    assert trainee.post("/workshops/join", data={
        "code": workshop.join_code, "action": "confirm"}).status_code == 302
    with app.app_context():
        membership_id = db.session.execute(select(Membership.id)).scalar_one()
    trainee.post(f"/workshops/memberships/{membership_id}/show/{SCAN1}", data={"shown": "yes"})
    with app.app_context():
        application = coaching.find_any(application_id)
        assert application is not None
        coach = application.coach
        coach_id = coach.id
        # A coach's note, and an appointment that has already happened.
        coaching.add_note(application, coach, "Keen on general practice; check the rota")
        db.session.add(Appointment(
            application_id=application_id, coach_id=coach.id, format="video",
            starts_at=utcnow() - dt.timedelta(days=20), status=AppointmentStatus.ATTENDED))
        # Rows no page makes on its own in a few steps: a role (with an archived
        # workshop of their own), a refused copy of a step, a plan choice, a reminder
        # opt-out and mark, a retention warning and a registration waiting for the address.
        db.session.add(UserRole(user_id=trainee_id, role=Role.FACILITATOR))
        old = Workshop(facilitator_id=trainee_id, title="Old session",
                       starts_at=utcnow() - dt.timedelta(days=400), format="online",
                       join_code="OLD-123", archived_at=utcnow())
        db.session.add(old)
        db.session.flush()
        db.session.add(Assignment(workshop_id=old.id, module_slug=SCAN1,
                                  due_on=dt.date(2025, 1, 1)))
        db.session.add(ReminderDay(workshop_id=old.id, sent_on=dt.date(2025, 1, 1)))
        step = db.session.execute(select(StepAnswer).where(
            StepAnswer.user_id == trainee_id)).scalars().first()
        db.session.add(StepRevision(step_answer_id=step.id, version=1, answers={},
                                    conflict=True))
        db.session.add(ActionPlan(user_id=trainee_id, summary="Aiming for GP training"))
        db.session.add(PlanAction(user_id=trainee_id, text="Shadow a GP for a week"))
        db.session.add(PlanChoice(user_id=trainee_id, item_key=f"{SCAN1}/skills-audit/x",
                                  included=False))
        db.session.add(ReminderOptOut(user_id=trainee_id, kind="modules"))
        db.session.add(ReminderMark(key=f"actions:{trainee_id}:2026-W49"))
        db.session.add(ReminderMark(key=f"queue:{application_id}:10"))
        db.session.add(RetentionWarning(user_id=trainee_id,
                                        deletes_at=utcnow() + dt.timedelta(days=30)))
        db.session.add(DataExport(user_id=trainee_id, status=ExportStatus.READY,
                                  archive=b"PK", expires_at=utcnow() + dt.timedelta(days=7)))
        db.session.add(PendingRegistration(
            email="t@example.org", token_hash="0" * 64, full_name="Alex Trainee",
            password_hash="x", professional_group="doctor_dentist", region="london",
            training_stage="core"))
        db.session.commit()
    return {"clients": clients, "trainee_id": trainee_id, "application_id": application_id,
            "share_id": share_id, "workshop_id": workshop.id, "coach_id": coach_id}
