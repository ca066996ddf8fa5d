"""The profile page's reminder choices, and the unsubscribe page's button."""

from __future__ import annotations

from wtforms import HiddenField, SelectMultipleField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from careers_app.forms import BaseForm, choices
from careers_app.reminders.kinds import Kind

NOT_LISTED = "Choose only from the reminders listed"


class ReminderChoiceField(SelectMultipleField):
    def pre_validate(self, form: object) -> None:
        # WTForms' own message quotes the value sent back; a person never typed it.
        listed = {choice.value for choice in self.choices}  # type: ignore[union-attr]
        if any(value not in listed for value in self.data or ()):
            raise ValidationError(NOT_LISTED)


class RemindersForm(BaseForm):
    # Present on every post of this form: with every box unticked nothing else is sent.
    shown = HiddenField(default="1")
    wanted = ReminderChoiceField(
        "Reminder emails", widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())

    def offer(self, kinds: list[Kind]) -> None:
        self.wanted.choices = choices({kind.value: kind.choice for kind in kinds})


class UnsubscribeForm(BaseForm):
    pass
