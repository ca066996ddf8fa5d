"""UK time for the people using the service; everything is stored in UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from careers_app.db import utcnow

UK = ZoneInfo("Europe/London")


def in_uk(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(UK)


def uk_today() -> dt.date:
    """Today's date where the service's users are."""
    return in_uk(utcnow()).date()


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


def parse_time(text: str) -> dt.time | None:
    """"14:30", "14.30" or "9:05" as a time of day; None when it is not one."""
    parts = text.strip().replace(".", ":").split(":")
    # Two digits at most: int() of thousands of digits raises (Python's digit limit).
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() and len(p) <= 2 for p in parts):
        return None
    hour, minute = int(parts[0]), int(parts[1])
    return dt.time(hour, minute) if 0 <= hour < 24 and 0 <= minute < 60 else None
