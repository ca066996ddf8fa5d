"""Rendered HTML that many requests share, kept in each process.

Most of a page's time goes on Jinja running the NHS.UK macros: the header, the footer and
the markup of the form fields. Their output depends on a few inputs (a name and the
navigation; a field's definition), so each distinct set of inputs is rendered once and
the HTML reused. A key holds every input the fragment is drawn from, so two people get
the same fragment only where their pages would be identical anyway.

A form that shows only its defaults (the workshop page's "assign a module") is kept
the same way, without its CSRF token, until it is posted; then it is drawn with what
was typed and its errors, and that is not kept.

What changes from request to request (the CSRF token) or is a person's own (a typed
answer) is never stored: the fragment is rendered with a slot in its place, and the
slot is filled after the fragment is fetched. Slots are filled in one pass over the
stored HTML, so text a person wrote that happens to look like a slot stays as written.

With template auto-reload on (development), nothing is kept, so an edited template
shows at once.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping

from flask import Flask, current_app
from flask_wtf import FlaskForm
from markupsafe import Markup

MAX_ENTRIES = 4096


def slot(name: str) -> str:
    """A marker that no template or escaping produces, to be replaced after rendering.

    Private-use characters: escaping leaves them alone, and unlike control characters
    they are neither whitespace nor line breaks to the filters (trim, indent) that the
    NHS.UK macros apply."""
    return f"\ue000slot:{name}\ue001"


_SLOT = re.compile("\ue000slot:([a-z0-9_-]+)\ue001")


def fill(html: str, values: Mapping[str, str]) -> Markup:
    """The fragment with each slot replaced by its (already escaped) value."""
    return Markup(_SLOT.sub(lambda found: values[found.group(1)], html))  # noqa: S704


class FragmentCache:
    """A bounded map of key -> rendered HTML, least recently used dropped first."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._entries: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()  # gthread workers share one process
        self.max_entries = max_entries

    def get(self, key: Hashable, render: Callable[[], str]) -> str:
        if current_app.jinja_env.auto_reload:
            return render()
        with self._lock:
            html = self._entries.get(key)
            if html is not None:
                self._entries.move_to_end(key)
                return html
        html = str(render())
        with self._lock:
            self._entries[key] = html
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return html

    def entries(self) -> dict[Hashable, str]:
        """A copy of what is kept, for tests that check no fragment holds another's data."""
        with self._lock:
            return dict(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def fragments() -> FragmentCache:
    return current_app.extensions["fragments"]


def untouched_form_key(name: str, form: FlaskForm) -> tuple[Hashable, ...] | None:
    """The key of a form's fields drawn as a GET shows them, or None once it was posted.

    Before a post a form shows only its defaults and choices, the same for everyone who
    opens the page; once posted it shows what the person typed and their errors, which
    are never kept."""
    if form.is_submitted() or form.errors:
        return None
    # The CSRF token is drawn outside the kept body, and must not split the key by session.
    return (name, *((field.name, repr(field.data), repr(getattr(field, "choices", None)))
                    for field in form if field.type != "CSRFTokenField"))


def kept_untouched(name: str, form: FlaskForm, caller: Callable[[], str]) -> Markup:
    """Jinja call block: its body (a form's fields, without the CSRF token, which changes
    with the session) drawn once per process while the form shows only its defaults."""
    key = untouched_form_key(name, form)
    if key is None:
        return Markup(caller())  # noqa: S704 - rendered by Jinja
    return Markup(fragments().get(key, caller))  # noqa: S704 - rendered by Jinja


def init_fragments(app: Flask) -> None:
    app.extensions["fragments"] = FragmentCache()
    app.jinja_env.globals["kept_untouched"] = kept_untouched
