"""The kinds of reminder email, who each is for, and how the profile page words them."""

from __future__ import annotations

import enum

from careers_app.accounts.models import User
from careers_app.security import Role


class Kind(enum.StrEnum):
    ACTIONS = "actions"          # a trainee's weekly digest of plan actions
    MODULE_DUE = "module"        # a workshop module due in 3 days, not completed
    APPOINTMENT = "appointment"  # the day before a coaching appointment (trainee and coach)
    QUEUE = "queue"              # applications waiting too long (coordinators)

    @property
    def choice(self) -> str:
        """The checkbox on the profile page."""
        # Imported here: the profile page (accounts) lists these, and coaching's package
        # imports its views, which need accounts.
        from careers_app.coaching import rules

        return {
            "actions": "Email me on Monday mornings with the actions in my plan that are "
                       "due that week or overdue",
            "module": f"Email me {rules.MODULE_REMINDER_DAYS} days before a module my "
                      "workshop assigned is due, if I have not finished it",
            "appointment": "Email me the day before a careers coaching appointment",
            "queue": f"Email me about coaching applications waiting "
                     f"{rules.UNALLOCATED_ALERT_DAYS} days without a coach, and those past "
                     f"the {rules.REPLY_WITHIN_DAYS}-day reply target",
        }[self]

    @property
    def stop_what(self) -> str:
        """What the unsubscribe page says these emails are."""
        return {
            "actions": "the Monday email about the actions in your plan",
            "module": "reminders about workshop modules that are due soon",
            "appointment": "reminders the day before a careers coaching appointment",
            "queue": "emails about coaching applications waiting for a reply",
        }[self]

    @property
    def roles(self) -> frozenset[Role]:
        """Holding any of these roles makes the reminder one that can reach a person."""
        if self is Kind.QUEUE:
            return frozenset({Role.COORDINATOR})
        if self is Kind.APPOINTMENT:
            return frozenset({Role.TRAINEE, Role.COACH})
        return frozenset({Role.TRAINEE})


def kinds_for(user: User) -> list[Kind]:
    """The reminders that can reach ``user``, in the order the profile page lists them."""
    return [kind for kind in Kind if user.has_any_role(kind.roles)]
