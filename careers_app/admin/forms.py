"""Coordinators' forms for finding people and changing their roles."""

from __future__ import annotations

from wtforms import Field, Form, SearchField, SelectMultipleField
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from careers_app.accounts.search_terms import MAX_QUERY_WORDS
from careers_app.forms import BaseForm, choices
from careers_app.security import GRANTABLE_ROLES
from careers_app.text import StorableText


class RolesForm(BaseForm):
    roles = SelectMultipleField(
        "Roles",
        choices=choices({role.value: role.label for role in GRANTABLE_ROLES}),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )


def few_words(_form: Form, field: Field) -> None:
    """Each word is one more lookup: a name and an email's start need no more than this."""
    if isinstance(field.data, str) and len(field.data.split()) > MAX_QUERY_WORDS:
        raise ValidationError(f"Search for {MAX_QUERY_WORDS} words or fewer")


class UserSearchForm(BaseForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = SearchField(
        "Search by name or email",
        # StorableText: PostgreSQL refuses a NUL in a query parameter with an error, so a
        # search for one gets a message instead (BaseForm adds it to text fields only).
        validators=[Optional(), StorableText(),
                    Length(max=254, message="Search must be 254 characters or fewer"),
                    few_words],
    )
