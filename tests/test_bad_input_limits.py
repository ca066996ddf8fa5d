"""Input at the edges of size never gives a 500: numbers of thousands of digits, JSON
nested past the parser's depth, grids and lists far larger than a page shows, page
numbers past the database's integers, NUL in a search, and bodies past the size cap."""

from __future__ import annotations

import datetime as dt
import json
import tracemalloc
from urllib.parse import urlencode

import pytest

from careers_app.db import utcnow
from careers_app.errors import TOO_LARGE_MESSAGE
from careers_app.security import Role
from careers_app.text import NUL_MESSAGE
from careers_app.worksheets.autosave import MALFORMED, TOO_MANY_ANSWERS
from tests.coaching_steps import booking
from tests.test_coaching_pages import allocated, people  # noqa: F401 (a fixture)
from tests.workshop_steps import assign_form, the_workshop, workshop_form

HUGE = "9" * 5000  # int() refuses more than 4,300 digits with ValueError
WIDE = "\U0001f600"  # 4 bytes of UTF-8, 12 once a form post percent-encodes them


def fields_of(app, *types):
    """(module, step, field) for every field of the given types in modules/."""
    for module in app.extensions["modules"]:
        for step in module.steps:
            for spec in step.fields:
                if spec.type in types:
                    yield module, step, spec


def autosave(client, module, step, body: str):
    return client.post(f"/modules/{module.slug}/steps/{step.id}/autosave", data=body,
                       content_type="application/json")


def answers_body(answers_json: str, version: int = 0) -> str:
    """A body written by hand: json.dumps cannot write a 5,000-digit number either."""
    return f'{{"version": {version}, "answers": {answers_json}}}'


# -- numbers of 5,000 digits ----------------------------------------------------------

def test_huge_ratings_in_scales_get_a_field_message_from_autosave(app, client, trainee):
    seen = 0
    for module, step, spec in fields_of(app, "scale"):
        statement = json.dumps(spec.statements[0].value)
        for number in (HUGE, f'"{HUGE}"', f'"-{HUGE}"', '"\\u00b2"'):
            response = autosave(client, module, step,
                                answers_body(f'{{"{spec.id}": {{{statement}: {number}}}}}'))
            assert response.status_code == 422, (step.id, number[:8])
            assert "must be a number from 1 to 5" in response.json["errors"][spec.id]
            seen += 1
    assert seen >= 8


def test_huge_weights_and_scores_in_a_matrix_get_a_field_message(app, client, trainee):
    specs = list(fields_of(app, "decision_matrix"))
    assert len(specs) >= 3
    for module, step, spec in specs:
        for number in (HUGE, f'"{HUGE}"'):
            for weight, score in ((number, "3"), ("3", number)):
                matrix = (f'{{"options": ["A", "B"], "criteria": [{{"label": "Pay", '
                          f'"weight": {weight}}}], "scores": [[{score}], [2]]}}')
                response = autosave(client, module, step,
                                    answers_body(f'{{"{spec.id}": {matrix}}}'))
                assert response.status_code == 422, (step.id, weight[:5], score[:5])
                assert "must be a number from 1 to 5" in response.json["errors"][spec.id]


def test_huge_numbers_in_list_rows_and_versions_are_refused_cleanly(app, client, trainee):
    for module, step, spec in fields_of(app, "list", "action_table"):
        row = f'[{{"{"action" if spec.type == "action_table" else spec.columns[0].id}": {HUGE}}}]'
        response = autosave(client, module, step, answers_body(f'{{"{spec.id}": {row}}}'))
        assert response.status_code == 422, step.id
        assert "must be text" in response.json["errors"][spec.id]
    module, step, spec = next(fields_of(app, "list"))
    response = autosave(client, module, step, answers_body("{}", version=HUGE))  # type: ignore[arg-type]
    assert response.status_code == 400
    assert response.json["errors"]["request"] == MALFORMED


def step_form(client, module, step) -> dict[str, str]:
    """Every input of the step page with a harmless value, as a browser would post it."""
    page = client.get(f"/modules/{module.slug}/steps/{step.id}").get_data(as_text=True)
    version = page.split('name="version" value="')[1].split('"')[0]
    return {"version": version, "action": "later"}


@pytest.mark.parametrize("number", [HUGE, "\u00b2", "\u0663" * 5000])
def test_huge_numbers_in_step_forms_get_a_message_and_keep_the_page(app, client, trainee,
                                                                    number):
    checked = set()
    for module, step, spec in fields_of(app, "scale", "decision_matrix", "ranking"):
        form = step_form(client, module, step)
        if spec.type == "scale":
            form[f"{spec.id}--{spec.statements[0].value}"] = number
            message = "must be a number from 1 to 5"
        elif spec.type == "ranking":
            form.update({f"{spec.id}--{option.value}": number for option in spec.options})
            message = "Give each value a different number"
        else:
            form.update({f"{spec.id}--option--0": "Kept option", f"{spec.id}--criterion--0": "Pay",
                         f"{spec.id}--weight--0": number, f"{spec.id}--score--0--0": number})
            message = "must be a number from 1 to 5"
        response = client.post(f"/modules/{module.slug}/steps/{step.id}", data=form)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, (step.id, spec.id)
        assert "There is a problem" in page and message in page, (step.id, spec.id)
        if spec.type == "decision_matrix":
            assert 'value="Kept option"' in page
        checked.add(spec.type)
    assert checked == {"scale", "decision_matrix", "ranking"}


def test_huge_row_numbers_in_list_buttons_and_counters_are_ignored(app, client, trainee):
    for module, step, spec in fields_of(app, "list", "action_table"):
        form = step_form(client, module, step)
        first = "action" if spec.type == "action_table" else spec.columns[0].id
        form.update({f"{spec.id}--rows": HUGE, f"{spec.id}--0--{first}": "Kept row",
                     "action": f"remove-row--{spec.id}--{HUGE}"})
        response = client.post(f"/modules/{module.slug}/steps/{step.id}", data=form)
        assert response.status_code in (302, 400), (step.id, spec.id)
        if response.status_code == 302:
            page = client.get(f"/modules/{module.slug}/steps/{step.id}").get_data(as_text=True)
            assert 'Kept row' in page, (step.id, spec.id)


# -- JSON nested past the parser's depth ----------------------------------------------

@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_json_nested_1200_deep_gets_a_400_with_a_message(app, client, trainee, opening):
    closing = "]" if opening == "[" else "}"
    module, step, spec = next(fields_of(app, "scale"))
    deep = opening * 1200 + "1" + closing * 1200
    for body in (deep, answers_body(f'{{"{spec.id}": {deep}}}')):
        response = autosave(client, module, step, body)
        assert response.status_code == 400
        assert response.json["errors"]["request"] == MALFORMED


# -- grids, lists and answer objects larger than any page ------------------------------

def test_a_6000_by_6000_blank_matrix_is_refused_before_any_cell_is_read(app, client,
                                                                        trainee):
    module, step, spec = next(fields_of(app, "decision_matrix"))
    body = json.dumps({"version": 0, "answers": {spec.id: {
        "options": [""] * 6000, "criteria": [{"label": ""}] * 6000}}})
    tracemalloc.start()
    response = autosave(client, module, step, body)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert response.status_code == 422
    assert response.json["errors"][spec.id] == f"Compare up to {spec.max_options} options"
    # Before the check: about 5 s and 240 MB (36 million cells); now a few MB at most. The
    # memory is the measure: the cells never made are the time never spent, and unlike
    # the time it does not depend on how busy the machine is.
    assert peak < 30 * 1024 * 1024, peak


@pytest.mark.parametrize(("shape", "message"), [
    ({"options": ["A", "B"], "criteria": [{"label": "x"}] * 5000}, "factors"),
    ({"options": ["A", "B"], "criteria": [{"label": "x"}], "scores": [[1] * 5000]}, "factors"),
    ({"options": [], "criteria": [], "scores": [[]] * 5000}, "options"),
])
def test_other_oversized_matrices_are_refused(app, client, trainee, shape, message):
    module, step, spec = next(fields_of(app, "decision_matrix"))
    response = autosave(client, module, step, json.dumps(
        {"version": 0, "answers": {spec.id: shape}}))
    assert response.status_code == 422
    assert message in response.json["errors"][spec.id]


def test_lists_of_thousands_of_blank_rows_or_choices_are_refused(app, client, trainee):
    for module, step, spec in fields_of(app, "list", "action_table"):
        response = autosave(client, module, step, json.dumps(
            {"version": 0, "answers": {spec.id: [{}] * 100_000}}))
        assert response.status_code == 422, step.id
        assert response.json["errors"][spec.id] == f"You can add up to {spec.max_rows} rows"
    module, step, spec = next(fields_of(app, "multi_choice"))
    response = autosave(client, module, step, json.dumps(
        {"version": 0, "answers": {spec.id: {"selected": [spec.options[0].value] * 10_000}}}))
    assert response.status_code == 422
    assert response.json["errors"][spec.id] == "Choose from the options shown"


def test_an_answers_object_with_thousands_of_keys_is_refused(app, client, trainee):
    module, step, spec = next(fields_of(app, "short_text"))
    answers = {f"unknown-{n}": "x" for n in range(5000)} | {spec.id: "Not saved"}
    response = autosave(client, module, step, json.dumps({"version": 0, "answers": answers}))
    assert response.status_code == 422
    assert response.json["errors"]["request"] == TOO_MANY_ANSWERS
    page = client.get(f"/modules/{module.slug}/steps/{step.id}").get_data(as_text=True)
    assert "Not saved" not in page


# -- request bodies: the cap fits the largest real post and refuses the rest -------------

def _largest_inputs(spec) -> list[tuple[str, str]]:
    """Every input a step page can send for ``spec``, each at its longest."""
    largest = spec.kind.sample(spec, lambda limit, n: WIDE * limit, dt.date(2030, 12, 27),
                               full=True)
    return spec.kind.to_form(spec, largest)


def largest_step_post(step) -> list[tuple[str, str]]:
    inputs = [("csrf_token", "x" * 91), ("version", "999999999"), ("action", "later")]
    for spec in step.fields:
        inputs += _largest_inputs(spec)
    return inputs


def test_the_largest_real_step_post_fits_under_the_cap_and_saves(app, client, trainee):
    cap = app.config["MAX_CONTENT_LENGTH"]
    sizes = {(module.slug, step.id): len(urlencode(largest_step_post(step)).encode())
             for module in app.extensions["modules"] for step in module.steps}
    (slug, step_id), largest = max(sizes.items(), key=lambda item: item[1])
    assert largest <= cap, f"{slug}/{step_id} can post {largest:,} bytes; raise the cap"
    assert largest > cap // 4, "the cap is far above any real post: lower it"
    step = app.extensions["modules"].get(slug).step(step_id)
    form = dict(largest_step_post(step))
    form["version"] = "0"
    response = client.post(f"/modules/{slug}/steps/{step_id}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    longest = max(step.fields, key=lambda spec: spec.type == "long_text")
    page = client.get(f"/modules/{slug}/steps/{step_id}").get_data(as_text=True)
    assert WIDE * 100 in page and longest.id in page


def test_a_post_over_the_cap_gets_the_413_page(app, client, trainee):
    module, step, spec = next(fields_of(app, "long_text"))
    too_much = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(f"/modules/{module.slug}/steps/{step.id}",
                           data={"version": "0", "action": "later", spec.id: too_much})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Too much was sent at once" in page and "shorten the text" in page


def test_an_autosave_over_the_cap_gets_413_json_with_a_message(app, client, trainee):
    module, step, spec = next(fields_of(app, "long_text"))
    body = json.dumps({"version": 0, "answers": {
        spec.id: "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)}})
    response = autosave(client, module, step, body)
    assert response.status_code == 413
    assert response.json["errors"]["request"] == TOO_LARGE_MESSAGE


def multipart(parts: list[tuple[str, str]]) -> tuple[bytes, str]:
    boundary = "boundary0limits"
    chunks = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
              f"{value}\r\n" for name, value in parts]
    return ("".join(chunks) + f"--{boundary}--\r\n").encode(), \
        f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("parts", [
    [("version", "0"), ("action", "later")] + [(f"x{n}", "") for n in range(600)],
    [("version", "0"), ("action", "later"), ("big", "y" * (129 * 1024))],
])
def test_multipart_posts_past_the_part_limits_get_413(app, client, trainee, parts):
    module, step, spec = next(fields_of(app, "long_text"))
    body, content_type = multipart(parts)
    response = client.post(f"/modules/{module.slug}/steps/{step.id}", data=body,
                           content_type=content_type)
    assert response.status_code == 413
    assert "Too much was sent at once" in response.get_data(as_text=True)


def test_a_multipart_post_within_the_limits_still_saves(app, client, trainee):
    module, step, spec = next(fields_of(app, "long_text"))
    body, content_type = multipart([("version", "0"), ("action", "later"),
                                    (spec.id, "Sent as multipart " + "é" * 19_000)])
    response = client.post(f"/modules/{module.slug}/steps/{step.id}", data=body,
                           content_type=content_type)
    assert response.status_code == 302
    page = client.get(f"/modules/{module.slug}/steps/{step.id}").get_data(as_text=True)
    assert "Sent as multipart" in page


# -- the coordinators' user list --------------------------------------------------------

@pytest.fixture
def coordinator(make_user, sign_in):
    make_user("coordinator@example.org", full_name="Chris Coordinator",
              roles=(Role.COORDINATOR,))
    sign_in("coordinator@example.org")


@pytest.mark.parametrize("page", ["99999999999999999999", HUGE, "2", "0", "-1", "abc",
                                  "\u00b2", "%00"])
def test_user_list_pages_past_the_end_are_404(client, coordinator, page):
    response = client.get(f"/admin/users?page={page}")
    assert response.status_code == 404


def test_user_list_first_page_still_works(client, coordinator):
    for query in ("", "?page=1", "?page=", "?q=chris&page=1"):
        page = client.get(f"/admin/users{query}").get_data(as_text=True)
        assert "Chris Coordinator" in page, query


@pytest.mark.parametrize("query", ["%00", "a%00b", "%00%25"])
def test_a_nul_in_the_user_search_gets_a_message(client, coordinator, query):
    response = client.get(f"/admin/users?q={query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page and NUL_MESSAGE in page
    assert "matching" not in page


# -- numbers on coaching and workshop forms ----------------------------------------------

def test_huge_numbers_on_workshop_forms_get_a_page(app, make_user, sign_in):
    make_user("f@example.org", roles=(Role.FACILITATOR,))
    facilitator = app.test_client()
    sign_in("f@example.org", test_client=facilitator)
    assert facilitator.post("/workshops/new", data=workshop_form()).status_code == 302
    url = f"/workshops/{the_workshop(app).id}"
    for sort in (f"module-{HUGE}", "module-\u00b2", f"module-{'9' * 20}"):
        assert facilitator.get(url, query_string={"sort": sort}).status_code == 200, sort[:9]
    response = facilitator.post(url, data=assign_form("scan-1-self-awareness", days=HUGE))
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)
    for field, value in (("day--day", HUGE), ("day--year", HUGE), ("time", f"1:{HUGE}")):
        response = facilitator.post("/workshops/new", data={**workshop_form(), field: value})
        assert response.status_code == 200, field
        assert "There is a problem" in response.get_data(as_text=True)


def test_huge_numbers_on_coaching_forms_get_a_page(app, people):  # noqa: F811
    application = allocated(app, people)
    url = f"/coaching/caseload/{application.id}"
    start = utcnow() + dt.timedelta(days=2)
    for field in ("book-minutes", "book-day--day", "book-day--year", "book-time"):
        value = f"1:{HUGE}" if field == "book-time" else HUGE
        response = people["coach"].post(url, data=booking(start, **{field: value}))
        assert response.status_code == 200, field
        assert "There is a problem" in response.get_data(as_text=True), field
