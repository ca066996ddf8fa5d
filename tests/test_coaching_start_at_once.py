"""Two requests that start a trainee's coaching application at the same moment make one
application (careers_app/coaching/service.py, start_or_resume): the draft saved as the
trainee types and the form's own post can arrive together on the first save.

Each request runs in a thread of its own with its own connection, on a SQLite file and,
with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from careers_app.accounts.models import User
from careers_app.coaching import service
from careers_app.coaching.models import ApplicationStatus, CoachingApplication
from careers_app.extensions import db
from tests.coaching_steps import APPLICATION, apply, only_application, signed_in_clients

# How long the first request waits between finding no application and making one: time
# enough for the second to look, find none and make its own, were nothing holding it.
FIRST_WAITS_SECONDS = 0.5


def test_two_first_saves_at_once_make_one_draft(app, make_user, monkeypatch):
    user_id = make_user().id
    real_open_application = service.open_application
    first_has_looked = threading.Event()

    def open_application(looked_for: int) -> CoachingApplication | None:
        found = real_open_application(looked_for)
        if threading.current_thread().name == "first":
            first_has_looked.set()
            time.sleep(FIRST_WAITS_SECONDS)
        return found

    monkeypatch.setattr(service, "open_application", open_application)
    started: dict[str, int] = {}
    failures: list[BaseException] = []

    def start() -> None:
        try:
            with app.app_context():
                user = db.session.get(User, user_id)
                started[threading.current_thread().name] = service.start_or_resume(user).id
                db.session.commit()
        except BaseException as error:  # reported below, not lost in the thread
            failures.append(error)

    first = threading.Thread(target=start, name="first")
    first.start()
    assert first_has_looked.wait(10)
    second = threading.Thread(target=start, name="second")
    second.start()
    first.join(30)
    second.join(30)

    assert failures == []
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(CoachingApplication)
                                  .where(CoachingApplication.user_id == user_id))
        status = db.session.scalar(select(CoachingApplication.status))
    assert count == 1
    assert started["first"] == started["second"]
    assert status == ApplicationStatus.DRAFT


def test_a_save_that_finds_the_application_sent_meanwhile_changes_nothing(
        app, make_user, sign_in, monkeypatch):
    """The request looked before the other tab sent the application, and finds it sent
    once its turn comes: neither the draft save nor the form may write to it."""
    people = signed_in_clients(app, make_user, sign_in, {
        "trainee": ("t@example.org", "Alex Trainee", ())})
    trainee = people["trainee"]
    assert apply(trainee).status_code == 302
    sent = only_application(app)
    real_open_application = service.open_application
    looks: list[int] = []

    def looked_before_it_was_sent(user_id: int) -> CoachingApplication | None:
        looks.append(user_id)
        # Each request's first look (in the view) saw nothing yet; the next is real.
        return None if len(looks) % 2 else real_open_application(user_id)

    monkeypatch.setattr(service, "open_application", looked_before_it_was_sent)
    changed = {**APPLICATION, "hopes": "Written in the other tab"}

    draft = trainee.post("/coaching/apply/draft", data=changed)
    assert draft.status_code == 409
    assert draft.get_json() == {"error": "This application has been sent and can no longer change"}
    form = trainee.post("/coaching/apply", data={**changed, "action": "save"})
    assert form.status_code == 302
    assert form.headers["Location"].endswith(f"/coaching/applications/{sent.id}")

    assert len(looks) == 4
    after = only_application(app)
    assert (after.status, after.hopes) == (ApplicationStatus.SUBMITTED, APPLICATION["hopes"])
