"""The facilitator's reminder goes once a day per workshop, however many requests ask at once:
the database's unique key decides, not a check made before sending."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from careers_app.extensions import db
from careers_app.mail import outbox
from careers_app.workshops import reminders, service
from careers_app.workshops.models import ReminderDay
from tests.test_workshops import created, join, people, text_of  # noqa: F401 (fixture)
from tests.workshop_steps import SCAN1, assign_form

SEND = {"module": SCAN1, "action": "send"}


def ready(app, people):  # noqa: F811
    """A workshop with SCAN 1 assigned and two members who have not done it."""
    workshop = created(app, people)
    people["facilitator"].post(f"/workshops/{workshop.id}", data=assign_form(SCAN1))
    for key in ("trainee", "trainee2"):
        join(people[key], workshop.join_code)
    return workshop


def sent_to(app) -> list[str]:
    with app.app_context():
        return sorted(message["To"] for message in outbox())


def days_recorded(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(ReminderDay)).scalar_one()


def test_two_reminders_in_a_row_send_one_set_of_emails(app, people):  # noqa: F811
    workshop = ready(app, people)
    url = f"/workshops/{workshop.id}/remind"
    assert people["facilitator"].post(url, data=SEND).status_code == 302
    again = people["facilitator"].post(url, data=SEND)
    assert again.status_code == 200
    assert "A reminder for this workshop has already gone today" in text_of(again)
    assert sent_to(app) == ["t2@example.org", "t@example.org"]
    assert days_recorded(app) == 1


def test_a_reminder_the_check_did_not_see_stops_the_second_one(app, people, monkeypatch):  # noqa: F811
    """Another request claimed today after this one checked: nothing is sent twice."""
    workshop = ready(app, people)
    with app.app_context():
        db.session.add(ReminderDay(workshop_id=workshop.id, sent_on=service.today()))
        db.session.commit()
    monkeypatch.setattr(reminders, "sent_today", lambda workshop: False)
    response = people["facilitator"].post(f"/workshops/{workshop.id}/remind", data=SEND)
    assert response.status_code == 200
    assert "A reminder for this workshop has already gone today" in text_of(response)
    assert "Send the reminder" not in text_of(response)
    assert sent_to(app) == []
    assert days_recorded(app) == 1


def test_two_facilitators_pressing_send_at_once_send_one_set(app, people, monkeypatch):  # noqa: F811
    """Both requests pass the "already sent today?" check before either sends."""
    workshop = ready(app, people)
    both_looked = threading.Barrier(2, timeout=10)
    real_recipients = reminders.recipients

    def recipients_then_wait(matrix, column):
        found = real_recipients(matrix, column)
        both_looked.wait()
        return found

    monkeypatch.setattr(reminders, "recipients", recipients_then_wait)
    statuses: list[int] = []
    second = app.test_client()  # the same person in a second tab
    name = app.config["SESSION_COOKIE_NAME"]
    session = people["facilitator"].get_cookie(name, domain="careers.test")
    second.set_cookie(name, session.value, domain="careers.test")

    def press(client) -> None:
        statuses.append(client.post(f"/workshops/{workshop.id}/remind", data=SEND).status_code)

    threads = [threading.Thread(target=press, args=(c,)) for c in (people["facilitator"], second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [200, 302]
    assert sent_to(app) == ["t2@example.org", "t@example.org"]
    assert days_recorded(app) == 1
