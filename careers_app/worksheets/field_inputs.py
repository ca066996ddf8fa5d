"""A field's input on a step page, drawn from a kept fragment where its type allows.

The inputs go through the NHS.UK macros (character count, radios, ...), which is most
of a step page's time. A type that puts the answer into otherwise fixed markup says so
with ``FieldKind.fragment``: its input is drawn once per field with slots, kept
(careers_app/fragments.py), and the answer's escaped text or " checked" marks are filled
in. An input showing an error, or of a type whose markup follows the answer (rows,
choices from earlier steps), is drawn afresh.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from markupsafe import Markup

from careers_app.content.schema import FieldSpec
from careers_app.fragments import fill, fragments


class _Same:
    """A key that matches one object only, and keeps it alive while the key is kept
    (so its id cannot be reused by another field after a module reload)."""

    __slots__ = ("target",)

    def __init__(self, target: object) -> None:
        self.target = target

    def __hash__(self) -> int:
        return id(self.target)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.target is self.target


def _draw(spec: FieldSpec, value: Any, error: str | None, add_row: str | None,
          choices: Any) -> str:
    template = current_app.jinja_env.get_template(spec.kind.field_template)
    return template.render(spec=spec, value=value, error=error, add_row=add_row,
                           choices=choices)


def field_input(spec: FieldSpec, value: Any, error: str | None, add_row: str | None,
                choices: Any = None) -> Markup:
    fragment = None if error else spec.kind.fragment(spec, value)
    if fragment is None:
        return Markup(_draw(spec, value, error, add_row, choices))  # noqa: S704 - Jinja's output
    html = fragments().get(("field", _Same(spec)),
                           lambda: _draw(spec, fragment.skeleton, None, None, None))
    return fill(html, fragment.fillings)


def init_field_inputs(app: Flask) -> None:
    app.jinja_env.globals["field_input"] = field_input
