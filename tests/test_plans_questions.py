"""One answer to one question: the plan shows the newest answer to each question the
modules share, with its date; the trainee adds answers to the plan or takes them off."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
import time_machine
from pypdf import PdfReader
from sqlalchemy import update

from careers_app.accounts.models import User
from careers_app.clock import UK
from careers_app.content.schema import FieldSpec, Module
from careers_app.extensions import db
from careers_app.plans.models import PlanChoice
from careers_app.plans.service import assemble, feeds_the_plan
from careers_app.plans.sharing import take_snapshot
from careers_app.worksheets.models import StepAnswer
from tests.planning import SCAN1, SCAN3, SCAN4, answer, typical_plan
from tests.test_plans_page import section, text_of

SCAN2 = "scan-2-career-exploration"


@pytest.fixture
def trainee(make_user, sign_in):
    user = make_user("t@example.org", full_name="Alex Trainee")
    sign_in("t@example.org")
    return user


def at(day: int, hour: int = 10):
    return time_machine.travel(dt.datetime(2026, 11, day, hour, tzinfo=UK), tick=False)


def choose(client, key: str, included: bool, return_to: str = "plan"):
    return client.post("/plan/choices", data={"item_key": key, "included": "yes" if included
                                              else "no", "return_to": return_to})


def test_the_newest_first_choice_wins_and_says_when_it_was_given(app, client, trainee):
    with at(2):
        answer(app, trainee.id, SCAN2, "shortlist", {"first-choice": "General practice"})
    with at(9):
        answer(app, trainee.id, SCAN3, "your-decision", {"first-choice": "Paediatrics"})
    with at(16):
        answer(app, trainee.id, SCAN4, "start-from-your-decision",
               {"first-choice": "Psychiatry"})
    with at(20):  # another answer on SCAN 3's step: its first choice is still older
        answer(app, trainee.id, SCAN3, "your-decision", {"reasons": "I like long clinics"})
    page = text_of(client.get("/plan/"))
    decision = section(page, "decision")
    assert "Psychiatry" in decision
    assert "Paediatrics" not in page and "General practice" not in page
    assert decision.count(">Current decision</h3>") == 1
    assert "From SCAN 4: Next steps, step 1: Start from your decision, last changed 16 " \
           "November 2026" in decision


def test_an_older_answer_changed_later_becomes_the_current_one(app, client, trainee):
    with at(2):
        answer(app, trainee.id, SCAN4, "start-from-your-decision",
               {"first-choice": "Psychiatry"})
    with at(5):
        answer(app, trainee.id, SCAN3, "your-decision", {"first-choice": "Paediatrics"})
    decision = section(text_of(client.get("/plan/")), "decision")
    assert "Paediatrics" in decision and "Psychiatry" not in decision


def test_a_question_taken_off_the_plan_stays_off_and_can_come_back(app, client, trainee):
    typical_plan(app, trainee.id)
    response = choose(client, "question:first-choice", False)
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "“Current decision” is no longer on your plan." in page
    assert "General practice" not in section(page, "decision")
    everything = text_of(client.get("/plan/everything"))
    assert "General practice" in everything and "Add to my plan" in everything
    choose(client, "question:first-choice", True)
    assert "General practice" in section(text_of(client.get("/plan/")), "decision")


def test_any_answer_can_be_added_from_everything_i_wrote(app, client, trainee):
    typical_plan(app, trainee.id)
    assert "Continuity of care" not in text_of(client.get("/plan/"))
    key = f"{SCAN1}/work-values/values-reflection"
    assert choose(client, key, True, "everything").headers["Location"].startswith(
        "/plan/everything")
    page = text_of(client.get("/plan/"))
    assert "Continuity of care matters more to me than pace" in section(page, "values")
    assert "Remove from my plan" in section(page, "values")
    choose(client, key, False)
    assert "Continuity of care" not in text_of(client.get("/plan/"))


@pytest.mark.parametrize("key", ["nowhere/step/field", "question:nothing",
                                 f"{SCAN4}/action-plan/actions", "a" * 300, "x\x00y",
                                 f"{SCAN1}/work-values"])
def test_a_choice_for_something_that_does_not_exist_is_a_404(client, trainee, key):
    assert choose(client, key, True).status_code == 404


def test_choices_for_answers_that_no_longer_exist_are_ignored(app, client, trainee):
    typical_plan(app, trainee.id)
    with app.app_context():
        db.session.add_all([
            PlanChoice(user_id=trainee.id, item_key="retired-module/step/field", included=True),
            PlanChoice(user_id=trainee.id, item_key="question:retired", included=False)])
        db.session.commit()
    response = client.get("/plan/")
    assert response.status_code == 200
    assert "General practice" in text_of(response)
    assert client.get("/plan/everything").status_code == 200
    assert client.get("/plan/pdf").status_code == 200


def test_one_trainees_choices_never_change_anothers_plan(app, client, trainee, make_user):
    other = make_user("o@example.org")
    typical_plan(app, trainee.id)
    typical_plan(app, other.id)
    choose(client, "question:first-choice", False)
    choose(client, f"{SCAN1}/work-values/values-reflection", True)
    with app.app_context():
        document = assemble(_user(other.id), app.extensions["modules"]).document
    decision = next(s for s in document["sections"] if s["key"] == "decision")
    assert "Current decision" in [item["label"] for item in decision["items"]]
    values = next(s for s in document["sections"] if s["key"] == "values")
    assert all(item["key"].startswith("question:") for item in values["items"])


def _user(user_id: int) -> User:
    return db.session.get(User, user_id)


def test_adding_an_answer_makes_saves_to_its_step_refresh_the_pdf(app, client, trainee):
    with app.app_context():
        module = app.extensions["modules"].get(SCAN1)
        step = module.step("work-values")
        assert not feeds_the_plan(trainee.id, module, module.step("enjoy-and-drain"))
    choose(client, f"{SCAN1}/enjoy-and-drain/drains", True)
    with app.app_context():
        assert feeds_the_plan(trainee.id, module, module.step("enjoy-and-drain"))
        assert feeds_the_plan(trainee.id, module, step)  # it asks a shared question


def test_answers_saved_before_times_were_kept_still_show_everywhere(app, client, trainee):
    """Rows from before the migration have no answered_at: they count as given when
    their step was saved, and show on the module pages, the plan and Everything I wrote."""
    with at(3):
        answer(app, trainee.id, SCAN3, "your-decision", {"first-choice": "Paediatrics"})
    with at(8):
        answer(app, trainee.id, SCAN2, "shortlist", {"first-choice": "General practice"})
    with app.app_context():
        db.session.execute(update(StepAnswer).values(answered_at=None))
        db.session.commit()
    step = client.get(f"/modules/{SCAN3}/steps/your-decision").get_data(as_text=True)
    assert 'value="Paediatrics"' in step
    assert "Paediatrics" in client.get(f"/modules/{SCAN3}/summary").get_data(as_text=True)
    everything = text_of(client.get("/plan/everything"))
    assert "Paediatrics" in everything and "General practice" in everything
    decision = section(text_of(client.get("/plan/")), "decision")
    assert "General practice" in decision and "last changed 8 November 2026" in decision
    # A later save of one field stamps only that field; the others keep the step's time.
    with at(12):
        answer(app, trainee.id, SCAN3, "your-decision", {"reasons": "Clinics"})
    decision = section(text_of(client.get("/plan/")), "decision")
    assert "General practice" in decision


def distinct_answer(module: Module, step_id: str, spec: FieldSpec, today: dt.date) -> Any:
    """A valid answer whose text names its own field, so every copy can be counted."""
    marker = f"[{module.slug}/{step_id}/{spec.id}]"
    if spec.type in ("short_text", "long_text"):
        return f"{marker} an answer"
    return spec.kind.sample(spec, lambda limit, n: f"{marker} row {n}"[:limit], today)


def complete_every_module(app, user_id: int) -> dict[str, str]:
    """Every field of every module answered; each field's marker and type."""
    registry = app.extensions["modules"]
    today = dt.date(2026, 11, 1)
    for module in registry:
        for step in module.steps:
            answer(app, user_id, module.slug, step.id, {
                spec.id: distinct_answer(module, step.id, spec, today) for spec in step.fields})
    return {f"[{module.slug}/{step.id}/{spec.id}]": spec.type for module in registry
            for step in module.steps for spec in step.fields}


def test_no_answer_appears_twice_on_the_default_plan_after_all_ten_modules(app, client,
                                                                           trainee):
    markers = complete_every_module(app, trainee.id)
    page = client.get("/plan/").get_data(as_text=True)
    shown = [marker for marker in markers if marker in page]
    for marker in shown:
        assert page.count(marker + " an answer") <= 1, marker
        assert page.count(marker + " row 0 option") <= 1, marker
    # One answer to each question: the newest copy, from the last module that asks it.
    for title in ("Current decision", "Back-up plan", "My shortlist"):
        assert page.count(f">{title}</h3>") == 1, title
    assert f"[{SCAN4}/start-from-your-decision/first-choice]" in page
    assert f"[{SCAN2}/shortlist/first-choice]" not in page
    assert f"[{SCAN3}/your-decision/first-choice]" not in page
    assert f"[{SCAN4}/contingency/back-up-plan]" in page
    # Answers no shared question asks are in Everything I wrote, not the plan.
    assert f"[{SCAN1}/work-values/values-reflection]" not in page
    everything = client.get("/plan/everything").get_data(as_text=True)
    for marker in markers:
        assert everything.count(marker + " an answer") <= 1


def pdf_pages(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def test_the_appendix_is_chosen_at_download_and_holds_every_answer_once(app, client,
                                                                        trainee):
    markers = complete_every_module(app, trainee.id)
    pages, text = pdf_pages(client.get("/plan/pdf").data)
    with_appendix = client.get("/plan/pdf?appendix=yes")
    assert with_appendix.status_code == 200
    assert "everything" in with_appendix.headers["Content-Disposition"]
    appendix_pages, appendix_text = pdf_pages(with_appendix.data)
    assert appendix_pages > pages
    assert "Appendix: everything I wrote" in appendix_text
    appendix = appendix_text.split("Appendix: everything I wrote", 1)[1]
    # Long markers wrap inside table cells: compare without any white space.
    squashed = re.sub(r"\s", "", appendix)
    for marker, kind in markers.items():
        if kind in ("short_text", "long_text"):
            assert squashed.count(marker + "ananswer") == 1, marker
        elif kind == "list":
            assert squashed.count(marker + "row1") >= 1, marker
    assert "Appendix" not in text


def test_a_snapshot_records_whether_the_appendix_was_chosen(app, trainee):
    typical_plan(app, trainee.id)
    with app.app_context():
        user = _user(trainee.id)
        registry = app.extensions["modules"]
        plain = take_snapshot(user, registry, "share")
        full = take_snapshot(user, registry, "share", appendix=True)
        db.session.commit()
        assert plain.content["with_appendix"] is False and plain.content["appendix"] == []
        assert full.content["with_appendix"] is True
        shown = [answer["display"] for module in full.content["appendix"]
                 for step in module["steps"] for answer in step["answers"]]
        assert {"kind": "text", "text": "Continuity of care matters more to me than pace"} \
            in shown
