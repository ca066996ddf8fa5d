"""The forms that confirm a deletion: the person's password, or a coordinator's reason."""

from __future__ import annotations

from wtforms import PasswordField, RadioField
from wtforms.validators import InputRequired, Length

from careers_app.account_deletion.service import REQUEST_REASONS
from careers_app.accounts.passwords import MAX_PASSWORD_LENGTH
from careers_app.forms import BaseForm, choices


class DeleteOwnAccountForm(BaseForm):
    password = PasswordField(
        "Your password",
        validators=[InputRequired("Enter your password"),
                    Length(max=MAX_PASSWORD_LENGTH, message="Enter your password")],
    )


class DeleteOnRequestForm(BaseForm):
    reason = RadioField(
        "Why are you deleting this account?",
        choices=choices(REQUEST_REASONS),
        validators=[InputRequired("Choose why you are deleting this account")],
        validate_choice=True,
    )
