"""Form building blocks shared by every feature."""

from __future__ import annotations

import datetime as dt

from flask import g, request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from wtforms import Field, IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import StopValidation, ValidationError

from careers_app.clock import parse_time
from careers_app.content.fields import FieldError, clean_date_parts, parse_date
from careers_app.refused_posts import only_showing_the_form
from careers_app.text import StorableText, replace_surrogates, strip_and_normalise

CSRF_EXPIRED_MESSAGE = (
    "This page had expired for your security. What you entered is still here: "
    "check it and submit the form again"
)
# Shown when text typed before the session ended is put back after signing in
# (careers_app/accounts/carried.py).
CARRIED_TEXT_MESSAGE = "Your text has not been saved yet: check it and save"


def showing_carried_text() -> bool:
    """True while a view re-shows text carried through signing in: nothing may be saved."""
    return bool(g.get("showing_carried_text"))


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

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        # A form only being shown (a refused post, or text carried through signing in)
        # never counts as valid, so its view cannot act on it.
        if showing_carried_text():
            return False
        valid = super().validate(extra_validators)
        if only_showing_the_form():
            # The token in the form may be fine while the post was refused for another
            # reason (no Referer from this site).
            if "csrf_token" in self and not self.csrf_token.errors:
                self.csrf_token.errors = [CSRF_EXPIRED_MESSAGE]
            return False
        return valid

    def error_list(self) -> list[tuple[str, str]]:
        """(field id, first message) for the error summary, in the order fields appear."""
        errors = [("", CARRIED_TEXT_MESSAGE)] if showing_carried_text() else []
        for field in self:
            if not field.errors:
                continue
            if field.name == "csrf_token":
                errors.insert(0, ("", CSRF_EXPIRED_MESSAGE))
                continue
            message = field.errors[0] if isinstance(field.errors, list) else str(field.errors)
            errors.append((getattr(field, "first_input_id", field.id), message))
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


def time_message(example: str) -> str:
    return f"Enter a time between 00:00 and 23:59, for example {example}"


class TimeOfDay:
    """A validator for a time typed as "14:30", run with the form's other checks so that
    a wrong time shows beside a wrong date (it was checked only once the date was right)."""

    def __init__(self, example: str) -> None:
        self.message = time_message(example)

    def __call__(self, _form: FlaskForm, field: Field) -> None:
        if field.data and parse_time(field.data) is None:
            raise ValidationError(self.message)


class WholeNumberField(IntegerField):
    """A whole number, refused in the service's own words: WTForms' IntegerField says
    "Not a valid integer value." to someone who typed "abc" or "seven"."""

    def __init__(self, label: str, *, not_a_number: str, **kwargs: object) -> None:
        super().__init__(label, **kwargs)  # type: ignore[arg-type]
        self.not_a_number = not_a_number

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as refused:
            raise ValueError(self.not_a_number) from refused


class DatePartsField(Field):
    """An NHS.UK date input: three boxes named ``<name>--day``, ``--month``, ``--year``.

    ``data`` is the date, or None when the boxes are empty; ``parts`` keeps what was
    typed, so a mistake is shown back exactly as entered.
    """

    widget = None  # drawn by the date_input macro in templates/macros/forms.html

    def __init__(self, label: str | None = None, validators=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(label, validators, **kwargs)
        self.parts: dict[str, str] = {"day": "", "month": "", "year": ""}
        self._problem: str | None = None

    def process(self, formdata, data=unset_value, extra_filters=None):  # type: ignore[no-untyped-def]
        self.process_errors = []
        self.raw_data = None
        if isinstance(data, dt.date):
            self.data = data
            self.parts = {"day": str(data.day), "month": str(data.month), "year": str(data.year)}
        else:
            self.data = None
        if formdata is None:
            return
        typed = {part: formdata.get(f"{self.name}--{part}", "")
                 for part in ("day", "month", "year")}
        self.raw_data = list(typed.values())
        self._problem = None
        try:
            self.parts = clean_date_parts(typed, strict=True, what=str(self.label.text))
        except FieldError as error:
            self.parts = {key: replace_surrogates(str(value))[:8] for key, value in typed.items()}
            self._problem = str(error)
        self.data = parse_date(self.parts) if self._problem is None else None

    def pre_validate(self, form) -> None:  # type: ignore[no-untyped-def]
        if self._problem:
            raise StopValidation(self._problem)

    @property
    def first_input_id(self) -> str:
        return f"{self.id}--day"
