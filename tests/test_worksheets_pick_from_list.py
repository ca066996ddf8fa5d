"""A field that offers the trainee's own earlier entries to choose from (the
pick_from_list type): SCAN 3 asks which option on the shortlist they would be most
leaning towards. Only the trainee's own list is offered, the words chosen are kept when the
list changes, and module files that point it somewhere wrong are refused."""

from __future__ import annotations

import html

import pytest

from tests.planning import SCAN3, answer
from tests.test_content_references import modules_with
from tests.test_worksheets_bring_forward import SHORTLIST, scan2_shortlist

STEP = f"/modules/{SCAN3}/steps/pros-and-cons"
PICK = "leaning-towards"


def pick_page(client) -> str:
    response = client.get(STEP)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def scan3_shortlist(app, user_id: int, options: list[str]) -> None:
    answer(app, user_id, SCAN3, "shortlist", {"shortlist": [
        {"option": option, "appeal": "", "still-to-find-out": ""} for option in options]})


def test_the_options_are_the_trainees_own_shortlist(app, client, trainee):
    scan3_shortlist(app, trainee.id, ["Paediatrics in Kent", "Public health"])
    text = pick_page(client)
    assert f'name="{PICK}" type="radio" value="Paediatrics in Kent"' in text
    assert f'name="{PICK}" type="radio" value="Public health"' in text
    assert "I have not chosen yet" in text
    hint = text.split(f'id="{PICK}-hint"', 1)[1].split("</div>", 1)[0]
    assert "These are the entries in" in hint
    assert (f'href="/modules/{SCAN3}/steps/shortlist">'
            "step 1 of SCAN 3: Arriving at a decision</a>") in hint


def test_an_unsaved_scan_3_shortlist_offers_what_scan_2_would_fill_it_with(app, client, trainee):
    scan2_shortlist(app, trainee.id)
    text = pick_page(client)
    for row in SHORTLIST:
        assert f'type="radio" value="{row["option"]}"' in text


def test_with_nothing_listed_the_page_says_where_to_add_options(app, client, trainee):
    text = pick_page(client)
    assert 'type="radio"' not in text.split(f'id="{PICK}"', 1)[1].split("</div>", 1)[0]
    assert "There is nothing to choose from yet" in text
    assert f'href="/modules/{SCAN3}/steps/shortlist"' in text
    # The step still saves: the question is never required.
    response = client.post(STEP, data={"version": "0", "action": "later",
                                       "stands-out": "Relieved"})
    assert response.status_code == 302


def test_the_choice_is_saved_and_kept_when_the_list_changes(app, client, trainee):
    scan3_shortlist(app, trainee.id, ["Paediatrics in Kent", "Public health"])
    response = client.post(STEP, data={"version": "0", "action": "later",
                                       PICK: "Public health", "stands-out": "Relieved"})
    assert response.status_code == 302
    assert 'value="Public health" checked' in pick_page(client)
    scan3_shortlist(app, trainee.id, ["Paediatrics in Kent"])
    text = pick_page(client)
    assert "Public health (your earlier choice, no longer on your list)" in text
    summary = html.unescape(client.get(f"/modules/{SCAN3}/summary").get_data(as_text=True))
    assert "Which option are you leaning towards now?" in summary
    assert "Public health" in summary


def test_another_trainees_list_is_never_offered(app, client, trainee, make_user, sign_in):
    scan3_shortlist(app, trainee.id, ["Paediatrics in Kent"])
    other = make_user("other-trainee@example.org")
    scan3_shortlist(app, other.id, ["Their secret option"])
    assert "Their secret option" not in pick_page(client)


def test_a_deleted_list_offers_nothing_and_shows_no_error(app, client, trainee):
    scan3_shortlist(app, trainee.id, ["Paediatrics in Kent"])
    answer(app, trainee.id, SCAN3, "shortlist", {"shortlist": []})
    assert "There is nothing to choose from yet" in pick_page(client)


@pytest.mark.parametrize("bad", ["%00", "x" * 600])
def test_bad_input_is_refused_with_a_message_and_kept(app, client, trainee, bad):
    scan3_shortlist(app, trainee.id, ["Paediatrics in Kent"])
    body = f"version=0&action=later&stands-out=Relieved+by+the+result&{PICK}={bad}"
    response = client.post(STEP, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    text = html.unescape(response.get_data(as_text=True))
    assert "There is a problem" in text
    assert "Relieved by the result" in text


def test_a_lone_surrogate_in_an_autosave_is_refused_cleanly(app, client, trainee):
    response = client.post(f"{STEP}/autosave", json={"version": 0, "answers": {PICK: "\ud800"}})
    assert response.status_code == 422
    assert client.get(STEP).status_code == 200


PICK_FIELD = """      - id: favourite
        type: pick_from_list
        label: Your favourite option
        choose_from: {reference}
"""
BROKEN = {
    "missing field": ("earlier/options/favourites",
                      "later.yaml: step 'decide', field 'favourite': choose_from "
                      "'earlier/options/favourites': no field 'favourites' in step 'options' "
                      "of module 'earlier'"),
    "nothing listed": ("earlier/options/start-date",
                       "later.yaml: step 'decide', field 'favourite': choose_from "
                       "'earlier/options/start-date': a date field lists nothing to choose "
                       "from (use a list, multi_choice or ranking field)"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_modules_check_refuses_a_choose_from_that_does_not_fit(runner, tmp_path, case):
    reference, message = BROKEN[case]
    folder = modules_with(tmp_path, "    fields:\n", "    fields:\n"
                          + PICK_FIELD.format(reference=reference))
    result = runner.invoke(args=["modules", "check", "--dir", str(folder)])
    assert result.exit_code != 0
    assert message in result.output


@pytest.mark.parametrize(("extra", "message"), [
    ("", "a pick_from_list field needs choose_from"),
    ("        required: true\n", "a pick_from_list field cannot be required"),
])
def test_modules_check_refuses_a_pick_without_its_list_or_required(runner, tmp_path, extra,
                                                                  message):
    field = PICK_FIELD.format(reference="earlier/options/shortlist")
    if not extra:
        field = field.replace("        choose_from: earlier/options/shortlist\n", "")
    folder = modules_with(tmp_path, "    fields:\n", "    fields:\n" + field + extra)
    result = runner.invoke(args=["modules", "check", "--dir", str(folder)])
    assert result.exit_code != 0
    assert message in result.output


def test_a_valid_pick_passes_modules_check(runner, tmp_path):
    field = PICK_FIELD.format(reference="earlier/options/shortlist")
    folder = modules_with(tmp_path, "    fields:\n", "    fields:\n" + field)
    result = runner.invoke(args=["modules", "check", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
