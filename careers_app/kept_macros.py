"""NHS.UK components drawn by the design system's own macros, once per shape, and kept.

nhsuk-frontend-jinja's macros build every element's attributes through its attributes
macro, which makes them slow: about 220 Python calls a tag, about 1,000 a table cell.
Called for each tag, cell and summary-list row, they more than doubled the pages with
tables (the workshop progress matrix went from 84,604 to 298,346 calls a request) and
the plan page. So each ``kept_*`` function hands the macro its parameters with a slot
(careers_app/fragments.py) in place of every ``text`` and ``html`` value, keeps the
markup drawn under the parameters' shape (everything but those words: classes,
attributes, links, the number of rows), and fills the slots for each call. The markup
is the macro's own, so it follows the design system's releases; no words are kept.

People's words therefore go only in ``text`` or ``html``; anything else given is part
of the key as it is. The macros escape ``text`` and trim both; a value over several
lines loses the indent the macros add to its later lines, which HTML does not show.
What a macro draws from the words themselves cannot be kept: the table's ``scroll``,
``card`` and ``panel`` make ids and headings out of its caption, and are refused.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from flask import Flask, current_app
from markupsafe import Markup, escape

from careers_app.fragments import FragmentCache, fill, slot

# Component -> (template, macro name), as nhsuk-frontend-jinja names them.
MACROS = {
    "table": ("nhsuk/components/tables/macro.jinja", "table"),
    "tag": ("nhsuk/components/tag/macro.jinja", "tag"),
    "summary_list": ("nhsuk/components/summary-list/macro.jinja", "summaryList"),
    "back_link": ("nhsuk/components/back-link/macro.jinja", "backLink"),
    "inset_text": ("nhsuk/components/inset-text/macro.jinja", "insetText"),
    "skip_link": ("nhsuk/components/skip-link/macro.jinja", "skipLink"),
}
UNKEPT_TABLE_OPTIONS = ("scroll", "card", "panel")
WORDS = ("text", "html")
# Shapes, not pages: a few per template. Kept apart from the header and field fragments
# so that these never push those out.
MAX_SHAPES = 1024


class _Slots:
    """Replaces each ``text`` and ``html`` value with a slot, keeping the words."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def replace(self, value: Any) -> Any:
        if isinstance(value, Mapping):
            return {name: self._word(name, item) if name in WORDS else self.replace(item)
                    for name, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.replace(item) for item in value]
        return value

    def _word(self, name: str, value: Any) -> Any:
        if not value:  # the macros draw nothing for an empty value: nor do we
            return value
        words = escape(value) if name == "text" else Markup(value)  # noqa: S704
        key = f"w{len(self.values)}"
        self.values[key] = str(words).strip()
        return slot(key)


def _shape(value: Any) -> Hashable:
    """Parameters as a key: nested mappings and lists made hashable."""
    if isinstance(value, Mapping):
        return tuple(sorted((str(name), _shape(item)) for name, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_shape(item) for item in value)
    if isinstance(value, Markup):  # an attribute given as markup is drawn as it is
        return ("markup", str(value))
    return value


def kept(component: str, params: Mapping[str, Any]) -> Markup:
    """What the NHS.UK macro of ``component`` draws for ``params``, from the kept shape."""
    template, macro = MACROS[component]
    slots = _Slots()
    drawn = slots.replace(params)
    shapes: FragmentCache = current_app.extensions["kept_macros"]
    html = shapes.get((component, _shape(drawn)), lambda: getattr(
        current_app.jinja_env.get_template(template).module, macro)(drawn))
    return fill(html, slots.values)


def kept_table(params: Mapping[str, Any]) -> Markup:
    """``nhsukTable(params)``. Plain strings in ``head`` and ``rows`` are cell text."""
    refused = [name for name in UNKEPT_TABLE_OPTIONS if params.get(name)]
    if refused:
        raise ValueError(f"kept_table does not draw {', '.join(refused)}: use the macro")
    given = dict(params)
    given["head"] = [_cell(heading) for heading in params.get("head") or ()]
    given["rows"] = [[_cell(cell) for cell in row] for row in params.get("rows") or ()]
    if isinstance(params.get("caption"), str):
        given["caption"] = {"text": params["caption"]}
    return kept("table", given)


def _cell(item: Any) -> Any:
    return item if isinstance(item, Mapping) else {"text": item}


def kept_tag(text: str, classes: str = "") -> Markup:
    """``nhsukTag({"text": text, "classes": classes})``."""
    classes = str(classes or "")  # an inline if without else gives Undefined
    return kept("tag", {"text": text, "classes": classes} if classes else {"text": text})


def init_kept_macros(app: Flask) -> None:
    app.extensions["kept_macros"] = FragmentCache(max_entries=MAX_SHAPES)
    app.jinja_env.globals.update(
        kept_table=kept_table, kept_tag=kept_tag,
        kept_summary_list=lambda params: kept("summary_list", params),
        kept_back_link=lambda params: kept("back_link", params),
        kept_inset_text=lambda params: kept("inset_text", params),
        kept_skip_link=lambda params: kept("skip_link", params))
