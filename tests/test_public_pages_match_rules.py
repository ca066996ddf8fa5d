"""What the support, privacy, home and coaching pages say matches what the app does: the
cancellation rule and its button, the appointment formats a coach can book, the
allowance, and a real way to get help with or without a support address. Production
refuses to start without one."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import update

from careers_app.coaching import rules
from careers_app.coaching.eligibility import FORMATS
from careers_app.coaching.models import Appointment
from careers_app.config import ConfigurationError
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.security import Role
from tests.coaching_steps import apply, appointments, booking, only_application
from tests.test_platform import production_app

SUPPORT_EMAIL = "careers-unit@example.nhs.uk"
PAGES_ABOUT_COACHING = ("/support", "/")


class _Text(HTMLParser):
    """The words a person reads, and the links they can follow, from a page's HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag in ("script", "style"):
            self._skip += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if not self._skip:
            self.words.append(data)


def read(response) -> tuple[str, list[str]]:
    assert response.status_code == 200, response.status_code
    parser = _Text()
    parser.feed(response.get_data(as_text=True))
    return " ".join(" ".join(parser.words).split()), parser.links


@pytest.fixture
def people(app, make_user, sign_in):
    found = {}
    for key, email, roles in (("trainee", "t@example.org", ()),
                              ("coordinator", "co@example.org", (Role.COORDINATOR,)),
                              ("coach", "coach@example.org", (Role.COACH,))):
        found[f"{key}_user"] = make_user(email, full_name=f"{key.title()} Person", roles=roles)
        found[key] = app.test_client()
        sign_in(email, test_client=found[key])
    return found


def booked_appointment(app, people, hours_ahead: float) -> str:
    """An allocated application with one appointment; the trainee's cancel page URL."""
    assert apply(people["trainee"]).status_code == 302
    application = only_application(app)
    people["coordinator"].post(f"/coaching/queue/{application.id}", data={
        "action": "allocate", "allocate-coach": str(people["coach_user"].id)})
    people["coach"].post(f"/coaching/caseload/{application.id}",
                         data=booking(utcnow() + dt.timedelta(days=5)))
    (appointment,) = appointments(app)
    with app.app_context():
        db.session.execute(update(Appointment).where(Appointment.id == appointment.id)
                           .values(starts_at=utcnow() + dt.timedelta(hours=hours_ahead)))
        db.session.commit()
    return f"/coaching/applications/{application.id}/appointments/{appointment.id}/cancel"


def test_support_describes_the_cancel_button_and_the_notice_rule_not_emailing_the_coach(
        client):
    text, links = read(client.get("/support"))
    hours = rules.NOTICE_HOURS
    assert "email your coach" not in text.lower()
    assert '"Cancel or rearrange"' in text
    assert f"at least {hours} hours before the appointment starts" in text
    assert f"does not use up one of your {rules.ALLOWANCE} appointments" in text
    assert "you need to give a reason, which your coach reads" in text
    assert "/coaching/apply" in links


def test_the_button_support_names_is_the_one_the_application_page_shows(app, people):
    cancel_url = booked_appointment(app, people, hours_ahead=72)
    text, links = read(people["trainee"].get(cancel_url.rsplit("/appointments", 1)[0]))
    assert "Cancel or rearrange" in text and cancel_url in links
    assert f"up to {rules.NOTICE_HOURS} hours before an appointment" in text


@pytest.mark.parametrize("page", PAGES_ABOUT_COACHING)
def test_every_format_a_coach_can_book_is_named_and_none_is_ruled_out(client, page):
    text, _links = read(client.get(page))
    for label in FORMATS.values():
        assert label.lower() in text.lower(), (page, label)
    assert "virtual" not in text.lower() and "held online" not in text.lower()


@pytest.mark.parametrize("page", PAGES_ABOUT_COACHING)
def test_the_allowance_and_reply_time_come_from_the_rules(client, page):
    text, _links = read(client.get(page))
    assert f"up to {rules.ALLOWANCE} free appointments" in text
    assert f"within {rules.REPLY_WITHIN_DAYS} days" in text


def test_the_application_form_offers_every_format_and_states_the_rules(people):
    text, _links = read(people["trainee"].get("/coaching/apply"))
    for label in FORMATS.values():
        assert label in text, label
    assert f"up to {rules.ALLOWANCE} free appointments" in text
    assert f"within {rules.REPLY_WITHIN_DAYS} days" in text


@pytest.mark.parametrize("hours_ahead", [23.5, 24.5])
def test_the_cancel_page_states_the_rule_it_applies(app, people, hours_ahead):
    cancel_url = booked_appointment(app, people, hours_ahead)
    text, _links = read(people["trainee"].get(cancel_url))
    hours = rules.NOTICE_HOURS
    if hours_ahead < hours:
        assert f"Less than {hours} hours’ notice" in text
        assert f"counts as one of your {rules.ALLOWANCE} appointments" in text
        refused = people["trainee"].post(cancel_url, data={"reason": ""})
        assert f"Say why you are cancelling less than {hours} hours before" in read(refused)[0]
    else:
        assert f"at least {hours} hours away" in text
        assert f"does not use one of your {rules.ALLOWANCE} appointments" in text


def test_the_words_follow_the_constants(app, people, client, monkeypatch):
    """Change the rule and every page changes with it: nothing is written out by hand."""
    monkeypatch.setattr(rules, "NOTICE_HOURS", 48)
    monkeypatch.setattr(rules, "NOTICE", dt.timedelta(hours=48))
    monkeypatch.setattr(rules, "ALLOWANCE", 4)
    support, _links = read(client.get("/support"))
    assert "at least 48 hours before" in support and "up to 4 free appointments" in support
    assert "24 hours before" not in support
    form, _links = read(people["trainee"].get("/coaching/apply"))
    assert "up to 4 free appointments" in form
    cancel_url = booked_appointment(app, people, hours_ahead=36)
    cancel, _links = read(people["trainee"].get(cancel_url))
    assert "Less than 48 hours’ notice" in cancel and "one of your 4 appointments" in cancel
    people["trainee"].post(cancel_url, data={"reason": "On call"})
    application, _links = read(people["trainee"].get(cancel_url.rsplit("/appointments", 1)[0]))
    assert "less than 48 hours away" in application
    assert "Counts as used (less than 48 hours’ notice)" in application


@pytest.mark.parametrize("support_email", ["", SUPPORT_EMAIL])
@pytest.mark.parametrize("page", ["/support", "/privacy"])
def test_support_and_privacy_name_a_real_way_to_get_help(
        app, people, page, support_email):
    app.config["SUPPORT_EMAIL"] = support_email
    trainee = people["trainee"]
    text, links = read(trainee.get(page))
    assert "We will add contact details" not in text
    assert "We are adding" not in text
    if support_email:
        assert f"mailto:{SUPPORT_EMAIL}" in links and SUPPORT_EMAIL in text
        return
    assert not [link for link in links if link.startswith("mailto:")]
    if page == "/privacy":  # it sends people to the support page's contact section
        assert "/support#contact" in links
        text, links = read(trainee.get("/support"))
    assert "no email address for the careers unit team" in text
    for path in ("/coaching/apply", "/account/profile", "/plan/"):
        assert path in links, path
        assert trainee.get(path).status_code in (200, 302), path
    assert "a coordinator replies within 14 days" in text


def test_production_refuses_to_start_without_a_support_address(database_url, monkeypatch):
    with pytest.raises(ConfigurationError) as refused:
        production_app(database_url, monkeypatch, SUPPORT_EMAIL="")
    message = str(refused.value)
    assert message.startswith("Refusing to start in production")
    assert "SUPPORT_EMAIL is not set" in message and "careers unit's email address" in message


@pytest.mark.parametrize("address", ["careers unit", "careers@", "@example.nhs.uk",
                                     "a@b@example.nhs.uk", "careers@localhost",
                                     "Careers <careers@example.nhs.uk>"])
def test_production_refuses_a_support_address_that_is_not_one(
        database_url, monkeypatch, address):
    with pytest.raises(ConfigurationError, match="SUPPORT_EMAIL must be an email address"):
        production_app(database_url, monkeypatch, SUPPORT_EMAIL=address)


def test_production_starts_with_a_support_address_and_shows_it(database_url, monkeypatch):
    app = production_app(database_url, monkeypatch, SUPPORT_EMAIL=SUPPORT_EMAIL)
    page = app.test_client().get("/support", base_url="https://careers.test")
    text, links = read(page)
    assert f"mailto:{SUPPORT_EMAIL}" in links
    assert re.search(r"no email address", text) is None


def test_the_coaching_emails_follow_the_constants(app, people, monkeypatch):
    """The emails a trainee reads about coaching state the same rules as the pages."""
    from careers_app.mail import outbox

    monkeypatch.setattr(rules, "NOTICE_HOURS", 48)
    monkeypatch.setattr(rules, "NOTICE", dt.timedelta(hours=48))
    monkeypatch.setattr(rules, "ALLOWANCE", 4)
    monkeypatch.setattr(rules, "REPLY_WITHIN_DAYS", 10)
    booked_appointment(app, people, hours_ahead=72)
    with app.app_context():
        bodies = [message.get_body(preferencelist=("plain",)).get_content()
                  for message in outbox() if message["To"] == "t@example.org"]
    received, allocated, booked = bodies[:3]
    assert "reply within 10 days" in received
    assert "you can have up to 4 free appointments" in allocated
    assert "cancel or rearrange up to 48 hours before" in " ".join(booked.split())


def test_who_can_use_the_service_says_foundation_doctors_need_no_training_number(client):
    """The page an F2 reads before applying agrees with the form, which asks a foundation
    doctor for no number and a specialty trainee for one."""
    from careers_app.coaching.training_numbers import Need, need

    assert need("doctor_dentist", "foundation") is Need.NONE
    assert need("doctor_dentist", "higher") is Need.REQUIRED
    text, _links = read(client.get("/eligibility"))
    assert "Foundation doctors and dentists in foundation training do not have one" in text
    assert "with a London or KSS training number" not in text


def test_support_says_the_coach_is_emailed_about_a_cancellation_and_they_are(app, people):
    from careers_app.mail import outbox

    support, _links = read(people["trainee"].get("/support"))
    assert "Your coach is told straight away by email" in support
    cancel_url = booked_appointment(app, people, hours_ahead=72)
    cancel, _links = read(people["trainee"].get(cancel_url))
    assert "your coach is told by email" in cancel
    with app.app_context():
        before = [m for m in outbox() if m["To"] == "coach@example.org"]
    people["trainee"].post(cancel_url, data={"reason": ""})
    with app.app_context():
        after = [m for m in outbox() if m["To"] == "coach@example.org"]
    assert len(after) == len(before) + 1
    told = " ".join(after[-1].get_body(preferencelist=("plain",)).get_content().split())
    assert "Trainee Person has cancelled" in told, told
