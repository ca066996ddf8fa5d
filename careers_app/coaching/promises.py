"""What the information and coaching pages tell people about coaching, built from the
values the app enforces (the allowance, the notice for cancelling, the reply time and the
formats a coach can book), so the words cannot drift from what the service does."""

from __future__ import annotations

from dataclasses import dataclass

from careers_app.coaching import rules
from careers_app.coaching.eligibility import FORMATS


def or_list(items: list[str]) -> str:
    """Join items the way a sentence names a choice: "a, b or c"."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} or {items[-1]}"


@dataclass(frozen=True)
class CoachingPromises:
    allowance: int
    notice_hours: int
    reply_days: int
    formats: str  # for "Appointments are held by ...": "video call, telephone or in person"


def coaching_promises() -> CoachingPromises:
    return CoachingPromises(
        allowance=rules.ALLOWANCE, notice_hours=rules.NOTICE_HOURS,
        reply_days=rules.REPLY_WITHIN_DAYS,
        formats=or_list([label.lower() for label in FORMATS.values()]))
