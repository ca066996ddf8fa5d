"""Kept summary lists, back links, skip links and inset text (careers_app/kept_macros.py):
drawn from the kept shape, each is exactly what its NHS.UK macro draws for the same
words, and what is kept holds none of the words."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from careers_app.kept_macros import MACROS, kept

TRICKY = '<b>Bold</b> & "quotes" \'single\' {{ not jinja }}'

CASES = [
    ("summary_list", {"border": False, "classes": "nhsuk-u-margin-bottom-2", "rows": [
        {"key": {"text": "Target date"}, "value": {"text": "1 May 2027"}},
        {"key": {"text": "Status"}, "value": {"html": Markup(
            '<strong class="nhsuk-tag">Done</strong>')}},
        {"key": {"text": "Support or resources"},
         "value": {"html": Markup('<span class="app-answer-text">') + TRICKY
                   + Markup("</span>")}}]}),
    ("summary_list", {"rows": [{"key": {"text": TRICKY}, "value": {"text": ""}}]}),
    ("back_link", {"href": "/modules/scan-1-self-awareness/steps/why-now",
                   "text": "Previous step"}),
    ("back_link", {"href": "/modules/", "text": TRICKY}),
    ("skip_link", {"href": "#maincontent", "text": "Skip to main content"}),
    ("inset_text", {"id": "chosen-specialty", "html": Markup(
        '<h3 class="nhsuk-heading-xs">') + TRICKY + Markup("</h3><p>Nothing yet.</p>")}),
]


@pytest.mark.parametrize(("component", "params"), CASES)
def test_a_kept_component_is_what_the_macro_draws(app, component, params):
    template, macro = MACROS[component]
    with app.test_request_context():
        drawn = str(getattr(app.jinja_env.get_template(template).module, macro)(params))
        assert str(kept(component, params)) == drawn
        assert str(kept(component, params)) == drawn  # from the kept shape


def test_summary_lists_of_one_shape_share_one_entry_holding_none_of_their_words(app):
    with app.test_request_context():
        for words in ("Book a taster week", "Ask Dr Okafor about rotas"):
            html = str(kept("summary_list", {"rows": [
                {"key": {"text": "How I will know it is done"}, "value": {"text": words}}]}))
            assert words in html
        entries = app.extensions["kept_macros"].entries()
    assert len(entries) == 1
    assert not any(words in html for html in entries.values()
                   for words in ("taster", "Okafor", "How I will know"))
