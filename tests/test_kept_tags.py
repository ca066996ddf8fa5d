"""Kept tags (careers_app/kept_macros.py): a tag drawn from its kept markup is exactly what the
NHS.UK tag macro draws for the same words, and what is kept holds none of the words."""

from __future__ import annotations

import pytest

from careers_app.kept_macros import MACROS, kept_tag

WORDS = ["Completed", "In progress: 40% done", '<b>Bold</b> & "quotes" \'single\'',
         "  padded  ", "\ue000slot:text\ue001"]
CLASSES = ["", "nhsuk-tag--green", "nhsuk-tag--grey app-heading-tag"]


@pytest.mark.parametrize("classes", CLASSES)
@pytest.mark.parametrize("words", WORDS)
def test_a_kept_tag_is_what_the_macro_draws(app, words, classes):
    with app.test_request_context():
        macro = app.jinja_env.get_template(MACROS["tag"][0]).module.tag(
            {"text": words, **({"classes": classes} if classes else {})})
        assert str(kept_tag(words, classes)) == str(macro)
        assert str(kept_tag(words, classes)) == str(macro)  # drawn again from what is kept


def test_words_over_two_lines_differ_only_in_the_indent_of_the_second(app):
    with app.test_request_context():
        macro = str(app.jinja_env.get_template(MACROS["tag"][0]).module.tag(
            {"text": "two\nlines"}))
        assert str(kept_tag("two\nlines")) == macro.replace("\n  lines", "\nlines")


def test_what_is_kept_holds_no_words_and_one_entry_per_colour(app):
    with app.test_request_context():
        for words in ("Overdue", "Over 14 days", "Alex Trainee's status"):
            kept_tag(words, "nhsuk-tag--red")
        kept = app.extensions["kept_macros"].entries()
    assert len(kept) == 1
    assert not any(word in html for html in kept.values()
                   for word in ("Overdue", "Over", "Alex"))


def test_an_undefined_class_is_no_class(app):
    # {{ kept_tag(label, "nhsuk-tag--grey" if closed) }}: Jinja passes Undefined when open.
    template = app.jinja_env.from_string('{{ kept_tag("Open", "x" if closed) }}')
    with app.test_request_context():
        assert 'class="nhsuk-tag"' in template.render(closed=False)
