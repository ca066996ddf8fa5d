"""Jinja set-up: our templates first, then the NHS.UK frontend macros."""

from __future__ import annotations

from collections.abc import Hashable, MutableMapping
from typing import Any

from flask import Flask, has_request_context, request
from flask.templating import Environment
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    FileSystemLoader,
    PackageLoader,
    select_autoescape,
)
from markupsafe import Markup, escape
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
        markdown=render_markdown, typed_text=typed_text, typed_block=typed_block,
    )
    app.jinja_env.globals["pdf_stylesheet"] = stylesheet_url
    app.jinja_env.globals["default_print_preferences"] = DEFAULT_PREFERENCES
    app.jinja_env.globals["url_for"] = KeptUrls(app).url_for


def typed_text(value: object) -> Markup:
    """What a person typed, escaped, for an element that keeps its line breaks.

    The NHS.UK macros indent every line of what they are given (``| indent``), which put
    spaces at the start of each new paragraph of an answer shown in a summary list. A
    line break written as a character reference is not a line to Jinja, and the browser
    shows it as the same break.
    """
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return escape(text).replace("\n", Markup("&#10;"))


def typed_block(value: object) -> Markup:
    """What a person typed, as a block that keeps its line breaks: for a macro's "html"."""
    return Markup('<div class="app-answer-text">%s</div>') % typed_text(value)


class KeptUrls:
    """``url_for`` for templates, keeping each path it builds.

    A page builds about twenty links (stylesheets, scripts, the header's navigation,
    its own form), each through Werkzeug's URL map: about a tenth of a step page's time.
    A path depends only on the endpoint, its arguments and where the app is mounted, so
    it is built once. Only the route's own arguments are kept, as short strings or
    numbers: a query-string value (a sign-in page's ``next``, taken from the request)
    would let anyone fill the memory with whatever they sent, so such links, links
    relative to the current blueprint (".index"), full URLs and links built outside a
    request are built each time, as Flask would.
    """

    MAX_ENTRIES = 4096
    LONGEST_VALUE = 64

    def __init__(self, app: Flask) -> None:
        self._build = app.url_for
        self._url_map = app.url_map
        self._arguments: dict[str, frozenset[str]] = {}
        self._paths: dict[Hashable, str] = {}

    def url_for(self, endpoint: str, /, **values: Any) -> str:
        if not self._keepable(endpoint, values):
            return self._build(endpoint, **values)
        key = (request.script_root, endpoint, frozenset(values.items()))
        path = self._paths.get(key)
        if path is None:
            path = self._build(endpoint, **values)
            if len(self._paths) >= self.MAX_ENTRIES:
                self._paths.clear()  # links with ids in them (shares, steps) come and go
            self._paths[key] = path
        return path

    def _keepable(self, endpoint: str, values: dict[str, Any]) -> bool:
        if endpoint.startswith(".") or not has_request_context():  # emails: full URLs
            return False
        arguments = self._arguments.get(endpoint)
        if arguments is None:
            try:
                rules = list(self._url_map.iter_rules(endpoint))
            except KeyError:  # no such endpoint: Flask raises its BuildError
                return False
            arguments = frozenset().union(*(rule.arguments for rule in rules))
            self._arguments[endpoint] = arguments
        for name, value in values.items():
            if name in ("_external", "_scheme"):
                return False
            if name not in arguments and name != "_anchor":
                return False
            if type(value) is not int and not (  # bool is not int here: True is not 1
                    type(value) is str and len(value) <= self.LONGEST_VALUE):
                return False
        return True


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
