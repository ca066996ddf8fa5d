"""Steps that start from what the trainee wrote earlier: filled-in fields and recalled
answers, only ever the trainee's own, never over what they saved."""

from __future__ import annotations

import html

import pytest

from tests.planning import SCAN1, SCAN3, SCAN4, VALUES, answer, typical_plan

SCAN2 = "scan-2-career-exploration"
SHORTLIST = [
    {"option": "General practice training", "why-keep": "Continuity of care",
     "still-to-find-out": "What the rota is like"},
    {"option": "Psychiatry core training", "why-keep": "Enjoyed my placement",
     "still-to-find-out": "How on-call works"},
]


def page(client, slug: str, step_id: str) -> str:
    response = client.get(f"/modules/{slug}/steps/{step_id}")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def scan2_shortlist(app, user_id: int, **changes: object) -> None:
    answer(app, user_id, SCAN2, "shortlist", {
        "shortlist": SHORTLIST, "first-choice": "General practice training",
        "back-up": "Psychiatry core training",
        "back-up-reasons": "I enjoyed the placement", **changes})


def test_scan_3_starts_from_the_scan_2_shortlist_and_says_so(app, client, trainee):
    scan2_shortlist(app, trainee.id)
    text = page(client, SCAN3, "shortlist")
    assert 'value="General practice training"' in text
    assert 'value="How on-call works"' in text
    assert "Filled in from what you wrote in" in text
    assert "Career exploration, step 8" in text
    decision = page(client, SCAN3, "your-decision")
    assert 'value="General practice training"' in decision
    assert "Psychiatry core training</textarea>" in decision


def test_the_matrix_starts_from_the_shortlist_values_and_skills(app, client, trainee):
    typical_plan(app, trainee.id)
    scan2_shortlist(app, trainee.id)
    text = page(client, SCAN3, "weigh-options")
    for option in ("General practice training", "Psychiatry core training"):
        assert f'value="{option}"' in text
    # The top 3 values in the trainee's order, then the skills they rated 5.
    for factor in ("Service", "Lifestyle", "Security", "Communicating with patients"):
        assert factor.lower() in text.lower()
    assert 'value="Fits my top values"' not in text  # the generic factors are not used


def test_with_scan_1_empty_the_matrix_suggests_the_generic_factors(app, client, trainee):
    scan2_shortlist(app, trainee.id)
    text = page(client, SCAN3, "weigh-options")
    assert 'value="Fits my top values"' in text
    assert 'value="General practice training"' in text


def test_a_saved_answer_is_never_replaced_by_an_earlier_one(app, client, trainee):
    scan2_shortlist(app, trainee.id)
    answer(app, trainee.id, SCAN3, "your-decision", {
        "first-choice": "Psychiatry core training", "back-up-plan": ""})
    text = page(client, SCAN3, "your-decision")
    assert 'value="Psychiatry core training"' in text
    assert 'value="General practice training"' not in text
    # Cleared and saved stays cleared: the back-up is not filled in again.
    assert "Filled in from" not in text


def test_scan_4_first_choice_comes_from_scan_3(app, client, trainee):
    answer(app, trainee.id, SCAN3, "your-decision", {"first-choice": "Paediatrics"})
    assert 'value="Paediatrics"' in page(client, SCAN4, "start-from-your-decision")


def test_an_earlier_answer_deleted_since_brings_nothing_and_no_error(app, client, trainee):
    scan2_shortlist(app, trainee.id)
    answer(app, trainee.id, SCAN2, "shortlist", {"shortlist": [], "first-choice": "",
                                                 "back-up": ""})
    text = page(client, SCAN3, "shortlist")
    assert "Filled in from" not in text
    assert "General practice training" not in text


def test_recalled_answers_are_shown_with_a_link_to_change_them(app, client, trainee):
    answer(app, trainee.id, SCAN1, "work-values", {"values-ranking": list(VALUES)})
    answer(app, trainee.id, SCAN1, "skills-audit", {
        "top-strengths": "Explaining risks to patients in plain words"})
    text = page(client, SCAN2, "where-to-start")
    assert "What you wrote in SCAN 1: Self awareness" in text
    assert "Explaining risks to patients in plain words" in text
    assert f'href="/modules/{SCAN1}/steps/work-values"' in text


def test_nothing_is_recalled_before_anything_is_written(client, trainee):
    text = page(client, SCAN2, "where-to-start")
    assert "What you wrote in SCAN" not in text


@pytest.mark.parametrize("step_id", ["shortlist", "your-decision", "weigh-options"])
def test_another_trainees_answers_are_never_brought_forward(app, client, make_user, sign_in,
                                                            step_id):
    other = make_user("other@example.org")
    typical_plan(app, other.id)
    scan2_shortlist(app, other.id)
    make_user("me@example.org")
    sign_in("me@example.org")
    text = page(client, SCAN3, step_id)
    assert "General practice training" not in text
    assert "Filled in from" not in text
    assert "What you wrote in SCAN" not in text
