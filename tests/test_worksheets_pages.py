"""Step pages with JavaScript off: every field type saved, shown again and summarised."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from careers_app.extensions import db
from careers_app.worksheets.models import ModuleProgress, StepAnswer
from tests.sql_statements import count_queries

SCAN1 = "scan-1-self-awareness"
SCAN3 = "scan-3-arriving-at-a-decision"


def stored(app, user_id, slug, step_id):
    with app.app_context():
        row = db.session.execute(select(StepAnswer).where(
            StepAnswer.user_id == user_id, StepAnswer.module_slug == slug,
            StepAnswer.step_id == step_id)).scalar_one_or_none()
        return (row.answers, row.version, row.completed) if row else None


def text_of(response) -> str:
    return response.get_data(as_text=True)


def post_step(client, slug, step_id, data, version=0, action="continue"):
    return client.post(f"/modules/{slug}/steps/{step_id}",
                       data={"version": str(version), "action": action, **data})


# One complete, valid answer for every step of both modules, as a browser posts them.
SCAN3_FORMS = {
    "shortlist": {"shortlist--rows": "2", "shortlist--0--option": "GP training",
                  "shortlist--0--appeal": "Continuity of care",
                  "shortlist--0--still-to-find-out": "Day to day work",
                  "shortlist--1--option": "Psychiatry training"},
    "decision-style": {"style": "intuitive", "past-decision": "I talked it through",
                       "blocks": ""},
    "pros-and-cons": {"pros-cons--rows": "1", "pros-cons--0--option": "GP training",
                      "pros-cons--0--pros": "Variety", "pros-cons--0--cons": "Isolation"},
    "weigh-options": {
        "matrix--option--0": "GP training", "matrix--option--1": "Psychiatry training",
        "matrix--criterion--0": "Lifestyle", "matrix--weight--0": "5",
        "matrix--criterion--1": "Teaching", "matrix--weight--1": "2",
        "matrix--score--0--0": "5", "matrix--score--0--1": "3",
        "matrix--score--1--0": "4", "matrix--score--1--1": "5",
    },
    "gut-and-reality-check": {"gut-feeling": "Relieved", "reality-check": "Competition"},
    "your-decision": {"first-choice": "GP training", "reasons": "Variety",
                      "back-up-plan": "A year in a clinical fellow post"},
    "first-actions": {"actions--rows": "1", "actions--0--action": "Book a taster day",
                      "actions--0--measure": "Date in diary",
                      "actions--0--support": "Supervisor",
                      "actions--0--target--day": "14", "actions--0--target--month": "3",
                      "actions--0--target--year": "2027"},
    "support-and-review": {"supporters": ["careers-coach", "mentor", "other"],
                           "supporters--other": "My aunt, a GP",
                           "review-date--day": "1", "review-date--month": "6",
                           "review-date--year": "2027"},
}


def scan1_forms(app):
    """Valid posts for SCAN 1, built from the module so they follow its options."""
    module = app.extensions["modules"].get(SCAN1)
    forms = {}
    for step in module.steps:
        data: dict[str, object] = {}
        for spec in step.fields:
            if spec.type in {"short_text", "long_text"}:
                data[spec.id] = f"My answer to {spec.id}"
            elif spec.type == "choice":
                data[spec.id] = spec.options[-1].value
            elif spec.type == "multi_choice":
                data[spec.id] = [spec.options[0].value, spec.options[1].value]
            elif spec.type == "scale":
                for number, statement in enumerate(spec.statements):
                    data[f"{spec.id}--{statement.value}"] = str(number % 5 + 1)
            elif spec.type == "ranking":
                count = len(spec.options)
                for number, option in enumerate(spec.options):
                    data[f"{spec.id}--{option.value}"] = str(count - number)
            elif spec.type == "list":
                data[f"{spec.id}--rows"] = "1"
                for column in spec.columns:
                    data[f"{spec.id}--0--{column.id}"] = f"Row text {column.id}"
            elif spec.type == "date":
                data.update({f"{spec.id}--day": "2", f"{spec.id}--month": "2",
                             f"{spec.id}--year": "2027"})
            else:
                raise AssertionError(f"add a valid answer for {spec.type} to this test")
        forms[step.id] = data
    return forms


def test_catalogue_groups_modules_by_scan_stage_with_time_and_status(app, client, trainee):
    page = text_of(client.get("/modules/?audience=all"))
    self_awareness = page.index("SCAN stage 1: Self awareness")
    decision = page.index("SCAN stage 3: Arriving at a decision")
    assert self_awareness < page.index("SCAN 1: Self awareness") < decision
    assert decision < page.index("SCAN 3: Arriving at a decision")
    assert "About 60 minutes" in page
    assert page.count("Not started") == len(app.extensions["modules"])


def test_catalogue_filters_by_audience(app, client, trainee, tmp_path):
    for slug, audience, stage in [("for-all", "all", "S"), ("for-consultants", "consultant",
                                                             "interview")]:
        (tmp_path / f"{slug}.yaml").write_text(
            f"slug: {slug}\ntitle: Module {slug}\nsummary: About {slug}\nstage: {stage}\n"
            f"audiences: [{audience}]\nminutes: 20\nversion: 1\nsteps:\n"
            "  - id: one\n    title: One\n    guidance: Do it\n    fields:\n"
            "      - id: f\n        type: short_text\n        label: Say\n")
    app.extensions["modules"] = __import__(
        "careers_app.content.loader", fromlist=["load_registry"]).load_registry(tmp_path)
    everyone = text_of(client.get("/modules/?audience=all"))
    assert "Module for-all" in everyone and "Module for-consultants" in everyone
    pharmacy = text_of(client.get("/modules/?audience=pharmacy"))
    assert "Module for-all" in pharmacy and "Module for-consultants" not in pharmacy
    consultant = text_of(client.get("/modules/?audience=consultant"))
    assert "Preparing for interviews" in consultant and "Module for-consultants" in consultant
    assert client.get("/modules/?audience=%00<script>").status_code == 200


def percent_done(app, slug, steps_done):
    return round(100 * steps_done / len(app.extensions["modules"].get(slug).steps))


def test_step_page_shows_position_guidance_example_and_buttons(app, client, trainee):
    module = app.extensions["modules"].get(SCAN3)
    position = [step.id for step in module.steps].index("weigh-options") + 1
    page = text_of(client.get(f"/modules/{SCAN3}/steps/weigh-options"))
    assert f"Step {position} of {len(module.steps)}" in page
    assert "This tool compares up to 3 options" in page
    assert "See an example" in page and "Tom rated" in page
    assert "Save and continue" in page and "Save and come back later" in page
    assert "Previous step" in page
    # Suggested factors from the module file fill the first empty matrix.
    assert 'value="Fits my top values"' in page


def test_every_scan3_step_round_trips_and_shows_on_the_summary(app, client, trainee):
    for step_id, data in SCAN3_FORMS.items():
        response = post_step(client, SCAN3, step_id, data)
        assert response.status_code == 302, (step_id, text_of(response)[:2000])
    answers = {step: stored(app, trainee.id, SCAN3, step)[0] for step in SCAN3_FORMS}
    assert answers["shortlist"]["shortlist"][1] == {
        "option": "Psychiatry training", "appeal": "", "still-to-find-out": ""}
    assert answers["weigh-options"]["matrix"]["scores"] == [[5, 3], [4, 5]]
    assert answers["first-actions"]["actions"][0]["target"] == {
        "day": "14", "month": "3", "year": "2027"}
    assert answers["support-and-review"]["supporters"] == {
        "selected": ["careers-coach", "mentor", "other"], "other": "My aunt, a GP"}

    # Shown again on the step pages exactly as saved.
    shortlist = text_of(client.get(f"/modules/{SCAN3}/steps/shortlist"))
    assert 'value="Continuity of care"' in shortlist
    support = text_of(client.get(f"/modules/{SCAN3}/steps/support-and-review"))
    assert 'value="My aunt, a GP"' in support
    assert re.search(r'value="mentor"[^>]*checked', support)

    summary = text_of(client.get(f"/modules/{SCAN3}/summary"))
    assert "Psychiatry training" in summary and "Continuity of care" in summary
    # Matrix: 5x5 + 2x3 = 31 for GP, 5x4 + 2x5 = 30 for psychiatry.
    assert "5 × 5 = 25" in summary
    assert re.search(r"GP training: 31</li>\s*<li>Psychiatry training: 30", summary)
    assert "14 March 2027" in summary and "1 June 2027" in summary
    assert "A careers coach or adviser" in summary and "Other: My aunt, a GP" in summary
    assert "Intuitive" in summary
    change = f"/modules/{SCAN3}/steps/weigh-options?return=summary#matrix--option--0"
    assert f'href="{change}"' in summary


def test_every_scan1_step_round_trips_with_values_order_and_ratings_chart(app, client,
                                                                          trainee):
    module = app.extensions["modules"].get(SCAN1)
    for step_id, data in scan1_forms(app).items():
        response = post_step(client, SCAN1, step_id, data)
        assert response.status_code == 302, (step_id, text_of(response)[:3000])
    values_step = next(s for s in module.steps if any(f.type == "ranking" for f in s.fields))
    ranking = next(f for f in values_step.fields if f.type == "ranking")
    saved_order = stored(app, trainee.id, SCAN1, values_step.id)[0][ranking.id]
    assert saved_order == [option.value for option in reversed(ranking.options)]

    summary = text_of(client.get(f"/modules/{SCAN1}/summary"))
    labels = [option.label for option in reversed(ranking.options)]
    positions = [summary.index(f"<li>{label}</li>") for label in labels]
    assert positions == sorted(positions), "values shown in the trainee's order"
    assert '<svg class="app-chart"' in summary and 'role="img"' in summary
    assert "Your ratings (1 means" in summary  # the text equivalent of the chart
    step_page = text_of(client.get(f"/modules/{SCAN1}/steps/{values_step.id}"))
    first = ranking.options[-1]
    assert re.search(rf'name="{ranking.id}--{first.value}">\s*<option value="">Number</option>'
                     rf'\s*<option value="1" selected>', step_page)


def test_required_answers_are_asked_for_but_the_draft_is_saved(app, client, trainee):
    response = post_step(client, SCAN3, "your-decision", {
        "first-choice": "", "reasons": "Because I like it", "back-up-plan": ""})
    page = text_of(response)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert 'href="#first-choice"' in page and 'href="#back-up-plan"' in page
    assert "Because I like it" in page
    assert "Error: Your decision and back-up plan" in page
    answers, version, completed = stored(app, trainee.id, SCAN3, "your-decision")
    assert answers["reasons"] == "Because I like it" and version == 1 and not completed
    assert 'name="version" value="1"' in page


def test_save_and_come_back_later_skips_required_checks(app, client, trainee):
    response = post_step(client, SCAN3, "your-decision", {"reasons": "Half done"},
                         action="later")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/modules/{SCAN3}/")
    start = text_of(client.get(f"/modules/{SCAN3}/"))
    assert "Your answers have been saved" in start
    assert "In progress" in start
    assert stored(app, trainee.id, SCAN3, "your-decision")[0]["reasons"] == "Half done"


def test_previous_saves_and_goes_back(app, client, trainee):
    response = post_step(client, SCAN3, "decision-style", {"past-decision": "Typed"},
                         action="previous")
    assert response.headers["Location"].endswith(f"/modules/{SCAN3}/steps/shortlist")
    assert stored(app, trainee.id, SCAN3, "decision-style")[0]["past-decision"] == "Typed"


def test_bad_values_are_refused_with_the_typed_text_kept(app, client, trainee):
    response = post_step(client, SCAN3, "your-decision", {
        "first-choice": "x" * 201, "reasons": "word " * 201, "back-up-plan": "ok\x00"})
    page = text_of(response)
    assert response.status_code == 400
    assert "200 characters or fewer (it has 201)" in page
    assert "200 words or fewer (it has 201)" in page
    assert "invisible control character" in page
    assert "x" * 201 in page
    assert stored(app, trainee.id, SCAN3, "your-decision") is None


def test_a_wrong_option_is_refused(app, client, trainee):
    response = post_step(client, SCAN3, "decision-style", {"style": "reckless"})
    assert response.status_code == 400
    assert "Choose one of the options shown" in text_of(response)
    assert stored(app, trainee.id, SCAN3, "decision-style") is None


def test_a_stale_form_keeps_the_typed_text_and_does_not_overwrite(app, client, trainee):
    post_step(client, SCAN3, "your-decision", {"first-choice": "From tab one"}, action="later")
    response = post_step(client, SCAN3, "your-decision", {"first-choice": "From tab two"},
                         version=0, action="later")
    page = text_of(response)
    assert response.status_code == 409
    assert "changed in another tab or on another device" in page
    assert 'value="From tab two"' in page and 'name="version" value="1"' in page
    assert stored(app, trainee.id, SCAN3, "your-decision")[0]["first-choice"] == "From tab one"
    # Saving again from the re-shown page is a deliberate choice, and it is accepted.
    post_step(client, SCAN3, "your-decision", {"first-choice": "From tab two"}, version=1,
              action="later")
    assert stored(app, trainee.id, SCAN3, "your-decision")[0]["first-choice"] == "From tab two"


def test_add_and_remove_rows_without_javascript(app, client, trainee):
    data = {"shortlist--rows": "1", "shortlist--0--option": "GP training"}
    response = post_step(client, SCAN3, "shortlist", data, action="add-row--shortlist")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("?add=shortlist#shortlist--1--option")
    page = text_of(client.get(f"/modules/{SCAN3}/steps/shortlist?add=shortlist"))
    assert 'name="shortlist--rows" value="2"' in page and 'id="shortlist--1--option"' in page

    data = {"shortlist--rows": "2", "shortlist--0--option": "GP training",
            "shortlist--1--option": "Psychiatry"}
    response = post_step(client, SCAN3, "shortlist", data, version=1,
                         action="remove-row--shortlist--0")
    assert response.status_code == 302
    rows = stored(app, trainee.id, SCAN3, "shortlist")[0]["shortlist"]
    assert [row["option"] for row in rows] == ["Psychiatry"]


def test_unknown_module_or_step_is_404(client, trainee):
    assert client.get("/modules/no-such-module/").status_code == 404
    assert client.get(f"/modules/{SCAN3}/steps/no-such-step").status_code == 404
    assert client.post(f"/modules/{SCAN3}/steps/no-such-step", data={}).status_code == 404
    assert client.get("/modules/no-such-module/summary").status_code == 404


def test_nobody_sees_another_persons_answers(app, client, trainee, make_user, sign_in):
    post_step(client, SCAN3, "your-decision", {"first-choice": "Private choice"},
              action="later")
    make_user("other@example.org")
    other = app.test_client()
    sign_in("other@example.org", test_client=other)
    assert "Private choice" not in text_of(other.get(f"/modules/{SCAN3}/steps/your-decision"))
    assert "Private choice" not in text_of(other.get(f"/modules/{SCAN3}/summary"))
    assert "Private choice" not in text_of(other.get("/dashboard"))


def test_continue_goes_to_the_first_unfinished_step(app, client, trainee):
    post_step(client, SCAN3, "shortlist", SCAN3_FORMS["shortlist"])
    post_step(client, SCAN3, "gut-and-reality-check", SCAN3_FORMS["gut-and-reality-check"])
    response = client.get(f"/modules/{SCAN3}/continue")
    assert response.headers["Location"].endswith(f"/modules/{SCAN3}/steps/decision-style")
    start = text_of(client.get(f"/modules/{SCAN3}/"))
    assert "Continue" in start
    assert f"{percent_done(app, SCAN3, 2)}% of steps done" in start


def test_completion_needs_every_step_then_suggests_the_next_stage(app, client, trainee):
    refused = client.post(f"/modules/{SCAN3}/summary", data={})
    assert refused.status_code == 400
    assert "Finish the step &#39;Your shortlist of options&#39;" in text_of(refused)
    for step_id, data in SCAN3_FORMS.items():
        post_step(client, SCAN3, step_id, data)
    response = client.post(f"/modules/{SCAN3}/summary", data={})
    assert response.headers["Location"].endswith(f"/modules/{SCAN3}/complete")
    done = text_of(client.get(f"/modules/{SCAN3}/complete"))
    assert "Module complete" in done and "SCAN 1: Self awareness" in done
    assert "Completed" in text_of(client.get("/modules/"))
    dashboard = text_of(client.get("/dashboard"))
    assert "Your next SCAN stage is" in dashboard and "SCAN 1: Self awareness" in dashboard
    # Emptying a required answer later makes the module incomplete again.
    post_step(client, SCAN3, "your-decision", {"first-choice": ""}, version=1, action="later")
    with app.app_context():
        progress = db.session.execute(select(ModuleProgress)).scalar_one()
        steps = len(app.extensions["modules"].get(SCAN3).steps)
        assert progress.completed_at is None and progress.steps_completed == steps - 1


def test_dashboard_lists_modules_in_progress_with_percentage(app, client, trainee):
    post_step(client, SCAN1, "why-now", {}, action="later")
    post_step(client, SCAN3, "shortlist", SCAN3_FORMS["shortlist"])
    page = text_of(client.get("/dashboard"))
    assert "Carry on where you left off" in page
    steps = len(app.extensions["modules"].get(SCAN3).steps)
    assert (f'<progress class="app-progress" max="{steps}" value="1" aria-labelledby='
            f'"progress-{SCAN3}-title progress-{SCAN3}-text">{percent_done(app, SCAN3, 1)}%'
            in page)
    assert f"1 of {steps} steps done" in page
    scan1_steps = len(app.extensions["modules"].get(SCAN1).steps)
    assert f'<progress class="app-progress" max="{scan1_steps}" value="0"' in page
    assert f'href="/modules/{SCAN3}/continue"' in page
    assert "Your current SCAN stage is" in page


@pytest.mark.parametrize("url", ["/dashboard", "/modules/", f"/modules/{SCAN3}/",
                                 f"/modules/{SCAN3}/summary"])
def test_query_count_does_not_grow_with_what_a_person_has_done(app, client, trainee, url):
    before = count_queries(app, client, url)
    for step_id, data in SCAN3_FORMS.items():
        post_step(client, SCAN3, step_id, data)
    for step_id, data in scan1_forms(app).items():
        post_step(client, SCAN1, step_id, data)
    after = count_queries(app, client, url)
    assert after == before
    # The dashboard also reads the plan's actions (to list those due soon), the
    # person's workshops (for the modules they set) and their coaching application.
    assert after <= (7 if url == "/dashboard" else 4)


def test_change_on_check_your_answers_comes_back_there_after_saving(app, client, trainee):
    """The NHS.UK pattern: "Change", then "Save and continue", returns to Check your
    answers; it went on to the next step."""
    for step_id, data in SCAN3_FORMS.items():
        assert post_step(client, SCAN3, step_id, data).status_code == 302
    summary = text_of(client.get(f"/modules/{SCAN3}/summary"))
    change = re.search(r'href="(/modules/[^"#]+/steps/shortlist\?return=summary)#', summary)
    assert change, "the Change link says where to come back to"
    step_page = text_of(client.get(change.group(1)))
    assert f'action="/modules/{SCAN3}/steps/shortlist?return=summary"' in step_page
    version = stored(app, trainee.id, SCAN3, "shortlist")[1]
    saved = client.post(change.group(1), data={
        "version": str(version), "action": "continue",
        **{**SCAN3_FORMS["shortlist"], "shortlist--1--option": "Psychiatry, then GP"}})
    assert saved.status_code == 302
    assert saved.headers["Location"] == f"/modules/{SCAN3}/summary"
    assert "Psychiatry, then GP" in text_of(client.get(f"/modules/{SCAN3}/summary"))
    # Opened any other way, the step still leads on to the next one.
    onward = post_step(client, SCAN3, "shortlist", SCAN3_FORMS["shortlist"], version + 1)
    assert onward.headers["Location"] != f"/modules/{SCAN3}/summary"
