"""The module list starts at the audience a person registered as, and can show everyone."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from careers_app.accounts.models import User
from careers_app.extensions import db
from careers_app.worksheets.catalogue import audience_for


def registered_as(app, make_user, sign_in, group: str, stage: str):
    user = make_user("person@example.org")
    with app.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(
            professional_group=group, training_stage=stage))
        db.session.commit()
    sign_in("person@example.org")


def selected_option(page: str) -> str:
    found = re.search(r'<option value="([^"]*)" selected>([^<]*)</option>', page)
    assert found is not None
    return found.group(2)


def titles(app) -> dict[str, str]:
    return {module.slug: module.title for module in app.extensions["modules"]}


def test_a_foundation_doctor_starts_at_foundation_modules_and_can_choose_everyone(
        app, client, make_user, sign_in):
    registered_as(app, make_user, sign_in, "doctor_dentist", "foundation")
    by_slug = titles(app)
    page = client.get("/modules/").get_data(as_text=True)
    assert selected_option(page) == "Foundation doctors"
    assert by_slug["foundation-choosing-a-specialty"] in page
    assert by_slug["scan-1-self-awareness"] in page
    assert by_slug["consultant-interview"] not in page

    everyone = client.get("/modules/?audience=all").get_data(as_text=True)
    assert selected_option(everyone) == "Everyone"
    assert all(title in everyone for title in by_slug.values())


@pytest.mark.parametrize(("group", "stage", "label"), [
    ("healthcare_professional", "band_5_6", "Nurses and midwives"),
    ("pharmacy", "pharmacy_foundation", "Pharmacists in training"),
    ("doctor_dentist", "higher", "Specialty trainees"),
    ("doctor_dentist", "dental", "Dentists in training"),
    ("workforce_scheme", "workforce_scheme", "Everyone"),
    ("healthcare_science", "healthcare_science", "Everyone"),
])
def test_the_list_starts_at_the_registered_group(app, client, make_user, sign_in,
                                                 group, stage, label):
    registered_as(app, make_user, sign_in, group, stage)
    assert selected_option(client.get("/modules/").get_data(as_text=True)) == label


def test_an_unknown_audience_shows_everyone(app, client, make_user, sign_in):
    registered_as(app, make_user, sign_in, "doctor_dentist", "foundation")
    for odd in ("%00<script>", "", "x" * 5000):
        response = client.get(f"/modules/?audience={odd}")
        assert response.status_code == 200
        assert selected_option(response.get_data(as_text=True)) == "Everyone"


def test_every_registered_stage_maps_to_a_known_audience():
    from careers_app.accounts.eligibility import PROFESSIONAL_GROUPS, TRAINING_STAGES
    from careers_app.worksheets.catalogue import AUDIENCES

    for group in PROFESSIONAL_GROUPS:
        for stage in TRAINING_STAGES:
            assert audience_for(group, stage) in AUDIENCES
