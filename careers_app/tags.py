"""NHS.UK tags drawn by the design system's own macro, once per colour, and kept.

A tag is one <strong>, but the macro builds it through the attributes macro: about 220
Python calls a tag, over a quarter of the workshop progress matrix (a tag a cell). The
markup depends only on the tag's classes, so ``kept_tag`` draws it once per set of
classes with a slot (careers_app/fragments.py) for the words, and fills the slot for
each tag. No words are kept.
"""

from __future__ import annotations

from flask import Flask, current_app
from jinja2.filters import do_indent
from markupsafe import Markup, escape

from careers_app.fragments import FragmentCache, fill, slot

MACRO = "nhsuk/components/tag/macro.jinja"


def kept_tag(text: str, classes: str = "") -> Markup:
    """What ``nhsukTag({"text": text, "classes": classes})`` draws."""
    classes = str(classes or "")  # an inline if without else gives Undefined
    kept: FragmentCache = current_app.extensions["fragments"]
    html = kept.get(("tag", classes), lambda: current_app.jinja_env.get_template(MACRO)
                    .module.tag({"text": slot("text"), "classes": classes}))  # type: ignore[attr-defined]
    # As the macro does: escaped, trimmed, and later lines indented.
    return fill(html, {"text": do_indent(str(escape(text)).strip(), 2)})


def init_tags(app: Flask) -> None:
    app.jinja_env.globals["kept_tag"] = kept_tag
