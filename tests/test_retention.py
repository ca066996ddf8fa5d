"""Retention: an account unused for the inactive period is warned once by email and deleted
after the grace period, unless its owner signs in meanwhile; the privacy notice says so."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from careers_app.account_deletion import retention
from careers_app.account_deletion.models import RetentionWarning
from careers_app.accounts.models import User
from careers_app.audit import AuditEvent
from careers_app.clock import in_uk
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.mail import outbox
from tests.deletion_steps import text_of

THREE_YEARS = dt.timedelta(days=3 * 365)
DAY = dt.timedelta(days=1)


def warnings_to(app, address: str) -> list[str]:
    with app.app_context():
        return [m.get_body(preferencelist=("plain",)).get_content() for m in outbox()
                if m["To"] == address and m["Subject"] == retention.SUBJECT]


def run(app, now: dt.datetime) -> tuple[int, int]:
    with app.app_context():
        return retention.run(now)


def last_sign_in(app, user_id: int) -> dt.datetime:
    with app.app_context():
        return db.session.get(User, user_id).last_signed_in_at


def exists(app, user_id: int) -> bool:
    with app.app_context():
        return db.session.get(User, user_id) is not None


def test_an_unused_account_is_warned_once_then_deleted_after_the_grace_period(app, make_user):
    person = make_user("quiet@example.org", full_name="Quinn Quiet")
    start = last_sign_in(app, person.id)
    assert run(app, start + THREE_YEARS - DAY) == (0, 0)
    warned_at = start + THREE_YEARS + DAY
    assert run(app, warned_at) == (1, 0)
    assert run(app, warned_at + DAY) == (0, 0)  # warned once, however often the job runs
    (body,) = warnings_to(app, "quiet@example.org")
    deletes = in_uk(warned_at + dt.timedelta(days=30))
    assert body.startswith("Hello Quinn Quiet,\n")
    assert "have not been used for 3 years" in body
    assert f"Your account will be deleted on {deletes.day} {deletes:%B %Y}" in body
    assert "To keep your account, sign in before then." in body
    assert "\nhttps://careers.test/account/sign-in\n" in body
    assert run(app, warned_at + dt.timedelta(days=30) - DAY) == (0, 0)
    assert exists(app, person.id)
    assert run(app, warned_at + dt.timedelta(days=30)) == (0, 1)
    assert not exists(app, person.id)
    with app.app_context():
        (event,) = db.session.execute(select(AuditEvent).where(
            AuditEvent.action == "account_deleted")).scalars().all()
        assert (event.actor_id, event.subject_id, event.reason) == (None, None, "inactive")
        assert db.session.execute(select(RetentionWarning)).first() is None


def test_signing_in_after_the_warning_keeps_the_account(app, make_user, sign_in, client,
                                                        monkeypatch):
    person = make_user("back@example.org")
    start = last_sign_in(app, person.id)
    warned_at = start + THREE_YEARS + DAY
    assert run(app, warned_at) == (1, 0)
    # The person signs in, through the form, ten days into the grace period.
    signed_in = warned_at + dt.timedelta(days=10)
    monkeypatch.setattr(retention, "utcnow", lambda: signed_in)
    sign_in("back@example.org")
    assert last_sign_in(app, person.id) == signed_in
    with app.app_context():
        assert db.session.execute(select(RetentionWarning)).first() is None
    assert run(app, warned_at + dt.timedelta(days=31)) == (0, 0)
    assert exists(app, person.id)
    # The clock starts again from the sign-in: a new warning only after another 3 years.
    assert run(app, signed_in + THREE_YEARS - DAY) == (0, 0)
    assert run(app, signed_in + THREE_YEARS + DAY) == (1, 0)
    assert len(warnings_to(app, "back@example.org")) == 2


def test_a_sign_in_the_job_has_not_heard_of_still_keeps_the_account(app, make_user):
    """A warning left behind (say, written by a job that raced the sign-in) never deletes
    an account used since."""
    person = make_user("raced@example.org")
    warned_at = last_sign_in(app, person.id) + THREE_YEARS + DAY
    assert run(app, warned_at) == (1, 0)
    with app.app_context():
        db.session.execute(update(User).where(User.id == person.id)
                           .values(last_signed_in_at=warned_at + DAY))
        db.session.commit()
    assert run(app, warned_at + dt.timedelta(days=30)) == (0, 0)
    assert exists(app, person.id)
    with app.app_context():
        assert db.session.execute(select(RetentionWarning)).first() is None


def test_the_periods_come_from_the_settings(app, make_user):
    app.config.update(RETENTION_INACTIVE_DAYS=10, RETENTION_GRACE_DAYS=2)
    person = make_user("short@example.org")
    start = last_sign_in(app, person.id)
    assert run(app, start + dt.timedelta(days=9)) == (0, 0)
    assert run(app, start + dt.timedelta(days=11)) == (1, 0)
    (body,) = warnings_to(app, "short@example.org")
    assert "have not been used for 10 days" in body
    assert run(app, start + dt.timedelta(days=13)) == (0, 1)


def test_the_hourly_job_warns_an_account_unused_for_three_years(app, make_user):
    from careers_app.account_deletion.tasks import apply_retention

    person = make_user("old@example.org")
    with app.app_context():
        db.session.execute(update(User).where(User.id == person.id).values(
            last_signed_in_at=utcnow() - THREE_YEARS - DAY))
        db.session.commit()
        apply_retention()
    assert len(warnings_to(app, "old@example.org")) == 1


def test_the_privacy_notice_states_the_retention_rule_and_what_deletion_keeps(app, client):
    page = text_of(client.get("/privacy"))
    assert ("If nobody signs in to your account for 3 years, we email you to say that your "
            "account will be deleted 30 days later, and on which date. Signing in before "
            "that date keeps your account") in page
    assert "We send this email once." in page
    assert "You can delete your account yourself at any time" in page
    assert "one line of figures for each coaching application you sent" in page
    assert "There is not yet a way to download everything we hold about you yourself" in page
    app.config.update(RETENTION_INACTIVE_DAYS=730, RETENTION_GRACE_DAYS=14)
    page = text_of(client.get("/privacy"))
    assert "for 2 years, we email you to say that your account will be deleted 14 days later" \
        in page


def test_an_unused_coach_account_with_a_client_is_held_not_deleted(app, make_user, sign_in,
                                                                   caplog):
    from tests.coaching_steps import allocated_to_a_coach

    allocated_to_a_coach(app, make_user, sign_in)
    with app.app_context():
        coach_id = db.session.execute(
            select(User.id).where(User.email == "coach@example.org")).scalar_one()
        long_ago = utcnow() - THREE_YEARS - dt.timedelta(days=40)
        db.session.execute(update(User).where(User.id == coach_id)
                           .values(last_signed_in_at=long_ago))
        db.session.commit()
    assert run(app, utcnow() - dt.timedelta(days=31)) == (1, 0)
    assert run(app, utcnow()) == (0, 0)
    assert exists(app, coach_id)
    assert f"retention deletion held: open cases, user {coach_id}" in caplog.text
