"""Applying for coaching with what each professional group really has.

Foundation doctors, nurses and midwives in bands 5 to 8, pharmacists in training and
dentists in foundation training have no training number; specialty registrars have a
national training number and core trainees a Dean's reference number. Each applies
through the real form, with the stage given at registration already filled in.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from careers_app.accounts.eligibility import PROFESSIONAL_GROUPS, TRAINING_STAGES
from careers_app.accounts.service import Registration, register_user
from careers_app.coaching.models import CoachingApplication
from careers_app.extensions import db
from careers_app.text import NUL_MESSAGE
from tests.factories import DEFAULT_PASSWORD
from tests.sql_statements import count_queries

FORMAT_MESSAGE = "Enter your training number in the form LDN/ABC/1234567/C"

# What a person types into the form; everything but who they are.
ANSWERS = {
    "training_number": "", "workforce_scheme": "",
    "hopes": "Decide between general practice and emergency medicine",
    "preferred_format": "video", "availability": "Tuesday afternoons", "consent": "y",
}

# group, region, stage, post, training number as the person really has it
PEOPLE = {
    "F2 doctor in London": ("doctor_dentist", "london", "foundation",
                            "F2 in emergency medicine, Croydon", ""),
    "band 6 nurse in KSS": ("healthcare_professional", "kss", "band_5_6",
                            "Band 6 staff nurse, Brighton", ""),
    "foundation pharmacist": ("pharmacy", "london", "pharmacy_foundation",
                              "Foundation pharmacist, Barts", ""),
    "dental foundation trainee": ("doctor_dentist", "kss", "dental",
                                  "Dental foundation trainee, Maidstone", ""),
    "specialty registrar": ("doctor_dentist", "london", "higher",
                            "ST5 in cardiology, St Thomas'", "ldn/abc/1234567/c"),
}


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.fixture
def person(app, sign_in):
    """A signed-in client for someone registered with this group, region and stage."""
    made = iter(range(1000))

    def make(group: str, region: str, stage: str, name: str = "Sam Patel"):
        email = f"person{next(made)}@example.org"
        with app.app_context():
            register_user(Registration(
                full_name=name, email=email, password=DEFAULT_PASSWORD,
                professional_group=group, region=region, training_stage=stage), ())
        client = app.test_client()
        sign_in(email, test_client=client)
        return client, email

    return make


def applications(app) -> list[CoachingApplication]:
    with app.app_context():
        rows = list(db.session.execute(
            select(CoachingApplication).order_by(CoachingApplication.id)).scalars())
        for row in rows:
            db.session.expunge(row)
        return rows


def send(client, **fields: str):
    """Send the application as the person filled it in."""
    return client.post("/coaching/apply", data={**ANSWERS, **fields, "action": "submit"})


@pytest.mark.parametrize("who", PEOPLE)
def test_each_group_applies_with_what_it_really_has(app, person, who):
    group, region, stage, post, number = PEOPLE[who]
    client, _ = person(group, region, stage)
    form = text_of(client.get("/coaching/apply"))
    # The group, region and stage given at registration are already filled in.
    assert re.search(rf'value="{group}" checked', form), who
    assert re.search(rf'value="{region}" checked', form), who
    assert re.search(rf'<option value="{stage}" selected', form), who

    response = send(client, professional_group=group, region=region, stage=stage,
                    current_post=post, training_number=number)
    assert response.status_code == 302, text_of(response)[:3000]
    (application,) = applications(app)
    assert (application.status, application.professional_group, application.region,
            application.stage) == ("submitted", group, region, stage)
    assert application.training_number == number.upper()
    confirmation = text_of(client.get(response.headers["Location"]))
    assert "Application sent" in confirmation
    assert "within 14 days" in confirmation


def test_the_training_number_field_says_who_needs_one(app, person):
    client, _ = person("healthcare_professional", "kss", "band_7_8")
    page = text_of(client.get("/coaching/apply"))
    assert "do not need a training number" in page
    assert "Foundation doctors and dentists in foundation training do not have one" in page
    # Shown by script to doctors and dentists past foundation; without it, always shown.
    assert ('<div data-shown-for-groups="doctor_dentist" data-hidden-for-stages="foundation">'
            in page)
    assert 'name="training_number"' in page


def test_a_doctor_outside_london_and_kss_is_told_where_to_go(app, person):
    client, _ = person("doctor_dentist", "london", "higher")
    page = text_of(send(client, professional_group="doctor_dentist",
                        region="elsewhere", stage="higher", current_post="ST4 in Leeds",
                        training_number="YHD/ABC/1234567/C"))
    assert "There is a problem" in page
    assert "NHS England workforce, training and education team" in page
    assert "Coaching here may not be for you" in page
    # Chose London, but the number says another region: told the same, number kept.
    page = text_of(send(client, professional_group="doctor_dentist",
                        region="london", stage="higher", current_post="ST4 in Leeds",
                        training_number="NWE/ABC/1234567/C"))
    assert "starts NWE, so it is from a region outside London" in page
    assert 'value="NWE/ABC/1234567/C"' in page
    assert [a.status for a in applications(app)] == ["draft"]


@pytest.mark.parametrize("typed", ["LDN-ABC-1234567-C", "1234567", "LDN/ABC/C",
                                   "LDN/R1A/012/ST3/001"])
def test_a_malformed_number_names_the_expected_form_and_is_kept(app, person, typed):
    client, _ = person("doctor_dentist", "london", "higher")
    response = send(client, professional_group="doctor_dentist", region="london",
                    stage="higher", current_post="ST5 in cardiology", training_number=typed)
    page = text_of(response)
    assert response.status_code == 200
    assert "There is a problem" in page and FORMAT_MESSAGE in page
    assert f'value="{typed}"' in page and 'value="ST5 in cardiology"' in page
    assert [a.status for a in applications(app)] == ["draft"]


def test_a_registrar_or_core_trainee_without_a_number_is_asked_for_it(app, person):
    client, _ = person("doctor_dentist", "kss", "core")
    page = text_of(send(client, professional_group="doctor_dentist", region="kss",
                        stage="core", current_post="CT2 in psychiatry"))
    assert "Enter your training number (national training number or Dean" in page
    assert [a.status for a in applications(app)] == ["draft"]
    # A core trainee's Dean's reference number ends in D.
    assert send(client, professional_group="doctor_dentist", region="kss",
                stage="core", current_post="CT2 in psychiatry",
                training_number="KSS/ABC/7654321/D").status_code == 302


def test_the_queue_tells_apart_two_applicants_with_the_same_name(app, person, make_user,
                                                                  sign_in):
    from careers_app.security import Role
    make_user("co@example.org", full_name="Chris Coordinator", roles=(Role.COORDINATOR,))
    coordinator = app.test_client()
    sign_in("co@example.org", test_client=coordinator)
    doctor, doctor_email = person("doctor_dentist", "london", "foundation")
    nurse, nurse_email = person("healthcare_professional", "kss", "band_5_6")
    for client, (group, region, stage, post, _) in (
            (doctor, PEOPLE["F2 doctor in London"]), (nurse, PEOPLE["band 6 nurse in KSS"])):
        assert send(client, professional_group=group, region=region, stage=stage,
                    current_post=post).status_code == 302
    page = text_of(coordinator.get("/coaching/queue"))
    rows = page.split("<tr")[2:]
    assert len(rows) == 2 and all("Sam Patel" in row for row in rows)
    doctor_row, nurse_row = rows
    assert doctor_email in doctor_row and nurse_email in nurse_row
    assert PROFESSIONAL_GROUPS["doctor_dentist"] in doctor_row
    assert TRAINING_STAGES["foundation"] in doctor_row
    assert PROFESSIONAL_GROUPS["healthcare_professional"] in nurse_row
    assert TRAINING_STAGES["band_5_6"] in nurse_row
    assert "Group and stage" in page

    # Showing more applicants costs no more queries.
    few = count_queries(app, coordinator, "/coaching/queue")
    for index in range(3):
        client, _ = person("pharmacy", "london", "pharmacy_early", name=f"Extra {index}")
        assert send(client, professional_group="pharmacy", region="london",
                    stage="pharmacy_early", current_post="Trainee pharmacist").status_code == 302
    assert count_queries(app, coordinator, "/coaching/queue") == few


@pytest.mark.parametrize(("body", "message"), [
    ("training_number=LDN%00ABC", NUL_MESSAGE),
    # A browser cannot send a lone surrogate; the nearest it gets is invalid UTF-8.
    ("training_number=LDN%2F%ED%A0%80%2F1234567%2FC", FORMAT_MESSAGE),
    ("training_number=" + "L" * 300_000, "Your training number must be 40 characters or fewer"),
])
def test_nasty_training_numbers_get_a_message_not_a_server_error(app, person, body, message):
    client, _ = person("doctor_dentist", "london", "higher")
    fields = {**ANSWERS, "professional_group": "doctor_dentist", "region": "london",
              "stage": "higher", "current_post": "ST5", "action": "submit"}
    fields.pop("training_number")
    encoded = urlencode(fields)
    response = client.post("/coaching/apply", data=f"{encoded}&{body}",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    page = text_of(response)
    assert "There is a problem" in page and message in page
    assert all(a.status == "draft" for a in applications(app))


def test_a_number_left_in_the_form_by_someone_who_has_none_is_not_kept(app, person):
    """A nurse who typed a number before choosing her group (the field is then hidden)
    is not recorded with it."""
    group, region, stage, post, _ = PEOPLE["band 6 nurse in KSS"]
    client, _ = person(group, region, stage)
    response = send(client, professional_group=group, region=region, stage=stage,
                    current_post=post, training_number="LDN/ABC/1234567/C")
    assert response.status_code == 302
    (application,) = applications(app)
    assert application.training_number == ""
