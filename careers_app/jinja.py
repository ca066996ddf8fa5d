"""Jinja set-up: our templates first, then the NHS.UK frontend macros."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from flask import Flask
from flask.templating import Environment
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    FileSystemLoader,
    PackageLoader,
    select_autoescape,
)
from wtforms.fields.choices import Choice

from careers_app.pdf import stylesheet_url
from careers_app.reading.preferences import DEFAULT as DEFAULT_PREFERENCES
from careers_app.text import render_markdown


class FlatGlobalsEnvironment(Environment):
    """Flask's Jinja environment, giving each template its globals as one plain dict.

    Jinja gives each template a ChainMap over the environment's globals, so that a global
    added later still shows. Every ``{% from ... import %}`` inside the NHS.UK macros then
    compares the importing template's globals with the imported one's, one ChainMap
    lookup per name, at every call: on a form page that was about a fifth of its time.
    Jinja asks not to change globals after a template is loaded, and ours are all set in
    create_app before anything renders, so a flat copy loses nothing.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def init_jinja(app: Flask) -> None:
    # Assigning jinja_loader (not jinja_options["loader"]) keeps Flask's own loader
    # semantics; the NHS.UK package's templates are reachable as "nhsuk/...".
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(app.template_folder),
            PackageLoader("nhsuk_frontend_jinja", package_path="templates"),
        ]
    )
    # Everything is escaped except plain-text emails (.txt). The NHS.UK macros are .jinja
    # files, which Flask would not autoescape: a trainee's answer passed as "text" would
    # otherwise be rendered as raw HTML. An email is not HTML: escaping it would send
    # "O&#39;Neil &amp; Sons" and "&amp;" inside links.
    app.jinja_env.autoescape = select_autoescape(
        enabled_extensions=(), disabled_extensions=("txt",),
        default_for_string=True, default=True)
    # The NHS.UK macros read optional nested params (params.search.action) unguarded.
    app.jinja_env.undefined = ChainableUndefined
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters.update(
        error_link=error_link, radio_item=radio_item, select_item=select_item,
        markdown=render_markdown,
    )
    app.jinja_env.globals["pdf_stylesheet"] = stylesheet_url
    app.jinja_env.globals["default_print_preferences"] = DEFAULT_PREFERENCES


def error_link(error: tuple[str, str]) -> dict[str, str]:
    """An error-summary entry that moves focus to the field in error."""
    field_id, message = error
    return {"text": message, "href": f"#{field_id}"} if field_id else {"text": message}


def radio_item(choice: Choice) -> dict[str, object]:
    """A WTForms choice as an NHS.UK radios or checkboxes item."""
    return {"value": choice.value, "text": choice.label, "checked": choice.selected}


def select_item(choice: Choice) -> dict[str, object]:
    """A WTForms choice as an NHS.UK select item."""
    return {"value": choice.value, "text": choice.label, "selected": choice.selected}
