"""Coordinators' forms for finding people and changing their roles."""

from __future__ import annotations

from wtforms import SearchField, SelectMultipleField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

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


class UserSearchForm(BaseForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = SearchField(
        "Search by name or email",
        # StorableText: PostgreSQL refuses a NUL in a query parameter with an error, so a
        # search for one gets a message instead (BaseForm adds it to text fields only).
        validators=[Optional(), StorableText(),
                    Length(max=254, message="Search must be 254 characters or fewer")],
    )
