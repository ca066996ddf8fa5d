"""Signed unsubscribe links: one per person and kind, usable without signing in.

The token names the account and the kind, signed with the app's secret key under its own
salt, so a password-reset token cannot stand in for one or the other way round. It does
not expire: a reminder read months later still stops the emails, and all a token can do
is stop one kind of reminder for one person (the profile page turns it back on).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from careers_app.links import external_url
from careers_app.reminders.kinds import Kind

SALT = "reminders.unsubscribe"
# Far longer than any token we make (about 40 characters); anything longer is refused
# before it is decoded.
MAX_TOKEN_LENGTH = 200


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    kind: Kind


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(user_id: int, kind: Kind) -> str:
    return str(_serializer().dumps([user_id, kind.value]))


def read_token(token: str) -> Unsubscribe | None:
    """What a token says, or None when it is not one of ours, altered or malformed."""
    if len(token) > MAX_TOKEN_LENGTH or not token.isascii():
        return None
    try:
        loaded = _serializer().loads(token)
    except (BadData, ValueError, TypeError, UnicodeError):
        return None
    if (not isinstance(loaded, list) or len(loaded) != 2 or type(loaded[0]) is not int
            or loaded[1] not in Kind._value2member_map_):
        return None
    return Unsubscribe(loaded[0], Kind(loaded[1]))


def unsubscribe_url(user_id: int, kind: Kind) -> str:
    return external_url("reminders.unsubscribe", token=make_token(user_id, kind))
