"""Forms for workshops: details, assigning a module, joining, reminders."""

from __future__ import annotations

from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from careers_app.forms import BaseForm, DatePartsField, TimeOfDay, WholeNumberField, choices
from careers_app.workshops.models import FORMATS


class WorkshopForm(BaseForm):
    title = StringField("Title", validators=[
        DataRequired(message="Enter a title"),
        Length(max=200, message="The title must be 200 characters or fewer")])
    day = DatePartsField("Date")
    time = StringField("Start time", validators=[
        DataRequired(message="Enter a start time, for example 18:30"), Length(max=5),
        TimeOfDay("18:30")])
    format = RadioField("Format", choices=choices(FORMATS), default="online",
                        validators=[DataRequired(message="Choose a format")])
    description = TextAreaField("Description", validators=[
        Optional(), Length(max=3000, message="The description must be 3,000 characters or fewer")])

    def validate_day(self, field: DatePartsField) -> None:
        if field.data is None:
            raise ValidationError("Enter the date of the workshop")


DAYS_MESSAGE = "Enter a number of days from 0 to 365, in figures"


class AssignForm(BaseForm):
    module = SelectField("Module", validators=[DataRequired(message="Choose a module")])
    due_kind = RadioField("When is it due?", default="relative", choices=choices({
        "relative": "A number of days before or after the workshop", "fixed": "On a date"}),
        validators=[DataRequired(message="Choose when it is due")])
    days = WholeNumberField(
        "Number of days", default=7, not_a_number=DAYS_MESSAGE,
        validators=[Optional(), NumberRange(min=0, max=365, message=DAYS_MESSAGE)])
    direction = RadioField("Before or after the workshop", default="before",
                           choices=choices({"before": "Before", "after": "After"}),
                           validators=[Optional()])
    due_on = DatePartsField("Due date")


class JoinForm(BaseForm):
    code = StringField("Workshop code", validators=[
        DataRequired(message="Enter the workshop code your facilitator gave you"),
        Length(max=40, message="Workshop codes are 6 letters and numbers")])


class ReminderForm(BaseForm):
    module = SelectField("Remind members who have not completed",
                         validators=[DataRequired(message="Choose a module")])
