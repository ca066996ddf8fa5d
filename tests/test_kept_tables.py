"""Kept tables (careers_app/kept_macros.py): a table drawn from its kept shape is exactly what the
NHS.UK table macro draws for the same words, and what is kept holds none of the words."""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from careers_app.fragments import slot
from careers_app.kept_macros import MACROS, kept_table

TRICKY = '<b>Bold</b> & "quotes" \'single\' \\ {{ not jinja }}'


def the_macro(app, params) -> str:
    return str(app.jinja_env.get_template(MACROS["table"][0]).module.table(params))


def tables() -> list[dict]:
    """Tables as the templates give them: every option the pages use, with awkward words."""
    link = Markup('<a href="/x">Alex <i>Trainee</i></a>')
    return [
        {"caption": {"text": "Your clients", "classes": "nhsuk-u-visually-hidden"},
         "responsive": True,
         "head": [{"text": "Client"}, {"text": "Status"}, {"text": "Allocated"}],
         "rows": [[{"html": link}, {"text": TRICKY}, {"text": "3 March 2027, 9:00"}],
                  [{"html": Markup("")}, {"text": ""}, {"text": None}]]},
        {"caption": {"text": TRICKY, "size": "s"}, "classes": "app-answer-table",
         "firstCellIsHeader": True,
         "head": [{"text": "Factor (importance)"}, {"text": TRICKY, "format": "numeric"}],
         "rows": [[{"text": "Lifestyle (5)"}, {"text": "5 × 3 = 15"}],
                  [{"text": "Total"}, {"html": Markup("<strong>15</strong>")}]]},
        {"caption": {"text": "Total for each option, highest first",
                     "classes": "nhsuk-u-visually-hidden"},
         "classes": "nhsuk-u-margin-bottom-3",
         "attributes": {"hidden": {"value": True, "optional": True},
                        "data-totals-table": {"value": True, "optional": True}},
         "head": [{"text": "Option"}, {"text": "Total", "format": "numeric"},
                  {"text": "Compared", "classes": "app-matrix-bar-header"}],
         "rows": [[{"text": "GP", "classes": "app-break"}, {"text": "0"},
                   {"html": Markup("<svg></svg>"), "classes": "app-matrix-bar-cell"}]]},
        {"responsive": True,
         "head": ["Name", {"html": Markup('<span class="nhsuk-u-visually-hidden">Action</span>')}],
         "rows": [["Priya Patel", {"html": link}]]},
        {"caption": "Progress", "firstCellIsHeader": True,
         "head": [{"text": "Member", "attributes": {"aria-sort": "ascending"}},
                  {"html": Markup("SCAN 1<br>due 1 May"), "attributes": {}}],
         "rows": [["Alex", {"html": Markup("<strong class='x'>Done</strong>")}],
                  ["Completed", "50%"]]},
    ]


@pytest.mark.parametrize("index", range(len(tables())))
def test_a_kept_table_is_what_the_macro_draws(app, index):
    params = tables()[index]
    with app.test_request_context():
        first = str(kept_table(params))
        again = str(kept_table(params))  # from the kept shape
        assert first == again == the_macro(app, params)
        assert "\ue000" not in first  # every slot filled


def test_words_over_several_lines_differ_only_in_the_spaces_the_macro_indents_by(app):
    params = {"head": ["Last reason"],
              "rows": [[{"html": Markup("<form>\n<button>Stop</button>\n</form>")}],
                       [{"text": "  padded  "}]]}
    with app.test_request_context():
        kept, drawn = str(kept_table(params)), the_macro(app, params)
    assert re.sub(r"\s+", " ", kept) == re.sub(r"\s+", " ", drawn)


def test_tables_of_one_shape_share_one_kept_entry_holding_none_of_their_words(app):
    kept = app.extensions["kept_macros"]
    with app.test_request_context():
        for name in ("Priya Patel", "Sam Jones", "Alex Trainee"):
            html = str(kept_table({"caption": f"Plans {name} shared",
                                   "head": ["Trainee", "Shared"],
                                   "rows": [[name, "1 May"], [f"{name} again", "2 May"]]}))
            assert name in html and f"Plans {name} shared" in html
        entries = kept.entries()
        assert len(entries) == 1
        for words in ("Priya", "Sam", "Alex", "Trainee", "Shared", "Plans", "May"):
            assert not any(words in html for html in entries.values()), words
        # Another number of rows is another shape.
        kept_table({"head": ["Trainee", "Shared"], "rows": [["Priya Patel", "1 May"]]})
        assert len(kept.entries()) == 2


def test_words_that_look_like_slots_stay_as_written(app):
    lookalike = slot("t0") + " and " + slot("t1")
    with app.test_request_context():
        html = str(kept_table({"head": ["A", "B"], "rows": [[lookalike, "second"]]}))
    assert html.count(lookalike) == 1 and html.count("second") == 1
    assert html.index(lookalike) < html.index("second")


def test_options_drawn_from_the_words_themselves_are_refused(app):
    with app.test_request_context(), pytest.raises(ValueError, match="scroll"):
        kept_table({"caption": "Anything", "scroll": True, "head": ["A"], "rows": [["a"]]})
