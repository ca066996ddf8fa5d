"""The totals of the SCAN 3 decision matrix on its own step and on the gut-check step that
asks about them, as a page served without JavaScript shows them."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from careers_app.content.loader import ModuleError, load_registry
from tests.test_worksheets_pages import SCAN3, SCAN3_FORMS, post_step, stored

MATRIX_URL = f"/modules/{SCAN3}/steps/weigh-options"
GUT_CHECK_URL = f"/modules/{SCAN3}/steps/gut-and-reality-check"


class PanelText(HTMLParser):
    """The words a person sees in the element with one id: hidden parts left out."""

    def __init__(self, element_id: str):
        super().__init__()
        self.element_id = element_id
        self.stack: list[bool] = []  # per open element inside the panel: hidden?
        self.words: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.stack or attributes.get("id") == self.element_id:
            hidden = "hidden" in attributes or tag == "script" or (
                bool(self.stack) and self.stack[-1])
            self.stack.append(hidden)

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and not self.stack[-1]:
            self.words.extend(data.split())


def totals_text(response, panel_id: str) -> str:
    """The words of one totals panel as shown, spaces collapsed."""
    parser = PanelText(f"{panel_id}--totals")
    parser.feed(response.get_data(as_text=True))
    assert parser.words, f"no totals panel {panel_id}--totals on the page"
    return " ".join(parser.words)


def matrix_form(scores, weights=("5", "2"), names=("GP training", "Psychiatry training")):
    """A post of the matrix step: two factors, and each option's two likelihoods."""
    data = {"matrix--criterion--0": "Lifestyle", "matrix--criterion--1": "Teaching",
            "matrix--weight--0": weights[0], "matrix--weight--1": weights[1]}
    for i, (name, row) in enumerate(zip(names, scores, strict=True)):
        data[f"matrix--option--{i}"] = name
        for j, point in enumerate(row):
            data[f"matrix--score--{i}--{j}"] = point
    return data


def test_saved_totals_show_on_the_matrix_step_and_the_gut_check(app, client, trainee):
    # GP training 5×5 + 2×3 = 31; psychiatry 5×4 + 2×5 = 30.
    response = post_step(client, SCAN3, "weigh-options", SCAN3_FORMS["weigh-options"])
    assert response.status_code == 302
    assert response.headers["Location"] == GUT_CHECK_URL

    on_matrix = totals_text(client.get(MATRIX_URL), "matrix")
    assert on_matrix == ("Your totals GP training has the highest total: 31. "
                         "Total for each option, highest first Option Total "
                         "Compared with the highest GP training 31 Psychiatry training 30")

    gut_check = client.get(GUT_CHECK_URL)
    recap = totals_text(gut_check, "recap")
    assert recap == (
        "Your totals From step 4, Weigh up your options. Each option's total adds up "
        "importance × likelihood for every factor. GP training has the highest total: 31. "
        "Total for each option, highest first Option Total Compared with the highest "
        "GP training 31 "
        "Psychiatry training 30 Change your ratings in step 4, Weigh up your options")
    page = gut_check.get_data(as_text=True)
    # Beside each total, a bar as long as it is against the highest (31).
    bars = re.findall(r'class="app-matrix-bar"[^>]*><rect width="([0-9.]+)"', page)
    assert bars == ["100.0", "96.8"]
    # The guidance that asks for the totals comes before them, the questions after.
    assert (page.index("Look at your totals") < page.index('id="recap--totals"')
            < page.index("What is your honest reaction to the result?"))
    assert f'href="{MATRIX_URL}">Change your ratings' in page


def test_level_totals_are_called_level_and_keep_the_order_entered(app, client, trainee):
    # Psychiatry 5×4 + 2×5 = 30; GP 5×4 + 2×5 = 30; dermatology 5×1 + 2×1 = 7.
    form = matrix_form([["4", "5"], ["4", "5"], ["1", "1"]],
                       names=("Psychiatry training", "GP training", "Dermatology"))
    assert post_step(client, SCAN3, "weigh-options", form, action="later").status_code == 302
    for url, panel in [(MATRIX_URL, "matrix"), (GUT_CHECK_URL, "recap")]:
        text = totals_text(client.get(url), panel)
        assert ("Psychiatry training and GP training are level at the top, with 30 each."
                in text)
        assert "has the highest total" not in text
        assert ("Option Total Compared with the highest Psychiatry training 30 GP training 30 "
                "Dermatology 7") in text


def test_three_level_options_are_named_in_one_sentence(app, client, trainee):
    form = matrix_form([["2"], ["2"], ["2"]], weights=("3", ""), names=("A", "B", "C"))
    post_step(client, SCAN3, "weigh-options", form, action="later")
    assert "A, B and C are level at the top, with 6 each." in totals_text(
        client.get(GUT_CHECK_URL), "recap")


def test_blank_ratings_are_flagged_and_a_draft_still_adds_up(app, client, trainee):
    # A draft: psychiatry's teaching rating is blank and counts 0 (5×4 = 20).
    form = matrix_form([["5", "3"], ["4", ""]])
    assert post_step(client, SCAN3, "weigh-options", form, action="later").status_code == 302
    text = totals_text(client.get(MATRIX_URL), "matrix")
    assert "GP training has the highest total: 31." in text
    assert text.endswith("GP training 31 Psychiatry training 20 "
                         "Some ratings are still blank, so these totals may change.")
    draft = totals_text(client.get(GUT_CHECK_URL), "recap")
    assert "Psychiatry training 20 Some ratings are still blank" in draft
    post_step(client, SCAN3, "weigh-options", matrix_form([["5", "3"], ["4", "5"]]), version=1)
    finished = totals_text(client.get(GUT_CHECK_URL), "recap")
    assert "Psychiatry training 30" in finished and "still blank" not in finished


def test_before_anything_is_rated_the_pages_say_what_is_needed(app, client, trainee):
    assert "Name your options and rate them to see a total for each." in totals_text(
        client.get(GUT_CHECK_URL), "recap")
    post_step(client, SCAN3, "weigh-options", matrix_form([["", ""], ["", ""]],
                                                          weights=("", "")), action="later")
    assert ("Rate how important each factor is and how likely each option is to meet it."
            in totals_text(client.get(MATRIX_URL), "matrix"))
    post_step(client, SCAN3, "weigh-options", {"matrix--option--0": "GP training"}, version=1,
              action="later")
    text = totals_text(client.get(GUT_CHECK_URL), "recap")
    assert "Name at least 2 options to compare their totals." in text
    assert "Compared with the highest GP training 0 Change your ratings" in text


def test_a_refused_post_shows_the_totals_of_what_was_typed_or_none(app, client, trainee):
    post_step(client, SCAN3, "weigh-options", SCAN3_FORMS["weigh-options"])
    # Stale version: what was typed comes back (ratings as text) with its own totals.
    stale = post_step(client, SCAN3, "weigh-options", matrix_form([["1", "1"], ["5", "5"]]),
                      version=0)
    assert stale.status_code == 409
    assert "Psychiatry training has the highest total: 35." in totals_text(stale, "matrix")
    # A rating no select offers cannot be added up: no totals, and no error page.
    odd = post_step(client, SCAN3, "weigh-options", matrix_form([["9", "1"], ["5", "5"]]),
                    version=1)
    assert odd.status_code == 400
    text = totals_text(odd, "matrix")
    assert text.startswith("Your totals Your totals will show here once the answers above")
    assert "Psychiatry" not in text
    assert stored(app, trainee.id, SCAN3, "weigh-options")[1] == 1


def test_option_names_are_shown_as_text(app, client, trainee):
    form = matrix_form([["5", "5"], ["1", "1"]], names=("<b>GP</b> & co", "Other"))
    post_step(client, SCAN3, "weigh-options", form)
    page = client.get(GUT_CHECK_URL).get_data(as_text=True)
    assert "&lt;b&gt;GP&lt;/b&gt; &amp; co has the highest total: 35." in page
    assert "<b>GP</b>" not in page


def test_the_script_is_loaded_only_on_the_matrix_step(app, client, trainee):
    assert "js/matrix-totals.js" in client.get(MATRIX_URL).get_data(as_text=True)
    assert "js/matrix-totals.js" not in client.get(GUT_CHECK_URL).get_data(as_text=True)
    assert "js/matrix-totals.js" not in client.get(
        f"/modules/{SCAN3}/steps/shortlist").get_data(as_text=True)


@pytest.mark.parametrize("source", ["gut-and-reality-check", "decision-style", "nowhere"])
def test_totals_can_come_only_from_an_earlier_matrix_step(tmp_path, source):
    text = (
        "slug: m\ntitle: M\nsummary: S\nstage: A\naudiences: [all]\nminutes: 5\nversion: 1\n"
        "steps:\n"
        "  - id: decision-style\n    title: One\n    guidance: G\n    fields:\n"
        "      - {id: f, type: short_text, label: L}\n"
        "  - id: weigh\n    title: Two\n    guidance: G\n    fields:\n"
        "      - {id: matrix, type: decision_matrix, label: L}\n"
        "  - id: gut-and-reality-check\n    title: Three\n    guidance: G\n"
        f"    show_totals_from: {source}\n    fields:\n"
        "      - {id: g, type: long_text, label: L}\n"
    )
    (tmp_path / "m.yaml").write_text(text)
    with pytest.raises(ModuleError, match="show_totals_from must name an earlier step with a "
                                          "decision_matrix field"):
        load_registry(tmp_path)
    (tmp_path / "m.yaml").write_text(text.replace(f"show_totals_from: {source}",
                                                  "show_totals_from: weigh"))
    assert load_registry(tmp_path).get("m").step("gut-and-reality-check").show_totals_from


@pytest.mark.parametrize("name", ["GP\x00training", "G" * 100_000])
def test_a_name_that_cannot_be_saved_gives_a_message_not_totals(app, client, trainee, name):
    page = post_step(client, SCAN3, "weigh-options",
                     matrix_form([["5", "5"], ["1", "1"]], names=(name, "Other")))
    assert page.status_code == 400
    assert totals_text(page, "matrix") == (
        "Your totals Your totals will show here once the answers above can be saved.")
