"""NHS.UK tables drawn by the design system's own macro, once per shape, and kept.

nhsuk-frontend-jinja's table macro builds each cell's attributes through its attributes
macro three times: about 1,000 Python calls a cell, which more than doubled every page
with a table (the workshop progress matrix went from 84,604 to 298,346 calls a request).
So ``kept_table`` hands the macro the table with a slot (careers_app/fragments.py) in
place of every caption, heading and cell text, keeps the markup it draws under the
table's shape (its options, each cell's options, which cells are empty, the number of
rows and columns), and fills the slots for each request. The markup is the macro's own
and follows the design system's releases; no text anyone wrote is kept.

Everything other than the words (classes, attributes, formats, links) is part of the
key as given, so people's words go only in ``text`` or ``html``. What the macro draws
from the words themselves is refused: ``scroll`` and ``card`` make ids and headings out
of the caption. Give numbers as text ("0" is drawn, 0 is not, as with the macro).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from flask import Flask, current_app
from markupsafe import Markup, escape

from careers_app.fragments import FragmentCache, fill, slot

MACRO = "nhsuk/components/tables/macro.jinja"
UNSUPPORTED = ("scroll", "card", "panel")
# Shapes, not pages: a few per template (one per number of rows seen). Kept apart from
# the header and field fragments so that tables never push those out.
MAX_SHAPES = 512


class _Slots:
    """Replaces the words of captions, headings and cells with slots, keeping the words."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def item(self, item: Any) -> dict[str, Any]:
        given: Mapping[str, Any] = item if isinstance(item, Mapping) else {"text": item}
        drawn = dict(given)
        for name in ("text", "html"):
            value = given.get(name)
            if not value:  # the macro draws nothing for an empty value: nor do we
                drawn.pop(name, None)
                continue
            # The macro escapes text and trims what it puts in a cell; html it takes as it is.
            words = escape(value) if name == "text" else Markup(value)  # noqa: S704
            key = f"t{len(self.values)}"
            self.values[key] = str(words).strip()
            drawn[name] = slot(key)
        return drawn


def _shape(value: Any) -> Hashable:
    """The table's options as a key: nested mappings and lists made hashable."""
    if isinstance(value, Mapping):
        return tuple(sorted((str(name), _shape(item)) for name, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_shape(item) for item in value)
    if isinstance(value, Markup):  # an attribute given as markup is drawn as it is
        return ("markup", str(value))
    return value


def kept_table(params: Mapping[str, Any]) -> Markup:
    """What the NHS.UK table macro draws for ``params``, from the kept shape if seen."""
    refused = [name for name in UNSUPPORTED if params.get(name)]
    if refused:
        raise ValueError(f"kept_table does not draw {', '.join(refused)}: use the macro")
    slots = _Slots()
    drawn = dict(params)
    if params.get("caption"):
        drawn["caption"] = slots.item(params["caption"])
    drawn["head"] = [slots.item(heading) for heading in params.get("head") or ()]
    drawn["rows"] = [[slots.item(cell) for cell in row] for row in params.get("rows") or ()]
    kept: FragmentCache = current_app.extensions["kept_tables"]
    html = kept.get(_shape(drawn), lambda: current_app.jinja_env.get_template(MACRO)
                    .module.table(drawn))  # type: ignore[attr-defined]
    return fill(html, slots.values)


def init_tables(app: Flask) -> None:
    app.extensions["kept_tables"] = FragmentCache(max_entries=MAX_SHAPES)
    app.jinja_env.globals["kept_table"] = kept_table
