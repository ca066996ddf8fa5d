"""Form building blocks shared by every feature."""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from wtforms.fields.choices import SelectChoice

from careers_app.text import StorableText, strip_and_normalise

CSRF_EXPIRED_MESSAGE = (
    "This page had expired for your security. What you entered is still here: "
    "check it and submit the form again"
)


class BaseForm(FlaskForm):
    """A Flask-WTF form whose text fields are trimmed, normalised and checked for
    characters that cannot be stored, without repeating that on every field."""

    class Meta:
        def wrap_formdata(self, form, formdata):  # type: ignore[no-untyped-def]
            # Only real form posts: Flask-WTF would also read a JSON body, whose lists
            # and objects are not form values. JSON endpoints validate their own input.
            if formdata is _Auto:
                return request.form if form.is_submitted() else None
            return formdata

        def bind_field(self, form, unbound_field, options):  # type: ignore[no-untyped-def]
            filters = list(unbound_field.kwargs.get("filters", ()))
            validators = list(unbound_field.kwargs.get("validators", ()))
            name = unbound_field.field_class.__name__
            if name in {"StringField", "TextAreaField", "EmailField"}:
                filters.insert(0, strip_and_normalise)
            if name in {"StringField", "TextAreaField", "EmailField", "PasswordField"}:
                validators.insert(0, StorableText())
            return unbound_field.bind(
                form=form, filters=filters, validators=validators, **options
            )

    def error_list(self) -> list[tuple[str, str]]:
        """(field id, first message) for the error summary, in the order fields appear."""
        errors = []
        for field in self:
            if not field.errors:
                continue
            if field.name == "csrf_token":
                errors.insert(0, ("", CSRF_EXPIRED_MESSAGE))
                continue
            message = field.errors[0] if isinstance(field.errors, list) else str(field.errors)
            errors.append((field.id, message))
        return errors


def choices(options: dict[str, str], prompt: str | None = None) -> list[SelectChoice]:
    """WTForms choices from {stored value: label}, optionally after an empty prompt."""
    listed = [SelectChoice(value, label) for value, label in options.items()]
    return [SelectChoice("", prompt), *listed] if prompt else listed


def rerender_on_csrf_failure(view):  # type: ignore[no-untyped-def]
    """Mark a form view that can safely be called again to re-show a form whose CSRF
    token was refused: it only acts when its form validates, which then fails."""
    view.rerender_on_csrf_error = True
    return view
