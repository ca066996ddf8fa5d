"""How long a sign-in lasts: an idle limit and an absolute limit, checked on every request.

The session cookie carries two times, in whole seconds since the epoch:

- ``signed_in_at``, written once at sign-in and never moved, for the absolute limit
  (``SESSION_MAX_HOURS``);
- ``last_seen``, the last request, for the idle limit (``SESSION_IDLE_MINUTES``).
  It is rewritten at most once a minute so that a page full of requests does not
  send a new cookie with each; the idle limit can therefore end up to a minute early.

Both are checked where Flask-Login loads the account from the session's token, so
every path that asks who is signed in (views, error pages, security headers) sees an
ended session as signed out. An ended session is cleared, and ``g`` remembers why
for the message on the sign-in page.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app, g, request, session

from careers_app.accounts.models import User
from careers_app.accounts.service import find_user_by_session_token

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
# Kept in the cleared session until the sign-in page has said it: the first request
# after the limit may be a public page, and the message belongs on the next sign-in.
ENDED_REASON = "signed_out_reason"
# Whose session it was, kept beside the reason until the next sign-in: text posted
# from that browser afterwards is shown back only to the same account.
ENDED_OWNER = "signed_out_user_id"
TOUCH_EVERY_SECONDS = 60
# Requests that only ask how long is left must not count as activity themselves.
NOT_ACTIVITY = frozenset({"accounts.session_status"})


@dataclass(frozen=True)
class EndedSession:
    """Why a session was just ended, and whose it was (None when unknown)."""

    reason: str  # "idle", "absolute" or "unknown"
    user_id: int | None


def now() -> int:
    return int(time.time())


def idle_seconds() -> int:
    return int(current_app.config["SESSION_IDLE_MINUTES"]) * 60


def max_seconds() -> int:
    return int(current_app.config["SESSION_MAX_HOURS"]) * 3600


def start_clock() -> None:
    """Call right after signing in: both limits count from now."""
    moment = now()
    session[SIGNED_IN_AT] = moment
    session[LAST_SEEN] = moment


def _stamp(name: str) -> int | None:
    value = session.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def ends_at() -> int:
    """When this session ends if nothing else happens (seconds since the epoch)."""
    signed_in, last_seen = _stamp(SIGNED_IN_AT), _stamp(LAST_SEEN)
    if signed_in is None or last_seen is None:
        return 0
    return min(last_seen + idle_seconds(), signed_in + max_seconds())


def seconds_left() -> int:
    return max(0, ends_at() - now())


def absolute_seconds_left() -> int:
    """Time to the absolute limit, which no activity moves."""
    signed_in = _stamp(SIGNED_IN_AT)
    return 0 if signed_in is None else max(0, signed_in + max_seconds() - now())


def _why_ended(moment: int) -> str | None:
    signed_in, last_seen = _stamp(SIGNED_IN_AT), _stamp(LAST_SEEN)
    if signed_in is None or last_seen is None:
        return "unknown"  # a cookie from before the limits existed, or tampered with
    if moment >= signed_in + max_seconds():
        return "absolute"
    if moment >= last_seen + idle_seconds():
        return "idle"
    return None


def touch(force: bool = False) -> None:
    """Count this request as activity (at most once a minute unless forced)."""
    moment = now()
    last_seen = _stamp(LAST_SEEN) or 0
    if force or moment - last_seen >= TOUCH_EVERY_SECONDS:
        session[LAST_SEEN] = moment


def load_signed_in_user(token: str) -> User | None:
    """Flask-Login's user loader: the account for the session's token, within the limits."""
    reason = _why_ended(now())
    if reason is not None:
        owner = find_user_by_session_token(token)
        session.clear()
        session[ENDED_REASON] = reason
        if owner is not None:
            session[ENDED_OWNER] = owner.id
        g.ended_session = EndedSession(reason, owner.id if owner else None)
        return None
    user = find_user_by_session_token(token)
    if user is not None and request.endpoint not in NOT_ACTIVITY:
        touch()
    return user


def ended_session() -> EndedSession | None:
    """The session this request (or an earlier one, since) found ended, if any."""
    ended = g.get("ended_session")
    if ended is not None:
        return ended
    owner = session.get(ENDED_OWNER)
    owner = owner if isinstance(owner, int) and not isinstance(owner, bool) else None
    reason = session.get(ENDED_REASON)
    if reason in {"idle", "absolute", "unknown"} or owner is not None:
        return EndedSession(reason if isinstance(reason, str) else "unknown", owner)
    return None


def signed_out_message() -> str | None:
    """Why the person was signed out, for the sign-in page (said once); None when not by
    a limit."""
    ended = ended_session()
    session.pop(ENDED_REASON, None)
    if ended is None or ended.reason == "unknown":
        return None
    if ended.reason == "idle":
        minutes = current_app.config["SESSION_IDLE_MINUTES"]
        return f"You were signed out after {_count(minutes, 'minute')} without activity"
    hours = current_app.config["SESSION_MAX_HOURS"]
    return f"You were signed out because you had been signed in for {_count(hours, 'hour')}"


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" + ("" if number == 1 else "s")
