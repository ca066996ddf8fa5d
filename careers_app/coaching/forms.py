"""Forms for applying, allocating, declining, booking, cancelling and notes."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from careers_app.accounts.eligibility import PROFESSIONAL_GROUPS
from careers_app.coaching.eligibility import FORMATS, REGIONS, STAGES, WORKFORCE_SCHEMES
from careers_app.forms import BaseForm, DatePartsField, TimeOfDay, WholeNumberField, choices


def _limit(limit: int, what: str) -> Length:
    return Length(max=limit, message=f"{what} must be {limit:,} characters or fewer")


# What "Send application" (or "Attach") does with the trainee's plan. Nothing is attached
# unless they choose it, and a copy already attached stays unless they choose again.
PLAN_NOT_ATTACHED = {
    "none": "Do not attach my plan",
    "plan": "Attach my plan",
    "everything": "Attach my plan, with everything I wrote in the modules as an appendix",
}
PLAN_ATTACHED = {
    "keep": "Keep the copy already attached",
    "plan": "Attach my plan again as it is now",
    "everything": "Attach my plan again as it is now, with everything I wrote in the "
                  "modules as an appendix",
}
ATTACH_CHOICES = ("plan", "everything")


class ApplicationForm(BaseForm):
    professional_group = RadioField("Your professional group", validators=[Optional()],
                                    choices=choices(PROFESSIONAL_GROUPS))
    region = RadioField("Where you train or work", validators=[Optional()],
                        choices=choices(REGIONS))
    training_number = StringField("Training number", validators=[
        Optional(), _limit(40, "Your training number")])
    workforce_scheme = SelectField("Workforce scheme", validators=[Optional()],
                                   choices=choices(WORKFORCE_SCHEMES, "Not on a scheme"))
    current_post = StringField("Your current post", validators=[
        Optional(), _limit(200, "Your current post")])
    stage = SelectField("Your stage", validators=[Optional()],
                        choices=choices(STAGES, "Choose your stage"))
    hopes = TextAreaField("What would you like from coaching?", validators=[
        Optional(), _limit(3000, "What you would like from coaching")])
    preferred_format = RadioField("How would you like to meet?", validators=[Optional()],
                                  choices=choices(FORMATS))
    availability = TextAreaField("When are you usually free?", validators=[
        Optional(), _limit(1000, "When you are free")])
    # Every value is valid whichever page sent it; offer_attachment narrows what is shown.
    plan_attachment = RadioField("What to attach", validators=[Optional()],
                                 choices=choices({**PLAN_NOT_ATTACHED, **PLAN_ATTACHED}))
    consent = BooleanField(
        "I agree that the coaching coordinator and the coach I am allocated may read this "
        "application and any copy of my action plan I attach")

    def offer_attachment(self, attached: bool) -> None:
        """Show the choices that fit the draft, picking the one that changes nothing
        unless the trainee picked one of them."""
        offered = PLAN_ATTACHED if attached else PLAN_NOT_ATTACHED
        self.plan_attachment.choices = choices(offered)
        if self.plan_attachment.data not in offered:
            self.plan_attachment.data = "keep" if attached else "none"


class CoachField(SelectField):
    """The coaches offered; any other id posted (the applicant, the coach the case is with
    already, a coach since removed) is refused in words a coordinator can act on."""

    def pre_validate(self, form: BaseForm) -> None:
        if self.data and self.data not in {str(value) for value, _label in self.choices}:
            raise ValidationError("Choose one of the coaches listed")


class AllocateForm(BaseForm):
    coach = CoachField("Coach", validators=[DataRequired(message="Choose a coach")])


class DeclineForm(BaseForm):
    reason = TextAreaField("Reason the trainee will read", validators=[
        DataRequired(message="Give a reason the trainee will read"), _limit(2000, "The reason")])


class BookingForm(BaseForm):
    day = DatePartsField("Date")
    time = StringField("Start time", validators=[
        DataRequired(message="Enter a start time, for example 14:30"), _limit(5, "The time"),
        TimeOfDay("14:30")])
    minutes = WholeNumberField(
        "Length in minutes", default=60,
        not_a_number="Enter the length in minutes in figures, for example 60",
        # InputRequired, not DataRequired: that clears the "in figures" message above.
        validators=[InputRequired(message="Enter the length in minutes"),
                    NumberRange(min=15, max=180,
                                message="The length must be from 15 to 180 minutes")])
    format = RadioField("Format", choices=choices(FORMATS), default="video",
                        validators=[DataRequired(message="Choose a format")])
    where = StringField("Video link, phone number or place", validators=[
        Optional(), _limit(500, "The link or place")])

    def validate_day(self, field: DatePartsField) -> None:
        if field.data is None:
            raise ValidationError("Enter the date of the appointment")


class MoveForm(BaseForm):
    day = DatePartsField("New date")
    time = StringField("New start time", validators=[
        DataRequired(message="Enter a start time, for example 14:30"), _limit(5, "The time"),
        TimeOfDay("14:30")])

    def validate_day(self, field: DatePartsField) -> None:
        if field.data is None:
            raise ValidationError("Enter the new date")


class CancelForm(BaseForm):
    reason = TextAreaField("Reason", validators=[Optional(), _limit(2000, "The reason")])


class NoteForm(BaseForm):
    body = TextAreaField("Private note", validators=[
        DataRequired(message="Write the note"), _limit(5000, "The note")])
