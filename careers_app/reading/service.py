"""Whose reading preferences apply to a page, and keeping them on the account."""

from __future__ import annotations

from flask import g
from flask_login import current_user

from careers_app.accounts.models import User
from careers_app.extensions import db
from careers_app.outage import (
    DATABASE_ERRORS,
    database_is_down,
    is_database_outage,
    mark_database_down,
)
from careers_app.reading.cookie import from_cookie
from careers_app.reading.preferences import DEFAULT, ReadingPreferences
from careers_app.security import viewer_is_signed_in


def preferences_of(user: User) -> ReadingPreferences:
    """The preferences saved on ``user``'s account (the defaults when none are)."""
    return ReadingPreferences.from_mapping(user.reading_preferences)


def save_preferences(user: User, preferences: ReadingPreferences) -> None:
    """Keep ``preferences`` on the account; the defaults are kept as nothing at all."""
    user.reading_preferences = None if preferences.is_default else preferences.as_dict()
    db.session.commit()


def adopt_at_sign_in(user: User, chosen: ReadingPreferences | None) -> None:
    """At sign-in the account's own choice wins; an account without one takes what
    was chosen before signing in, so that choice is not lost."""
    if chosen is None or chosen.is_default or user.reading_preferences is not None:
        return
    save_preferences(user, chosen)


def page_preferences() -> ReadingPreferences:
    """The preferences for the page being drawn: the account's when signed in, else the
    cookie's. Never raises: with the database down, a page is drawn as standard."""
    cached = g.get("reading_preferences")
    if cached is not None:
        return cached
    preferences = _look_up()
    g.reading_preferences = preferences
    return preferences


def forget_page_preferences() -> None:
    g.pop("reading_preferences", None)


def _look_up() -> ReadingPreferences:
    if not viewer_is_signed_in():
        return from_cookie() or DEFAULT
    if database_is_down():
        return DEFAULT
    try:
        return preferences_of(current_user)
    except DATABASE_ERRORS as error:  # the account's row expired and cannot be reloaded
        if not is_database_outage(error):
            raise
        mark_database_down()
        return DEFAULT
