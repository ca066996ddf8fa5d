"""Account forms: register, sign in, password reset and change, profile."""

from __future__ import annotations

from wtforms import EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length, ValidationError

from careers_app.accounts.eligibility import (
    PROFESSIONAL_GROUPS,
    REGIONS,
    TRAINING_STAGES,
    eligibility_problem,
)
from careers_app.accounts.passwords import (
    COMMON_PASSWORD_MESSAGE,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    is_common_password,
)
from careers_app.forms import BaseForm, choices

PASSWORD_LENGTH_MESSAGE = (
    f"Password must be between {MIN_PASSWORD_LENGTH} and {MAX_PASSWORD_LENGTH} characters"
)


def _email_field(label: str = "Email address") -> EmailField:
    return EmailField(
        label,
        validators=[
            InputRequired("Enter your email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(
                "Enter an email address in the correct format, like name@example.com",
                check_deliverability=False,
            ),
        ],
    )


def _not_common(form: BaseForm, field: PasswordField) -> None:
    if field.data and not field.errors and is_common_password(field.data):
        raise ValidationError(COMMON_PASSWORD_MESSAGE)


def _new_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            InputRequired("Enter a password"),
            Length(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH, PASSWORD_LENGTH_MESSAGE),
            _not_common,
        ],
    )


class ProfileDetailsForm(BaseForm):
    full_name = StringField(
        "Full name",
        validators=[
            InputRequired("Enter your full name"),
            Length(max=100, message="Full name must be 100 characters or fewer"),
        ],
    )
    professional_group = RadioField(
        "Which group are you in?",
        choices=choices(PROFESSIONAL_GROUPS),
        validators=[InputRequired("Select your professional group")],
        validate_choice=True,
    )
    region = RadioField(
        "Where do you train?",
        choices=choices(REGIONS),
        validators=[InputRequired("Select where you train")],
    )
    training_stage = SelectField(
        "Training stage",
        choices=choices(TRAINING_STAGES, prompt="Select your training stage"),
        validators=[InputRequired("Select your training stage")],
    )

    def validate_training_stage(self, field: SelectField) -> None:
        problem = eligibility_problem(self.region.data or "", field.data or "")
        if problem:
            raise ValidationError(problem)


def password_field(label: str, missing_message: str) -> PasswordField:
    """A password the person already has (signing in, confirming): only its length is checked."""
    return PasswordField(label, validators=[
        InputRequired(missing_message),
        Length(max=MAX_PASSWORD_LENGTH, message=PASSWORD_LENGTH_MESSAGE),
    ])


class RegisterForm(ProfileDetailsForm):
    email = _email_field()
    password = _new_password_field("Create a password")


class ConfirmRegistrationForm(BaseForm):
    password = password_field("Your password", "Enter the password you chose when you registered")


class SignInForm(BaseForm):
    email = _email_field()
    password = password_field("Password", "Enter your password")


class RequestResetForm(BaseForm):
    email = _email_field()


class ResetPasswordForm(BaseForm):
    password = _new_password_field("New password")


class ChangePasswordForm(BaseForm):
    current_password = password_field("Current password", "Enter your current password")
    new_password = _new_password_field("New password")


class SignOutForm(BaseForm):
    """Only the CSRF token: signing out is a POST so a link elsewhere cannot do it."""
