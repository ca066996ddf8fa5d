"""One refused answer never stops the others being saved, and the same save sent twice
(a double click, or an autosave that landed just before the form's own post) is one
save, not a conflict with itself."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from careers_app.extensions import db
from careers_app.worksheets.models import StepAnswer, StepRevision

SCAN1 = "scan-1-self-awareness"
STEP = f"/modules/{SCAN1}/steps/enjoy-and-drain"
AUTOSAVE = f"{STEP}/autosave"
CONFLICT = "These answers were changed in another tab or on another device"
TOO_LONG = " ".join(["word"] * 440)  # the box takes 250 words


def stored(app, user_id: int, step_id: str = "enjoy-and-drain") -> StepAnswer | None:
    with app.app_context():
        return db.session.execute(select(StepAnswer).where(
            StepAnswer.user_id == user_id, StepAnswer.step_id == step_id)
        ).scalar_one_or_none()


def revisions(app, answer_id: int) -> list[tuple[int, bool]]:
    with app.app_context():
        return [(r.version, r.conflict) for r in db.session.execute(
            select(StepRevision).where(StepRevision.step_answer_id == answer_id)
            .order_by(StepRevision.id)).scalars()]


VALID = {
    "enjoy": {"selected": ["patient-contact"], "other": ""},
    "best-moments": "Talking a frightened family through a diagnosis.",
    "coping": "A run after a night shift.",
}


def test_autosave_stores_the_valid_answers_and_names_the_refused_one(app, client, trainee):
    response = client.post(AUTOSAVE, json={
        "version": 0, "answers": {**VALID, "drains": TOO_LONG}})

    assert response.status_code == 200
    assert response.json["version"] == 1
    assert response.json["saved_at"]
    assert response.json["errors"] == {
        "drains": "This answer must be 250 words or fewer (it has 440)"}
    row = stored(app, trainee.id)
    assert row.version == 1
    assert row.answers == VALID  # the three, and nothing of the refused one

    # Shortening it saves it on top, with the version the partial save returned.
    fixed = client.post(AUTOSAVE, json={
        "version": 1, "answers": {**VALID, "drains": "Rotas that change at a day's notice."}})
    assert fixed.status_code == 200
    assert (fixed.json["version"], fixed.json["errors"]) == (2, {})
    assert stored(app, trainee.id).answers["drains"] == "Rotas that change at a day's notice."


def test_a_partial_save_keeps_the_stored_answer_of_the_refused_field(app, client, trainee):
    client.post(AUTOSAVE, json={"version": 0, "answers": {"drains": "Paperwork."}})
    response = client.post(AUTOSAVE, json={
        "version": 1, "answers": {**VALID, "drains": TOO_LONG}})
    assert response.json["version"] == 2
    assert stored(app, trainee.id).answers == {**VALID, "drains": "Paperwork."}


def test_autosave_with_every_answer_refused_saves_nothing(app, client, trainee):
    response = client.post(AUTOSAVE, json={"version": 0, "answers": {"drains": TOO_LONG}})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"drains"}
    assert stored(app, trainee.id) is None


def test_a_partial_save_on_a_stale_version_is_still_a_conflict(app, client, trainee):
    client.post(AUTOSAVE, json={"version": 0, "answers": {"coping": "Swimming."}})
    response = client.post(AUTOSAVE, json={
        "version": 0, "answers": {**VALID, "drains": TOO_LONG}})
    assert response.status_code == 409
    assert stored(app, trainee.id).answers == {"coping": "Swimming."}


def step_form(client, version: int, **answers: Any) -> dict[str, Any]:
    """The posted form of the "your decision" step of SCAN 3."""
    return {"version": str(version), "action": "continue",
            "first-choice": "", "reasons": "", "back-up-plan": "", **answers}


DECISION = "/modules/scan-3-arriving-at-a-decision/steps/your-decision"
NEXT = "/modules/scan-3-arriving-at-a-decision/steps/first-actions"


def test_the_same_step_form_posted_twice_is_one_save(app, client, trainee):
    form = step_form(client, 0, **{"first-choice": "GP training",
                                   "back-up-plan": "Emergency medicine"})
    first = client.post(DECISION, data=form)
    second = client.post(DECISION, data=form)  # a double click: same base version

    for response in (first, second):
        assert response.status_code == 302
        assert response.headers["Location"].endswith(NEXT)
        assert CONFLICT not in response.get_data(as_text=True)
    row = stored(app, trainee.id, "your-decision")
    assert (row.version, row.completed) == (1, True)
    assert row.answers == {"first-choice": "GP training", "reasons": "",
                           "back-up-plan": "Emergency medicine"}
    # One saved version; the repeat is not kept as a refused copy.
    assert revisions(app, row.id) == [(1, False)]


def test_a_post_after_an_autosave_of_the_same_answers_continues(app, client, trainee):
    answers = {"first-choice": "GP training", "reasons": "",
               "back-up-plan": "Emergency medicine"}
    saved = client.post(f"{DECISION}/autosave", json={"version": 0, "answers": answers})
    assert saved.json["version"] == 1
    # The form was rendered at version 0 and posts the answers the autosave just stored.
    response = client.post(DECISION, data=step_form(client, 0, **answers))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(NEXT)
    row = stored(app, trainee.id, "your-decision")
    assert row.completed is True  # the post still marks the step done
    assert row.answers == answers
    assert all(not conflict for _, conflict in revisions(app, row.id))


def test_a_different_post_on_the_stale_version_is_still_a_conflict(app, client, trainee):
    client.post(DECISION, data=step_form(client, 0, **{
        "first-choice": "GP training", "back-up-plan": "Emergency medicine"}))
    response = client.post(DECISION, data=step_form(client, 0, **{
        "first-choice": "Psychiatry training", "back-up-plan": "Emergency medicine"}))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert CONFLICT in page
    assert "Psychiatry training" in page  # what was typed is shown back
    row = stored(app, trainee.id, "your-decision")
    assert (row.version, row.answers["first-choice"]) == (1, "GP training")


def test_a_stale_autosave_of_the_stored_answers_is_not_a_conflict(app, client, trainee):
    answers = {**VALID, "drains": "Paperwork."}  # every answer of the step, as autosave sends
    client.post(AUTOSAVE, json={"version": 0, "answers": answers})
    again = client.post(AUTOSAVE, json={"version": 0, "answers": answers})
    assert again.status_code == 200
    assert again.json["version"] == 1


def test_a_stale_partial_save_is_a_conflict_even_when_its_other_answers_match(
        app, client, trainee):
    """Tab A and tab B both hold version 1; B changes "drains" (version 2). A, still on
    version 1, autosaves the same other answers with an over-long "drains": that must not
    count as a repeat of version 2, or A's next save would silently replace B's text."""
    first = {**VALID, "drains": "Paperwork."}
    assert client.post(AUTOSAVE, json={"version": 0, "answers": first}).status_code == 200
    tab_b = client.post(AUTOSAVE, json={
        "version": 1, "answers": {**first, "drains": "Rotas from tab B."}})
    assert tab_b.json["version"] == 2

    tab_a = client.post(AUTOSAVE, json={"version": 1, "answers": {**VALID, "drains": TOO_LONG}})
    assert tab_a.status_code == 409
    assert tab_a.json["answers"]["drains"] == "Rotas from tab B."
    # Nor may a save that leaves "drains" out pass as a repeat.
    assert client.post(AUTOSAVE, json={"version": 1, "answers": VALID}).status_code == 409
    assert stored(app, trainee.id).answers["drains"] == "Rotas from tab B."
