"""A person's line breaks are shown as they typed them, with nothing added.

The NHS.UK macros indent every line of what they are given, so an answer of two
paragraphs shown in a summary list got spaces at the start of its second paragraph (its
element keeps white space as typed), and the coordinator's view of an application
started each answer with a blank line and an indent.
"""

from __future__ import annotations

from careers_app.coaching.models import CoachingApplication
from careers_app.extensions import db
from careers_app.security import Role
from tests.coaching_steps import apply, signed_in_clients

TWO_PARAGRAPHS = "I want continuity of care.\r\n\r\nI also want to keep teaching & <learning>."
SHOWN = "I want continuity of care.&#10;&#10;I also want to keep teaching &amp; &lt;learning&gt;."


def test_an_answer_in_two_paragraphs_reads_as_typed_on_check_your_answers(app, client,
                                                                          trainee):
    module = app.extensions["modules"].get("scan-1-self-awareness")
    step, field = next((step, field) for step in module.steps for field in step.fields
                       if field.type == "long_text")
    client.post(f"/modules/{module.slug}/steps/{step.id}",
                data={"version": "0", "action": "save", field.id: TWO_PARAGRAPHS})
    page = client.get(f"/modules/{module.slug}/summary").get_data(as_text=True)
    assert f'<div class="app-answer-text">{SHOWN}</div>' in page


def test_the_application_reads_as_typed_for_the_coordinator_and_the_trainee(
        app, make_user, sign_in):
    people = signed_in_clients(app, make_user, sign_in, {
        "trainee": ("t@example.org", "Alex Trainee", ()),
        "coordinator": ("co@example.org", "Chris Coordinator", (Role.COORDINATOR,))})
    apply(people["trainee"], hopes=TWO_PARAGRAPHS)
    with app.app_context():
        application_id = db.session.execute(db.select(CoachingApplication.id)).scalar_one()
    review = people["coordinator"].get(f"/coaching/queue/{application_id}")
    assert f'<div class="app-answer-text">{SHOWN}</div>' in review.get_data(as_text=True)

    people["coordinator"].post(f"/coaching/queue/{application_id}", data={
        "action": "decline", "decline-reason": TWO_PARAGRAPHS})
    page = people["trainee"].get(f"/coaching/applications/{application_id}")
    assert f'<div class="app-answer-text">{SHOWN}</div>' in page.get_data(as_text=True)
