"""A coordinator deleting an account its owner asked them to delete, and the refusal to
delete a coach, facilitator or coordinator who still holds cases for others."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from careers_app.accounts import recent_password
from careers_app.accounts.models import User
from careers_app.audit import AuditEvent
from careers_app.coaching.models import Appointment, CoachingApplication, CoachNote
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.security import Role
from tests.coaching_steps import allocated_to_a_coach, booking
from tests.deletion_steps import linked_rows, text_of


def user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.execute(select(User.id).where(User.email == email)).scalar_one()


def test_a_coordinator_deletes_an_account_on_request_with_a_reason(app, make_user, sign_in,
                                                                    client):
    coordinator = make_user("co@example.org", roles=(Role.COORDINATOR,))
    person = make_user("asker@example.org", full_name="Ash Asker")
    sign_in("co@example.org")
    page = text_of(client.get(f"/admin/users/{person.id}/roles"))
    assert f'href="/admin/users/{person.id}/delete"' in page
    page = text_of(client.get(f"/admin/users/{person.id}/delete"))
    assert "Delete the account of Ash Asker" in page
    assert "What the careers unit keeps, and why" in page
    response = client.post(f"/admin/users/{person.id}/delete",
                           data={"reason": "asked_by_email"})
    assert response.status_code == 302
    assert "The account of Ash Asker has been deleted." in text_of(
        client.get(response.headers["Location"]))
    with app.app_context():
        assert db.session.get(User, person.id) is None
        (event,) = db.session.execute(select(AuditEvent).where(
            AuditEvent.action == "account_deleted")).scalars().all()
        assert (event.actor_id, event.subject_id, event.target_id, event.reason) == (
            coordinator.id, None, None, "asked_by_email")


def test_a_coordinator_gives_their_password_again_after_ten_minutes(
        app, make_user, sign_in, client, monkeypatch):
    make_user("co@example.org", roles=(Role.COORDINATOR,))
    person = make_user("asker@example.org", full_name="Ash Asker")
    sign_in("co@example.org")
    start = recent_password.now()
    monkeypatch.setattr(recent_password, "now", lambda: start + 11 * 60)
    for response in (client.get(f"/admin/users/{person.id}/delete"),
                     client.post(f"/admin/users/{person.id}/delete",
                                 data={"reason": "asked_by_email"})):
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/confirm-password?next=")
    with app.app_context():
        assert db.session.get(User, person.id) is not None


def test_a_reason_must_be_chosen_from_the_list(app, make_user, sign_in, client):
    make_user("co@example.org", roles=(Role.COORDINATOR,))
    person = make_user("asker@example.org", full_name="Ash Asker")
    sign_in("co@example.org")
    for data in ({}, {"reason": "she phoned me on 3 May"}):
        response = client.post(f"/admin/users/{person.id}/delete", data=data)
        page = text_of(response)
        assert response.status_code == 200
        assert "There is a problem" in page
        with app.app_context():
            assert db.session.get(User, person.id) is not None
    assert "Choose why you are deleting this account" in text_of(
        client.post(f"/admin/users/{person.id}/delete", data={}))


def test_only_coordinators_delete_other_accounts_and_unknown_ids_are_404(
        app, make_user, sign_in, client):
    make_user("co@example.org", roles=(Role.COORDINATOR,))
    other = make_user("other@example.org")
    make_user("t@example.org")
    sign_in("t@example.org")
    assert client.post(f"/admin/users/{other.id}/delete",
                       data={"reason": "asked_by_email"}).status_code == 403
    assert client.get(f"/admin/users/{other.id}/delete").status_code == 403
    with app.app_context():
        assert db.session.get(User, other.id) is not None
    coordinator = app.test_client()
    sign_in("co@example.org", test_client=coordinator)
    assert coordinator.get("/admin/users/99999/delete").status_code == 404
    assert coordinator.post("/admin/users/99999/delete",
                            data={"reason": "asked_by_email"}).status_code == 404


def test_a_coordinator_is_sent_to_their_own_page_for_their_own_account(app, make_user,
                                                                       sign_in, client):
    me = make_user("co@example.org", roles=(Role.COORDINATOR,))
    make_user("co2@example.org", roles=(Role.COORDINATOR,))
    sign_in("co@example.org")
    response = client.post(f"/admin/users/{me.id}/delete", data={"reason": "asked_by_email"})
    assert response.status_code == 302 and response.headers["Location"] == "/account/delete"
    with app.app_context():
        assert db.session.get(User, me.id) is not None


def test_a_coach_with_open_cases_is_refused_with_what_to_hand_over(app, make_user, sign_in):
    clients, application_id = allocated_to_a_coach(app, make_user, sign_in)
    assert clients["coach"].post(f"/coaching/caseload/{application_id}", data=booking(
        utcnow() + dt.timedelta(days=3))).status_code == 302
    coach_id = user_id(app, "coach@example.org")
    response = clients["coordinator"].post(f"/admin/users/{coach_id}/delete",
                                           data={"reason": "asked_by_email"})
    page = text_of(response)
    assert response.status_code == 409
    assert "This account cannot be deleted yet" in page
    assert "1 coaching client allocated to them: a coordinator allocates each to another " \
           "coach or closes it" in page
    assert "1 upcoming appointment with them as coach" in page
    # The coach's own page says the same, and offers no password box.
    own = text_of(clients["coach"].get("/account/delete"))
    assert "Your account cannot be deleted yet" in own
    assert "1 coaching client allocated to them" in own
    assert 'name="password"' not in own
    with app.app_context():
        assert db.session.get(User, coach_id) is not None


def test_a_facilitator_running_a_workshop_and_the_last_coordinator_are_refused(
        app, make_user, sign_in, client):
    from tests.workshop_steps import workshop_form
    make_user("co@example.org", roles=(Role.COORDINATOR,))
    facilitator = make_user("f@example.org", roles=(Role.FACILITATOR,))
    runner = app.test_client()
    sign_in("f@example.org", test_client=runner)
    assert runner.post("/workshops/new", data=workshop_form()).status_code == 302
    sign_in("co@example.org")
    page = text_of(client.post(f"/admin/users/{facilitator.id}/delete",
                               data={"reason": "asked_by_email"}))
    assert "1 workshop they run that is not archived" in page
    own = text_of(client.get("/account/delete"))
    assert "the coordinator role, which nobody else holds" in own


def test_deleting_a_coach_keeps_their_past_clients_records_without_them(app, make_user,
                                                                        sign_in):
    clients, application_id = allocated_to_a_coach(app, make_user, sign_in)
    coach_id = user_id(app, "coach@example.org")
    with app.app_context():
        db.session.add(Appointment(application_id=application_id, coach_id=coach_id,
                                   format="video", status="attended",
                                   starts_at=utcnow() - dt.timedelta(days=3)))
        db.session.add(CoachNote(application_id=application_id, author_id=coach_id,
                                 body="Went well"))
        db.session.commit()
    assert clients["coach"].post(
        f"/coaching/caseload/{application_id}/close").status_code == 302
    response = clients["coordinator"].post(f"/admin/users/{coach_id}/delete",
                                           data={"reason": "asked_another_way"})
    assert response.status_code == 302
    with app.app_context():
        assert linked_rows(coach_id) == {}
        application = db.session.get(CoachingApplication, application_id)
        assert application is not None and application.coach_id is None
        (appointment,) = db.session.execute(select(Appointment)).scalars().all()
        assert appointment.coach_id is None and appointment.status == "attended"
        (note,) = db.session.execute(select(CoachNote)).scalars().all()
        assert note.author_id is None and note.body == "Went well"
    # The trainee still sees their closed coaching and its appointment; coordinators
    # still read the note, now from a coach whose account has been deleted.
    assert clients["trainee"].get(f"/coaching/applications/{application_id}").status_code == 200
    page = text_of(clients["coordinator"].get(f"/coaching/queue/{application_id}"))
    assert "A coach whose account has been deleted" in page
    assert "Went well" in page
