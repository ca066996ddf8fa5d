"""The careers unit's coaching rules, as plain functions of times and counts.

- Up to three free 1-2-1 appointments per application.
- A trainee may cancel or rearrange up to 24 hours before an appointment and lose
  nothing; later than that they must give a reason, and the appointment counts as used
  unless the coach waives it. A cancellation by the coach never uses the allowance.
- Applications get a reply within 14 days; coordinators are reminded of one waiting 10
  days without a coach, and again once it is past the 14 days.
- Workshop members are reminded 3 days (UK dates) before an assigned module is due.
- Times are stored in UTC and read and written in UK time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from careers_app.clock import in_uk

ALLOWANCE = 3
NOTICE_HOURS = 24
NOTICE = dt.timedelta(hours=NOTICE_HOURS)
REPLY_WITHIN_DAYS = 14
UNALLOCATED_ALERT_DAYS = 10
MODULE_REMINDER_DAYS = 3


def is_late(starts_at: dt.datetime, now: dt.datetime) -> bool:
    """True when a trainee's change comes less than NOTICE before the start.

    Measured in real elapsed time, so a clock change in between neither adds nor takes
    away an hour of notice.
    """
    return starts_at - now < NOTICE


@dataclass(frozen=True)
class Allowance:
    used: int
    total: int = ALLOWANCE

    @property
    def remaining(self) -> int:
        return max(self.total - self.used, 0)

    @property
    def can_book(self) -> bool:
        return self.used < self.total

    def __str__(self) -> str:
        return f"{self.used} of {self.total} used"


def days_waiting(submitted_at: dt.datetime, now: dt.datetime) -> int:
    return (in_uk(now).date() - in_uk(submitted_at).date()).days


def is_overdue(submitted_at: dt.datetime, now: dt.datetime) -> bool:
    return days_waiting(submitted_at, now) > REPLY_WITHIN_DAYS
