"""The careers unit's coaching rules, as plain functions of times and counts.

- Up to three free 1-2-1 appointments per application.
- A trainee may cancel or rearrange up to 24 hours before an appointment and lose
  nothing; later than that they must give a reason, and the appointment counts as used
  unless the coach waives it. A cancellation by the coach never uses the allowance.
- Applications get a reply within 14 days.
- Times are stored in UTC and read and written in UK time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")
ALLOWANCE = 3
NOTICE = dt.timedelta(hours=24)
REPLY_WITHIN_DAYS = 14


class TimeProblem(ValueError):
    """A local time that cannot be booked as given; the message says why and what to do."""


def uk_to_utc(day: dt.date, time: dt.time) -> dt.datetime:
    """The UTC moment of a UK wall-clock time, refusing times a clock change skips or repeats.

    When the clocks go forward (last Sunday in March) 01:00 to 01:59 never happens; when
    they go back (last Sunday in October) 01:00 to 01:59 happens twice. Either way the
    time alone does not say which moment is meant, so it is refused with a message.
    """
    naive = dt.datetime.combine(day, time)
    first, second = naive.replace(tzinfo=UK, fold=0), naive.replace(tzinfo=UK, fold=1)
    if first.utcoffset() != second.utcoffset():
        round_trip = first.astimezone(dt.UTC).astimezone(UK).replace(tzinfo=None)
        if round_trip != naive:
            raise TimeProblem(
                f"{time:%H:%M} does not happen on {day.day} {day:%B %Y}: the clocks go "
                "forward an hour at 1am. Choose a time from 2am"
            )
        raise TimeProblem(
            f"{time:%H:%M} happens twice on {day.day} {day:%B %Y}, when the clocks go back "
            "at 2am. Choose a time before 1am or from 2am"
        )
    return first.astimezone(dt.UTC)


def in_uk(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(UK)


def is_late(starts_at: dt.datetime, now: dt.datetime) -> bool:
    """True when a trainee's change comes less than 24 hours before the start.

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
