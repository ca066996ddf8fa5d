"""The plan's actions as an iCalendar file: one all-day event per dated action.

Each event's UID depends only on where the action came from (its id on the plan, or its
worksheet row), so importing the file again updates events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from icalendar import Calendar, Event

from careers_app.db import utcnow

UID_DOMAIN = "careers-app.plan"


def action_uid(entry: dict[str, Any], user_id: int) -> str:
    if entry.get("source_key"):
        return f"worksheet-{user_id}-{entry['source_key'].replace('/', '-')}@{UID_DOMAIN}"
    return f"action-{entry['id']}@{UID_DOMAIN}"


def actions_calendar(actions: Iterable[dict[str, Any]], user_id: int) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Plan your NHS career//Action plan//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "My career action plan")
    stamp = utcnow()
    for entry in actions:
        if not entry["target"]:
            continue
        day = dt.date.fromisoformat(entry["target"])
        event = Event()
        event.add("uid", action_uid(entry, user_id))
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("summary", entry["text"])
        details = [f"How I will know it is done: {entry['measure']}" if entry["measure"] else "",
                   f"Support: {entry['support']}" if entry["support"] else "",
                   f"Status: {entry['status_label']}"]
        event.add("description", "\n".join(line for line in details if line))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
