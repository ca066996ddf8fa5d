"""Which words and date of a tracked worksheet action follow its worksheet row.

Tracking copies a worksheet row into a PlanAction so the trainee can give it a status,
reorder it and change it on the plan. Copying alone froze the row's words: a later change
in the worksheet never reached the plan. So each field the trainee has not changed on the
plan shows the worksheet's current value, and a field they changed on the plan (listed in
``PlanAction.own_fields``) keeps theirs. The status and the order are always the plan's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from careers_app.plans.document import WorksheetAction
from careers_app.plans.models import PlanAction

# PlanAction attribute -> WorksheetAction attribute.
FOLLOWED = {"text": "text", "measure": "measure", "support": "support",
            "target_date": "target"}


@dataclass(frozen=True)
class ShownAction:
    """An action's words and date as the plan shows them."""

    text: str
    measure: str
    support: str
    target_date: dt.date | None


def own_fields(action: PlanAction) -> set[str]:
    return {name for name in (action.own_fields or "").split(",") if name}


def shown(action: PlanAction, origin: WorksheetAction | None) -> ShownAction:
    """The worksheet row's value for each field not changed on the plan; the plan's own
    copy for the rest, and for all of them once the row has gone from the worksheet."""
    own = own_fields(action)
    values = {name: getattr(action, name) if origin is None or name in own
              else getattr(origin, worksheet_name)
              for name, worksheet_name in FOLLOWED.items()}
    return ShownAction(**values)


def changed_on_the_plan(action: PlanAction, draft: ShownAction,
                        origin: WorksheetAction | None) -> str:
    """``own_fields`` after the trainee saved ``draft``: the fields that now differ from
    the worksheet row. Saving a field back to the worksheet's value lets it follow again.
    Without a row to compare with, what was already the plan's own stays so."""
    if origin is None:
        return action.own_fields or ""
    return ",".join(name for name, worksheet_name in FOLLOWED.items()
                    if getattr(draft, name) != getattr(origin, worksheet_name))
