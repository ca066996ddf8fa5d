"""Deleting one's own account: everything of theirs goes, what the careers unit reports on
stays without naming anyone, the coach hears about cancelled appointments, and the
password is checked and throttled as at sign-in."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from careers_app.account_deletion.models import CoachingOutcome
from careers_app.accounts.models import User
from careers_app.accounts.registration import PendingRegistration
from careers_app.audit import AuditEvent
from careers_app.extensions import db
from careers_app.mail import outbox
from careers_app.outbox.models import OutboxEmail
from careers_app.reminders.models import ReminderMark
from tests.deletion_steps import a_trainee_with_everything, linked_rows, text_of
from tests.factories import DEFAULT_PASSWORD

# Tables with no foreign key to anything a person owns: checked by what names the person.
NOT_LINKED = {"coaching_outcome", "outbox_email", "outbox_attachment", "reminder_mark",
              "pending_registration"}


@pytest.fixture
def everything(app, make_user, sign_in):
    return a_trainee_with_everything(app, make_user, sign_in)


def delete_own(client, password=DEFAULT_PASSWORD):
    return client.post("/account/delete", data={"password": password})


def test_the_page_says_what_goes_and_what_is_kept(app, trainee, client):
    page = text_of(client.get("/account/delete"))
    assert "What will be deleted" in page
    assert "everything written in the worksheets" in page
    assert "What the careers unit keeps, and why" in page
    assert "the month it was sent, professional group and region" in page
    assert "Nothing written in the application, no name, email address" in page
    assert 'name="password"' in page


def test_deleting_leaves_no_row_that_refers_to_the_person(app, everything):
    trainee_id, clients = everything["trainee_id"], everything["clients"]
    with app.app_context():
        before = linked_rows(trainee_id)
        every_table = set(db.metadata.tables)
    # The fixture really put the person in every table a trainee's data can be in.
    assert every_table - set(before) - NOT_LINKED == set()
    response = delete_own(clients["trainee"])
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Your account has been deleted" in text_of(clients["trainee"].get("/"))
    with app.app_context():
        assert linked_rows(trainee_id) == {}
        assert db.session.get(User, trainee_id) is None
        assert db.session.execute(select(func.count()).select_from(OutboxEmail).where(
            OutboxEmail.recipient == "t@example.org")).scalar_one() == 0
        assert db.session.execute(select(PendingRegistration)).first() is None
        assert db.session.execute(select(ReminderMark.key)).scalars().all() == []
        for table, ids in before.items():
            (key,) = db.metadata.tables[table].primary_key.columns
            query = select(key).where(key.in_(ids))
            if table == "audit_event":  # SQLite may give the new event a freed id
                query = query.where(AuditEvent.action != "account_deleted")
            assert set(db.session.execute(query).scalars()) == set(), table


def test_the_coach_loses_the_share_and_hears_of_the_cancellation(app, everything):
    clients, share_id = everything["clients"], everything["share_id"]
    assert delete_own(clients["trainee"]).status_code == 302
    assert clients["coach"].get(f"/shared-with-me/{share_id}").status_code == 404
    assert clients["coach"].get(f"/shared-with-me/{share_id}/pdf").status_code == 404
    assert "Alex Trainee" not in text_of(clients["coach"].get("/shared-with-me/"))
    assert clients["facilitator"].get(
        f"/workshops/{everything['workshop_id']}").status_code == 200
    assert "Alex Trainee" not in text_of(
        clients["facilitator"].get(f"/workshops/{everything['workshop_id']}"))
    with app.app_context():
        to_coach = [m for m in outbox() if m["To"] == "coach@example.org"
                    and m["Subject"] == "Careers coaching appointment cancelled"]
    assert len(to_coach) == 1
    body = to_coach[0].get_body(preferencelist=("plain",)).get_content()
    assert body.startswith("Hello Sam Coach,\n")
    assert "Alex Trainee has cancelled this careers coaching appointment:" in body
    assert "removes it from your calendar" in body


def test_anonymous_coaching_figures_and_a_content_free_audit_event_remain(app, everything):
    assert delete_own(everything["clients"]["trainee"]).status_code == 302
    with app.app_context():
        (kept,) = db.session.execute(select(CoachingOutcome)).scalars().all()
        assert (kept.professional_group, kept.region) == ("doctor_dentist", "london")
        assert kept.outcome == "open_at_deletion"
        assert kept.month.day == 1
        assert kept.days_to_reply == 0
        assert (kept.attended, kept.cancelled_at_deletion, kept.cancelled_by_trainee) == (1, 1, 0)
        (event,) = db.session.execute(select(AuditEvent).where(
            AuditEvent.action == "account_deleted")).scalars().all()
        assert (event.actor_id, event.subject_id, event.target_id) == (None, None, None)
        assert event.reason == "deleted_by_owner"


def test_every_session_ends_and_the_old_cookie_is_refused(app, everything, sign_in):
    clients = everything["clients"]
    second = app.test_client()
    sign_in("t@example.org", test_client=second)
    cookie = clients["trainee"].get_cookie("careers_session", domain="careers.test").value
    replayed = app.test_client()
    replayed.set_cookie("careers_session", cookie, domain="careers.test")
    assert replayed.get("/dashboard").status_code == 200  # the copy works until then
    assert delete_own(clients["trainee"]).status_code == 302
    for client in (second, replayed):
        response = client.get("/dashboard")
        assert response.status_code == 302
        assert "/account/sign-in" in response.headers["Location"]
    refused = app.test_client().post("/account/sign-in", data={
        "email": "t@example.org", "password": DEFAULT_PASSWORD})
    assert refused.status_code == 200
    assert "Enter a correct email address and password" in text_of(refused)


def test_a_wrong_password_deletes_nothing_and_says_so(app, trainee, client):
    response = delete_own(client, "not my password at all")
    page = text_of(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#password"' in page
    assert "The password is not correct" in page
    with app.app_context():
        assert db.session.get(User, trainee.id) is not None
    assert client.get("/dashboard").status_code == 200


def test_an_empty_password_gets_a_message(app, trainee, client):
    page = text_of(delete_own(client, ""))
    assert "Enter your password" in page


def test_password_attempts_count_with_sign_in_attempts(app, trainee, client):
    for _ in range(5):
        assert delete_own(client, "wrong password number").status_code == 200
    refused = delete_own(client)  # the right password, but the limit is reached
    assert refused.status_code == 429
    assert "too many attempts to enter the password" in text_of(refused)
    assert int(refused.headers["Retry-After"]) > 0
    with app.app_context():
        assert db.session.get(User, trainee.id) is not None


def test_signed_out_people_are_sent_to_sign_in(app, client):
    response = client.get("/account/delete")
    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]


def test_the_walk_finds_every_row_without_the_databases_cascades(app, everything):
    """What rows.py deletes itself, children first: everything linked to the person, so
    nothing depends on the database cascading (SQLite does only with foreign keys on)."""
    from careers_app.account_deletion.rows import owned_rows
    from careers_app.account_deletion.service import _seeds

    with app.app_context():
        before = linked_rows(everything["trainee_id"])
        owned = {table.name: ids for table, ids in owned_rows(
            _seeds(everything["trainee_id"], "t@example.org")).items()}
    for table, ids in before.items():
        assert ids <= owned.get(table, set()), table
    assert owned["outbox_email"] and owned["pending_registration"] and owned["reminder_mark"]


def test_a_post_without_the_csrf_token_deletes_nothing(app, trainee, client, request):
    request.getfixturevalue("csrf_app")  # on only once signed in
    response = delete_own(client)
    assert response.status_code in (200, 400)
    assert "This page had expired for your security" in text_of(response)
    with app.app_context():
        assert db.session.get(User, trainee.id) is not None


def test_a_required_link_that_does_not_cascade_stops_the_deletion(app, trainee):
    """A table nobody taught deletion about (a required link to the person, no cascade)
    stops it with UnknownLink, and the account stays whole, rather than guessing."""
    from sqlalchemy import Column, ForeignKey, Integer, Table, insert

    from careers_app.account_deletion.rows import UnknownLink
    from careers_app.account_deletion.service import SELF, delete_account

    table = Table("unknown_link", db.metadata, Column("id", Integer, primary_key=True),
                  Column("user_id", Integer, ForeignKey("user.id"), nullable=False))
    try:
        with app.app_context():
            table.create(db.engine)
            db.session.execute(insert(table).values(user_id=trainee.id))
            db.session.commit()
            with pytest.raises(UnknownLink, match="unknown_link.user_id -> user"):
                delete_account(db.session.get(User, trainee.id), None, SELF)
            db.session.rollback()
            assert db.session.get(User, trainee.id) is not None
            assert db.session.execute(select(AuditEvent)).first() is None
    finally:
        with app.app_context():
            db.session.remove()
            table.drop(db.engine)
        db.metadata.remove(table)
