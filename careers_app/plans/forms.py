"""Forms on the plan: the summary, an action, a share and a coach's comment."""

from __future__ import annotations

import datetime as dt

from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from careers_app.forms import BaseForm, DatePartsField, choices
from careers_app.plans.document import COMMENT_SECTIONS
from careers_app.plans.models import ActionStatus, ShareMode

SUMMARY_LIMIT = 2000
ACTION_TEXT_LIMIT = 500
COMMENT_LIMIT = 3000


def _limit(limit: int, what: str) -> Length:
    return Length(max=limit, message=f"{what} must be {limit:,} characters or fewer")


class SummaryForm(BaseForm):
    summary = TextAreaField(
        "Your career aim in a paragraph",
        validators=[Optional(), _limit(SUMMARY_LIMIT, "Your summary")],
    )


class ActionForm(BaseForm):
    text = StringField("Action", validators=[
        DataRequired(message="Say what the action is"), _limit(ACTION_TEXT_LIMIT, "The action"),
    ])
    measure = StringField("How you will know it is done", validators=[
        Optional(), _limit(ACTION_TEXT_LIMIT, "How you will know it is done"),
    ])
    support = StringField("Support or resources you need", validators=[
        Optional(), _limit(ACTION_TEXT_LIMIT, "Support or resources"),
    ])
    target_date = DatePartsField("Target date")
    status = RadioField(
        "Status", choices=choices({s.value: s.label for s in ActionStatus}),
        default=ActionStatus.NOT_STARTED.value,
        validators=[DataRequired(message="Choose a status")],
    )

    def validate_target_date(self, field: DatePartsField) -> None:
        if field.data is None:
            raise ValidationError("Enter a target date, for example 27 3 2027")


APPENDIX_CHOICES = {
    "no": "Just my plan",
    "yes": "My plan, with everything I wrote in the modules as an appendix",
}


def appendix_field(label: str) -> RadioField:
    """Whether "Everything I wrote" goes with the plan, chosen each time it is sent;
    without a choice (a page from before the question), just the plan."""
    return RadioField(label, choices=choices(APPENDIX_CHOICES), default="no",
                      validators=[Optional()])


class ShareForm(BaseForm):
    coach = StringField("Your coach's email address or full name", validators=[
        DataRequired(message="Enter your coach's email address or full name"),
        _limit(254, "The coach's email address or name"),
    ])
    mode = RadioField(
        "What should your coach see?",
        choices=choices({
            ShareMode.SNAPSHOT.value: "A copy of your plan as it is now, which will not change",
            ShareMode.LIVE.value: "Your plan as it is whenever they look, including later changes",
        }),
        default=ShareMode.SNAPSHOT.value,
        validators=[DataRequired(message="Choose what your coach should see")],
    )
    appendix = appendix_field("What should your coach be able to read?")
    expires_on = DatePartsField("Stop sharing after")

    def __init__(self, *args, today: dt.date, longest: int, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.today, self.longest = today, longest

    def validate_expires_on(self, field: DatePartsField) -> None:
        last_allowed = self.today + dt.timedelta(days=self.longest)
        if field.data is None:
            raise ValidationError("Enter the last day your coach can see your plan")
        if field.data < self.today:
            raise ValidationError("The last day of sharing must be today or in the future")
        if field.data > last_allowed:
            raise ValidationError(
                f"You can share for up to {self.longest} days: choose "
                f"{last_allowed.day} {last_allowed:%B %Y} or earlier"
            )


class CommentForm(BaseForm):
    section = SelectField("Which part of the plan is your comment about?",
                          choices=choices(COMMENT_SECTIONS),
                          validators=[DataRequired(message="Choose a part of the plan")])
    body = TextAreaField("Comment", validators=[
        DataRequired(message="Write your comment"), _limit(COMMENT_LIMIT, "Your comment"),
    ])
