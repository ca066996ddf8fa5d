"""An email the server keeps refusing: retried a bounded number of times, then parked and
listed for coordinators, its error kept without anything the person wrote."""

from __future__ import annotations

import logging
import time

from sqlalchemy import select

from careers_app.extensions import db
from careers_app.outbox import sending
from careers_app.outbox.models import OutboxEmail
from careers_app.security import Role
from tests.queue_worker import free_port

from aiosmtpd.controller import Controller  # isort: skip


class Refusing:
    """Refuses every recipient, quoting the address back, as many servers do."""

    async def handle_RCPT(self, server, session, envelope, address, options):  # type: ignore[no-untyped-def]  # noqa: N802
        return f"550 5.1.1 <{address}>: no mailbox here"


def test_a_refused_email_is_retried_then_parked_and_listed_without_the_persons_words(
        app, client, make_user, sign_in, caplog):
    make_user("o.neil@example.org", full_name="Orla O'Neil")
    make_user("co@example.org", roles=(Role.COORDINATOR,))
    port = free_port()
    controller = Controller(Refusing(), hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                      MAIL_USE_TLS=False, MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_DELAY=0.05)
    caplog.set_level(logging.INFO)
    try:
        # The first attempt runs in the request (immediate mode) and fails: the person
        # still gets the page that says the email is on its way.
        response = client.post("/account/reset-password", data={"email": "o.neil@example.org"})
        assert response.status_code == 200
        with app.app_context():
            email_id = db.session.execute(select(OutboxEmail.id)).scalar_one()
            for _ in range(5):  # more chances than allowed: the last two do nothing
                time.sleep(0.25)
                sending.send_one(email_id, app.config)
            email = db.session.get(OutboxEmail, email_id)
            assert (email.status, email.attempts) == ("failed", 3)
            assert email.last_error == "SMTPRecipientsRefused 550"
    finally:
        controller.stop()
    # The application's lines and the queue's (the test's own SMTP server logs its side).
    logged = "\n".join(r.getMessage() for r in caplog.records
                       if r.name.startswith(("careers_app", "huey")))
    assert "parked" in logged
    for words in ("o.neil@example.org", "O'Neil", "Reset your password", "no mailbox"):
        assert words not in logged

    sign_in("co@example.org")
    page = client.get("/admin/emails").get_data(as_text=True)
    assert "Emails not sent" in page
    assert "o.neil@example.org" in page and "Reset your password" in page
    assert "SMTPRecipientsRefused 550" in page


def test_only_coordinators_see_the_emails_not_sent(client, make_user, sign_in):
    make_user("t@example.org")
    sign_in("t@example.org")
    assert client.get("/admin/emails").status_code in (403, 404)
