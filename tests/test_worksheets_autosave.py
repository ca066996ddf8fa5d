"""The JSON autosave contract: 200 only after commit, 409 on a stale version, never a 500."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from careers_app.content.schema import Step
from careers_app.extensions import db
from careers_app.worksheets import service
from careers_app.worksheets.models import StepAnswer, StepRevision
from tests.conftest import csrf_token_from
from tests.sql_statements import recorded_statements

SCAN3 = "scan-3-arriving-at-a-decision"
URL = f"/modules/{SCAN3}/steps/your-decision/autosave"


def autosave(client, answers, version=0, url=URL, **kwargs):
    return client.post(url, json={"version": version, "answers": answers}, **kwargs)


def stored_row(app, user_id, step_id="your-decision"):
    with app.app_context():
        return db.session.execute(select(StepAnswer).where(
            StepAnswer.user_id == user_id, StepAnswer.step_id == step_id)
        ).scalar_one_or_none()


def test_saves_return_the_new_version_and_time(app, client, trainee):
    first = autosave(client, {"first-choice": "GP"})
    assert first.status_code == 200
    assert first.json["version"] == 1
    assert datetime.fromisoformat(first.json["saved_at"]).utcoffset().total_seconds() == 0
    second = autosave(client, {"first-choice": "GP training"}, version=1)
    assert second.json["version"] == 2
    row = stored_row(app, trainee.id)
    assert (row.answers["first-choice"], row.version) == ("GP training", 2)


def test_a_stale_version_gets_409_with_the_stored_copy_and_changes_nothing(app, client,
                                                                           trainee):
    autosave(client, {"first-choice": "Saved first"})
    stale = autosave(client, {"first-choice": "From an old tab"}, version=0)
    assert stale.status_code == 409
    assert stale.json["version"] == 1
    assert stale.json["answers"]["first-choice"] == "Saved first"
    assert stale.json["saved_at"]
    assert stored_row(app, trainee.id).answers["first-choice"] == "Saved first"
    ahead = autosave(client, {"first-choice": "From the future"}, version=7)
    assert ahead.status_code == 409
    # The refused text is kept, so choosing the other copy never loses it.
    with app.app_context():
        kept = db.session.execute(select(StepRevision.answers).where(
            StepRevision.conflict.is_(True))).scalars().all()
    assert {"first-choice": "From an old tab"} in kept


def test_first_save_of_a_step_that_exists_is_stale(client, trainee):
    autosave(client, {"first-choice": "A"})
    assert autosave(client, {"first-choice": "B"}, version=0).status_code == 409


@pytest.mark.parametrize(("answers", "message"), [
    ({"first-choice": "nul\x00"}, "invisible control character"),
    ({"first-choice": "lone \ud800 surrogate"}, "could not be read"),
    ({"first-choice": "x" * 201}, "200 characters or fewer"),
    ({"first-choice": "x" * 1_000_000}, "200 characters or fewer"),
    ({"reasons": "word " * 201}, "200 words or fewer"),
    ({"first-choice": ["a", "list"]}, "must be text"),
    ({"first-choice": {"a": 1}}, "must be text"),
])
def test_invalid_values_get_422_with_a_message_and_nothing_saved(app, client, trainee,
                                                                 answers, message):
    response = autosave(client, answers)
    assert response.status_code == 422
    assert message in next(iter(response.json["errors"].values()))
    assert stored_row(app, trainee.id) is None


def test_values_outside_the_options_are_refused(client, trainee):
    url = f"/modules/{SCAN3}/steps/decision-style/autosave"
    response = autosave(client, {"style": "coin-toss"}, url=url)
    assert response.status_code == 422
    assert response.json["errors"] == {"style": "Choose one of the options shown"}
    matrix_url = f"/modules/{SCAN3}/steps/weigh-options/autosave"
    bad_score = {"matrix": {"options": ["a", "b"], "criteria": [{"label": "x", "weight": 9}],
                            "scores": [[1], [2]]}}
    assert autosave(client, bad_score, url=matrix_url).status_code == 422


def test_unknown_fields_and_extra_keys_are_ignored(app, client, trainee):
    response = client.post(URL, json={
        "version": 0, "owner_id": 99, "is_admin": True,
        "answers": {"first-choice": "GP", "no-such-field": "x", "role": "coordinator"}})
    assert response.status_code == 200
    assert stored_row(app, trainee.id).answers == {"first-choice": "GP"}


def test_fields_not_sent_keep_their_stored_answers(app, client, trainee):
    autosave(client, {"first-choice": "GP", "reasons": "Variety"})
    autosave(client, {"reasons": "Variety and teaching"}, version=1)
    assert stored_row(app, trainee.id).answers == {
        "first-choice": "GP", "reasons": "Variety and teaching"}


def test_answers_to_a_field_removed_from_the_module_are_kept(app, client, trainee):
    autosave(client, {"first-choice": "GP", "reasons": "Variety"})
    module = app.extensions["modules"].get(SCAN3)
    step = module.step("your-decision")
    slimmer = Step.model_validate({**step.model_dump(), "fields": [
        field.model_dump() for field in step.fields if field.id != "reasons"]})
    with app.app_context():
        outcome = service.save_step(trainee.id, module, slimmer, {"first-choice": "GP2"}, 1)
    assert outcome.status == "saved"
    assert stored_row(app, trainee.id).answers == {"first-choice": "GP2", "reasons": "Variety"}


@pytest.mark.parametrize("body", [
    None, [], "text", {"answers": {}}, {"version": -1, "answers": {}},
    {"version": True, "answers": {}}, {"version": "1", "answers": {}},
    {"version": 1.5, "answers": {}}, {"version": 0, "answers": []},
    {"version": 10**12, "answers": {}},
])
def test_a_malformed_body_gets_400(client, trainee, body):
    response = client.post(URL, json=body) if body is not None else client.post(
        URL, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert "errors" in response.json


def test_unknown_module_or_step_gets_404(client, trainee):
    assert autosave(client, {}, url="/modules/nope/steps/x/autosave").status_code == 404
    assert autosave(client, {}, url=f"/modules/{SCAN3}/steps/nope/autosave").status_code == 404


def test_a_signed_out_request_gets_401_json_not_a_redirect(client, make_user):
    response = autosave(client, {"first-choice": "GP"})
    assert response.status_code == 401
    assert response.is_json


def test_database_down_gets_503_json_and_nothing_is_reported_saved(app, client, trainee,
                                                                   monkeypatch):
    def fail():
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(db.session, "commit", fail)
    response = autosave(client, {"first-choice": "GP"})
    assert response.status_code == 503
    assert response.is_json and response.headers["Retry-After"]
    monkeypatch.undo()
    assert stored_row(app, trainee.id) is None


def test_progress_records_the_last_step(app, client, trainee):
    autosave(client, {"first-choice": "GP"})
    with app.app_context():
        progress = service.progress_for(trainee.id, SCAN3)
        assert progress.last_step_id == "your-decision"
        assert progress.steps_completed == 0


def test_autosave_never_marks_a_step_done_but_can_undo_it(app, client, trainee):
    client.post(f"/modules/{SCAN3}/steps/your-decision", data={
        "version": "0", "action": "continue", "first-choice": "GP", "back-up-plan": "F3"})
    assert stored_row(app, trainee.id).completed
    autosave(client, {"first-choice": ""}, version=1)
    assert not stored_row(app, trainee.id).completed
    autosave(client, {"first-choice": "GP again"}, version=2)
    assert not stored_row(app, trainee.id).completed


def test_the_count_of_done_steps_moves_only_with_a_steps_done_mark(app, client, trainee):
    """Most autosaves leave the step's done mark as it was and skip recounting the module;
    the count stays right through every kind of save."""

    def steps_done_after(response) -> int:  # type: ignore[no-untyped-def]
        assert response.status_code in (200, 302)
        with app.app_context():
            return service.progress_for(trainee.id, SCAN3).steps_completed

    def recounted(statements: list[str]) -> bool:
        found = any("UPDATE module_progress SET steps_completed" in s for s in statements)
        statements.clear()
        return found

    with recorded_statements(app) as statements:
        assert steps_done_after(autosave(client, {"first-choice": "GP"})) == 0
        assert not recounted(statements)  # a new answer, not done
        assert steps_done_after(client.post(f"/modules/{SCAN3}/steps/your-decision", data={
            "version": "1", "action": "continue", "first-choice": "GP",
            "back-up-plan": "F3"})) == 1
        assert recounted(statements)  # marked done
        assert steps_done_after(autosave(client, {"back-up-plan": "F3, then GP"},
                                         version=2)) == 1
        assert not recounted(statements)  # still done
        assert steps_done_after(autosave(client, {"first-choice": ""}, version=3)) == 0
        assert recounted(statements)  # no longer done
        assert steps_done_after(autosave(client, {"back-up-plan": "F3"}, version=4)) == 0
        assert not recounted(statements)  # still not done


def test_only_the_newest_revisions_are_kept(app, client, trainee, monkeypatch):
    monkeypatch.setattr(service, "REVISIONS_KEPT", 3)
    for version in range(5):
        autosave(client, {"first-choice": f"Draft {version}"}, version=version)
    with app.app_context():
        versions = db.session.execute(select(StepRevision.version).order_by(
            StepRevision.version)).scalars().all()
    assert versions == [3, 4, 5]


def test_csrf_token_is_required_in_a_header(csrf_app, make_user):
    make_user("trainee@example.org")
    client = csrf_app.test_client()
    page = client.get("/account/sign-in").get_data(as_text=True)
    client.post("/account/sign-in", data={"email": "trainee@example.org",
                                          "password": "correct horse battery staple",
                                          "csrf_token": csrf_token_from(page)})
    step = client.get(f"/modules/{SCAN3}/steps/your-decision").get_data(as_text=True)
    refused = autosave(client, {"first-choice": "GP"})
    assert refused.status_code == 400 and refused.is_json
    accepted = autosave(client, {"first-choice": "GP"},
                        headers={"X-CSRFToken": csrf_token_from(step)})
    assert accepted.status_code == 200


def test_after_signing_in_again_a_fresh_token_lets_the_old_page_save(csrf_app, make_user):
    """The page keeps its text while the person signs in again in another tab."""
    make_user("trainee@example.org")
    client = csrf_app.test_client()

    def sign_in():
        page = client.get("/account/sign-in").get_data(as_text=True)
        client.post("/account/sign-in", data={"email": "trainee@example.org",
                                              "password": "correct horse battery staple",
                                              "csrf_token": csrf_token_from(page)})

    sign_in()
    old_token = csrf_token_from(
        client.get(f"/modules/{SCAN3}/steps/your-decision").get_data(as_text=True))
    dashboard = client.get("/dashboard").get_data(as_text=True)
    client.post("/account/sign-out", data={"csrf_token": csrf_token_from(dashboard)})
    signed_out = autosave(client, {"first-choice": "GP"}, headers={"X-CSRFToken": old_token})
    assert signed_out.status_code == 401 and signed_out.is_json
    assert client.get("/modules/csrf-token").status_code in (302, 401)

    sign_in()
    stale_token = autosave(client, {"first-choice": "GP"}, headers={"X-CSRFToken": old_token})
    assert stale_token.status_code == 400
    fresh = client.get("/modules/csrf-token", headers={"Accept": "application/json"})
    saved = autosave(client, {"first-choice": "GP"},
                     headers={"X-CSRFToken": fresh.json["csrf_token"]})
    assert saved.status_code == 200


def test_earlier_versions_and_refused_copies_can_be_seen_and_restored(app, client, trainee,
                                                                       make_user, sign_in):
    autosave(client, {"first-choice": "First thoughts"})
    autosave(client, {"first-choice": "Second thoughts"}, version=1)
    autosave(client, {"first-choice": "From a stale tab"}, version=1)
    page = client.get(f"/modules/{SCAN3}/steps/your-decision/versions").get_data(as_text=True)
    assert "First thoughts" in page and "From a stale tab" in page
    assert "Copy not saved from another tab or device" in page
    assert "Version 2 (your current answers)" in page
    with app.app_context():
        stale_copy = db.session.execute(select(StepRevision.id).where(
            StepRevision.conflict.is_(True))).scalar_one()
    restored = client.post(f"/modules/{SCAN3}/steps/your-decision/versions",
                           data={"revision": str(stale_copy), "version": "2"})
    assert restored.status_code == 302
    assert stored_row(app, trainee.id).answers["first-choice"] == "From a stale tab"
    # Restoring on top of answers that changed meanwhile is refused, not forced.
    autosave(client, {"first-choice": "Third thoughts"}, version=3)
    again = client.post(f"/modules/{SCAN3}/steps/your-decision/versions",
                        data={"revision": str(stale_copy), "version": "2"})
    assert again.headers["Location"].endswith("/versions")
    assert stored_row(app, trainee.id).version == 4

    make_user("other@example.org")
    other = app.test_client()
    sign_in("other@example.org", test_client=other)
    peek = other.get(f"/modules/{SCAN3}/steps/your-decision/versions").get_data(as_text=True)
    assert "First thoughts" not in peek
    steal = other.post(f"/modules/{SCAN3}/steps/your-decision/versions",
                       data={"revision": str(stale_copy), "version": "0"})
    assert steal.status_code == 404
