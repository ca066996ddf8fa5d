"""The reading preferences form: one set of radios per setting."""

from __future__ import annotations

from wtforms import RadioField
from wtforms.validators import InputRequired

from careers_app.forms import BaseForm, choices
from careers_app.reading.preferences import OPTIONS, ReadingPreferences

# Our own words: WTForms' "Not a valid choice" would not say which question.
MESSAGES = {
    "text_size": "Choose a text size",
    "line_spacing": "Choose the space between lines",
    "letter_spacing": "Choose the space between letters and words",
    "typeface": "Choose a typeface",
    "colours": "Choose colours",
    "motion": "Choose whether to reduce motion",
}


def _radios(label: str, setting: str) -> RadioField:
    return RadioField(label, choices=choices(dict(OPTIONS[setting])),
                      validators=[InputRequired(MESSAGES[setting])])


class ReadingPreferencesForm(BaseForm):
    text_size = _radios("Text size", "text_size")
    line_spacing = _radios("Space between lines", "line_spacing")
    letter_spacing = _radios("Space between letters and words", "letter_spacing")
    typeface = _radios("Typeface", "typeface")
    colours = _radios("Colours", "colours")
    motion = _radios("Motion", "motion")

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        valid = super().validate(extra_validators)
        # A value not on the list gets the setting's own message, not WTForms' one.
        for name, message in MESSAGES.items():
            field = self[name]
            if field.errors:
                field.errors = [message]
        return valid

    def chosen(self) -> ReadingPreferences:
        return ReadingPreferences(**{name: self[name].data for name in MESSAGES})
