"""Every field type's checks: what a draft may hold, what "Save and continue" wants."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from careers_app.content.fields import FieldError, clean_answer, clean_step, matrix_results
from careers_app.content.schema import FieldSpec, Step
from careers_app.worksheets.formdata import read_field, read_step

OPTIONS = [{"value": "a", "label": "Apple"}, {"value": "b", "label": "Banana"},
           {"value": "c", "label": "Cherry"}]


def spec(kind: str, **settings: object) -> FieldSpec:
    return FieldSpec.model_validate({"id": "f", "type": kind, "label": "Question", **settings})


def refused(field: FieldSpec, value: object, *, strict: bool = False) -> str:
    with pytest.raises(FieldError) as error:
        clean_answer(field, value, strict=strict)
    return str(error.value)


@pytest.mark.parametrize("kind", ["short_text", "long_text"])
def test_text_refuses_nul_and_lone_surrogates_with_a_message(kind):
    assert "NUL" in refused(spec(kind), "bad\x00text")
    assert "could not be read" in refused(spec(kind), "broken \ud83d emoji")
    assert "must be text" in refused(spec(kind), ["not", "text"])


def test_short_text_limit_counts_characters_after_normalising():
    field = spec("short_text", max_length=5)
    assert clean_answer(field, "e\u0301" * 5, strict=True) == "\u00e9" * 5
    assert "5 characters or fewer (it has 6)" in refused(field, "abcdef")


def test_long_text_word_limit_and_required():
    field = spec("long_text", max_words=3, required=True)
    assert clean_answer(field, "one two three", strict=True) == "one two three"
    assert "3 words or fewer (it has 4)" in refused(field, "one two three four")
    assert clean_answer(field, "", strict=False) == ""
    assert refused(field, "   ", strict=True) == "Answer this question"


def test_long_text_has_an_absolute_limit_without_a_word_limit():
    assert "20,000 characters or fewer" in refused(spec("long_text"), "x" * 20_001)


def test_choice_accepts_only_its_options():
    field = spec("choice", options=OPTIONS, required=True)
    assert clean_answer(field, "b", strict=True) == "b"
    assert refused(field, "z") == "Choose one of the options shown"
    assert refused(field, "", strict=True) == "Choose an option"
    assert clean_answer(field, None, strict=False) == ""


def test_multi_choice_keeps_option_order_and_other_text():
    field = spec("multi_choice", options=OPTIONS, allow_other=True, required=True)
    value = clean_answer(field, {"selected": ["c", "a"], "other": "Dates"}, strict=True)
    assert value == {"selected": ["a", "c", "other"], "other": "Dates"}
    assert clean_answer(field, ["b"], strict=True) == {"selected": ["b"], "other": ""}
    assert refused(field, {"selected": ["z"]}) == "Choose from the options shown"
    assert "untick Other" in refused(field, {"selected": ["other"], "other": " "}, strict=True)
    assert refused(field, {"selected": []}, strict=True) == "Choose at least one option"


def test_multi_choice_without_other_ignores_other_text():
    field = spec("multi_choice", options=OPTIONS)
    assert clean_answer(field, {"selected": ["a"], "other": "x"}, strict=True) == {
        "selected": ["a"], "other": ""}
    assert refused(field, {"selected": ["other"]}) == "Choose from the options shown"


SCALE = {"statements": [{"value": "s1", "label": "Listening"},
                        {"value": "s2", "label": "Teaching"}],
         "scale_labels": ["Not yet", "Expert"]}


def test_scale_ratings_are_whole_numbers_from_one_to_five():
    field = spec("scale", required=True, **SCALE)
    assert clean_answer(field, {"s1": 5, "s2": "2", "unknown": 9}, strict=True) == {
        "s1": 5, "s2": 2}
    assert "from 1 to 5" in refused(field, {"s1": 6})
    assert "from 1 to 5" in refused(field, {"s1": True})
    assert "from 1 to 5" in refused(field, {"s1": 2.5})
    assert clean_answer(field, {"s1": 3}, strict=False) == {"s1": 3}
    assert refused(field, {"s1": 3}, strict=True) == "Rate every statement (1 still to rate)"


def test_ranking_must_put_every_option_in_order_once():
    field = spec("ranking", options=OPTIONS, required=True)
    assert clean_answer(field, ["c", "a", "b"], strict=True) == ["c", "a", "b"]
    assert "different number from 1 to 3" in refused(field, ["a", "a", "b"])
    assert "different number from 1 to 3" in refused(field, ["a", "b"])
    assert refused(field, ["a", "b", "z"]) == "Put only the values shown in order"
    assert refused(field, [], strict=True) == "Put the values in order"


def test_ranking_from_numbered_selects():
    field = spec("ranking", options=OPTIONS)
    form = MultiDict({"f--a": "2", "f--b": "3", "f--c": "1"})
    assert read_field(form, field) == ["c", "a", "b"]
    with pytest.raises(FieldError):
        read_field(MultiDict({"f--a": "1", "f--b": "1", "f--c": "2"}), field)
    with pytest.raises(FieldError):
        read_field(MultiDict({"f--a": "1"}), field)
    assert read_field(MultiDict(), field) == []


LIST = {"columns": [{"id": "name", "label": "Name", "max_length": 10},
                    {"id": "why", "label": "Why"}], "max_rows": 2}


def test_list_drops_blank_rows_and_unknown_columns_and_limits_rows():
    field = spec("list", required=True, min_rows=1, **LIST)
    rows = [{"name": "GP", "why": "Variety", "owner_id": 7}, {"name": " ", "why": ""}]
    assert clean_answer(field, rows, strict=True) == [{"name": "GP", "why": "Variety"}]
    assert "up to 2 rows" in refused(field, [{"name": str(n)} for n in range(3)])
    assert "Name must be 10 characters or fewer" in refused(field, [{"name": "x" * 11}])
    assert refused(field, [], strict=True) == "Add at least 1 row"


def test_list_rows_from_a_form_follow_the_row_counter():
    field = spec("list", **LIST)
    form = MultiDict({"f--rows": "2", "f--0--name": "GP", "f--1--why": "Pay",
                      "f--5--name": "ignored"})
    assert read_field(form, field) == [{"name": "GP", "why": ""}, {"name": "", "why": "Pay"}]
    assert read_field(MultiDict({"f--rows": "999999"}), field) == [
        {"name": "", "why": ""}] * 3  # bounded at max_rows + 1


@pytest.mark.parametrize("counter", [None, "", "two", "a\x00b", "\ufffd", "-1"])
def test_list_rows_without_a_readable_counter_are_the_rows_posted(counter):
    # A form that lost its hidden counter (or had it mangled) still has the rows typed in
    # it; they were dropped, and the page shown again without them.
    field = spec("list", **LIST)
    form = MultiDict({"f--0--name": "GP", "f--1--why": "Pay", "f--x--name": "not a row"})
    if counter is not None:
        form["f--rows"] = counter
    assert read_field(form, field) == [{"name": "GP", "why": ""}, {"name": "", "why": "Pay"}]
    far = MultiDict({"f--0--name": "GP", "f--999999999999--why": "Pay"})
    assert read_field(far, field) == [{"name": "GP", "why": ""}] + [
        {"name": "", "why": ""}] * 2  # bounded at max_rows + 1, as a counter is


def test_action_table_wants_an_action_and_a_real_target_date_to_continue():
    field = spec("action_table", required=True, min_rows=1)
    row = {"action": "Book a taster day", "measure": "Date booked", "support": "",
           "target": {"day": "3", "month": "4", "year": "2027"}}
    assert clean_answer(field, [row], strict=True)[0]["target"] == {
        "day": "3", "month": "4", "year": "2027"}
    half_done = {**row, "target": {"day": "3", "month": "", "year": ""}}
    assert clean_answer(field, [half_done], strict=False)[0]["target"]["day"] == "3"
    assert "must include a month and year" in refused(field, [half_done], strict=True)
    assert "Give action 1 a target date" in refused(
        field, [{**row, "target": {}}], strict=True)
    assert "must be numbers" in refused(field, [{**row, "target": {"day": "x"}}])


def test_date_checks_parts_in_a_draft_and_the_whole_date_to_continue():
    field = spec("date", required=True)
    assert clean_answer(field, {"day": "29", "month": "2", "year": "2028"}, strict=True)
    assert "real date" in refused(field, {"day": "29", "month": "2", "year": "2027"},
                                  strict=True)
    # The year's fault is named: a 2-digit year, or a real date outside the years kept.
    assert refused(field, {"day": "10", "month": "1", "year": "27"}, strict=True) \
        == "The date must have a 4-digit year, for example 2027"
    assert refused(field, {"day": "10", "month": "1", "year": "9999"}, strict=True) \
        == "The date must be in a year from 1900 to 2100"
    assert clean_answer(field, {"day": "31", "month": "", "year": ""}, strict=False)
    assert "must be numbers" in refused(field, {"day": "３"})  # full-width digit
    assert "must be numbers" in refused(field, {"year": "20270"})
    assert refused(field, {}, strict=True) == "Enter a date"


MATRIX = {"max_options": 3, "max_criteria": 2}


def test_decision_matrix_drops_blank_slots_with_their_ratings():
    field = spec("decision_matrix", required=True, **MATRIX)
    value = {
        "options": ["GP", "", "Psychiatry"],
        "criteria": [{"label": "Lifestyle", "weight": 5}, {"label": "", "weight": 3}],
        "scores": [[5, 1], [2, 2], [4, 3]],
    }
    cleaned = clean_answer(field, value, strict=True)
    assert cleaned == {"options": ["GP", "Psychiatry"],
                       "criteria": [{"label": "Lifestyle", "weight": 5}],
                       "scores": [[5], [4]]}
    assert [(r.option, r.total, r.rank) for r in matrix_results(cleaned)] == [
        ("GP", 25, 1), ("Psychiatry", 20, 2)]


def test_decision_matrix_limits_and_completeness():
    field = spec("decision_matrix", required=True, **MATRIX)
    assert "up to 3 options" in refused(field, {"options": ["a", "b", "c", "d"]})
    assert "from 1 to 5" in refused(field, {"options": ["a"], "criteria": [{"label": "x"}],
                                           "scores": [[7]]})
    partial = {"options": ["a", "b"], "criteria": [{"label": "x", "weight": 2}],
               "scores": [[1], [None]]}
    assert clean_answer(field, partial, strict=False)["scores"] == [[1], [None]]
    assert "every option" in refused(field, partial, strict=True)


def test_matrix_ties_share_a_rank():
    matrix = {"options": ["a", "b", "c"], "criteria": [{"label": "x", "weight": 2}],
              "scores": [[3], [3], [1]]}
    assert [r.rank for r in matrix_results(matrix)] == [1, 1, 3]


def test_clean_step_ignores_ids_that_are_not_its_fields():
    step = Step.model_validate({"id": "s", "title": "T", "guidance": "G", "fields": [
        {"id": "f", "type": "short_text", "label": "L"}]})
    result = clean_step(step, {"f": "kept", "is_admin": True, "version": 99}, strict=True)
    assert result.answers == {"f": "kept"}
    assert result.errors == {}


def test_read_step_reports_unreadable_values_per_field():
    step = Step.model_validate({"id": "s", "title": "T", "guidance": "G", "fields": [
        {"id": "r", "type": "ranking", "label": "L", "options": OPTIONS}]})
    answers, errors = read_step(MultiDict({"r--a": "1", "r--b": "1", "r--c": "1"}), step)
    assert "different number" in errors["r"]
    assert answers["r"] == {"a": "1", "b": "1", "c": "1"}  # shown again as typed
