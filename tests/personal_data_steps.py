"""Builders for the export tests: a person with a row in every table that can be theirs,
and a second person whose private text is full of canary strings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from careers_app.account_deletion.models import RetentionWarning
from careers_app.accounts.models import User
from careers_app.coaching import service as coaching
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.plans import service as plans
from careers_app.plans import sharing
from careers_app.plans.models import ActionStatus, ShareMode
from careers_app.reminders.kinds import Kind
from careers_app.reminders.preferences import stop
from careers_app.security import Role
from careers_app.workshops import service as workshops
from careers_app.workshops.models import Workshop
from tests.factories import make_account
from tests.planning import SCAN1, answer, typical_plan
from tests.workshop_steps import write_markers

PERSON = "pat@example.org"
OTHER = "olly@example.org"
COACH = "coach@example.org"
CANARIES = ("CANARY-OTHER-ANSWER", "CANARY-OTHER-HOPES", "CANARY-COMMENT-TO-OTHER",
            "CANARY-NOTE-ABOUT-PERSON", "CANARY-NOTE-ABOUT-OTHER", "CANARY-OTHER-AVAILABILITY")


@dataclass(frozen=True)
class People:
    person: int
    other: int
    coach: int


def _apply(user: User, coach: User, coordinator: User, hopes: str, availability: str,
           registry, in_days: int) -> None:  # type: ignore[no-untyped-def]
    application = coaching.start_or_resume(user)
    coaching.save_answers(application, coaching.ApplicationAnswers(
        professional_group="doctor_dentist", region="london", training_number="LDN/ABC/1234567/D",
        workforce_scheme="", current_post="ST3 in paediatrics", stage="core", hopes=hopes,
        preferred_format="video", availability=availability, consent=True))
    coaching.attach_plan(application, user, registry)
    coaching.submit(application, user)
    coaching.allocate(application, coach, coordinator)
    coaching.book(application, coach, utcnow() + dt.timedelta(days=in_days), 60, "video",
                  "https://video.example.org/room", utcnow())


def _workshop(facilitator: User, title: str) -> Workshop:
    return workshops.create(facilitator, workshops.WorkshopDetails(
        title=title, starts_at=utcnow() + dt.timedelta(days=20), format="online",
        description=f"{title}: bring your SCAN 1 answers"))


def everything(app: Flask) -> People:
    """Pat (trainee and facilitator) with a row in every table that can be theirs; Olly,
    another trainee with the same coach, in Pat's workshop; Sam, the coach."""
    registry = app.extensions["modules"]
    with app.app_context():
        person = make_account(PERSON, full_name="Pat Person", roles=(Role.FACILITATOR,))
        other = make_account(OTHER, full_name="Olly Other")
        coach = make_account(COACH, full_name="Sam Coach", roles=(Role.COACH,))
        coordinator = make_account("co@example.org", full_name="Cory Ordinator",
                                   roles=(Role.COORDINATOR,))
        ids = People(person.id, other.id, coach.id)
    typical_plan(app, ids.person)
    answer(app, ids.person, SCAN1, "work-values", {"values-reflection": "Second version"})
    write_markers(app, ids.other, SCAN1, "CANARY-OTHER-ANSWER")
    with app.app_context():
        person, other, coach, coordinator = (
            db.session.get(User, ids.person), db.session.get(User, ids.other),
            db.session.get(User, ids.coach),
            db.session.execute(select(User).where(User.email == "co@example.org")).scalar_one())
        plans.save_summary(person.id, "General practice in Kent within three years")
        plans.add_action(person.id, plans.ActionDraft(
            text="Shadow a GP partner", measure="Two sessions done", support="",
            target_date=dt.date(2027, 5, 1), status=ActionStatus.IN_PROGRESS))
        plans.choose(person.id, f"{SCAN1}/work-values/values-reflection", True)
        share = sharing.create_share(person, coach, ShareMode.SNAPSHOT,
                                     dt.date.today() + dt.timedelta(days=30), registry)
        sharing.add_comment(share, coach, "general", "A clear plan: book the taster week")
        other_share = sharing.create_share(other, coach, ShareMode.LIVE,
                                           dt.date.today() + dt.timedelta(days=30), registry)
        sharing.add_comment(other_share, coach, "general", "CANARY-COMMENT-TO-OTHER")
        sharing.record_share_view(share, coach.id)
        db.session.commit()
        _apply(person, coach, coordinator, "Decide between GP and paediatrics",
               "Tuesday afternoons", registry, 5)
        _apply(other, coach, coordinator, "CANARY-OTHER-HOPES", "CANARY-OTHER-AVAILABILITY",
               registry, 6)
        for user, note in ((person, "CANARY-NOTE-ABOUT-PERSON"),
                           (other, "CANARY-NOTE-ABOUT-OTHER")):
            application = coaching.open_application(user.id)
            assert application is not None
            coaching.add_note(application, coach, note)
        stop(person.id, Kind.ACTIONS)
        # Pat runs a workshop Olly joins (and shows a module to Pat) ...
        run = _workshop(person, "SCAN evening")
        workshops.assign(run, SCAN1, dt.date.today() + dt.timedelta(days=10), None)
        workshops.join(run, other)
        membership = workshops.memberships_of(other.id)[0]
        workshops.set_shown(membership, SCAN1, True)
        # ... and joins another facilitator's workshop, showing a module there.
        elsewhere = _workshop(coordinator, "Interview skills")
        workshops.join(elsewhere, person)
        workshops.set_shown(workshops.memberships_of(person.id)[0], SCAN1, True)
        from careers_app.workshops.models import ReminderDay

        db.session.add(ReminderDay(workshop_id=run.id, sent_on=dt.date.today()))
        db.session.commit()
    return ids


def warned_of_deletion(app: Flask, user_id: int) -> None:
    """A warning that the account goes after a long time without signing in. Add it after
    signing in the test's client: signing in removes it."""
    with app.app_context():
        db.session.add(RetentionWarning(user_id=user_id,
                                        deletes_at=utcnow() + dt.timedelta(days=30)))
        db.session.commit()
