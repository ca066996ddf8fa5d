"""Join codes are 6 characters from 25: guessing one must stay hopeless.

An attempt is reserved before the code is looked up and given back when the code
leads to a workshop, so only wrong codes count: per person, and per address so that
many new accounts from one place cannot share out the guessing. A room of trainees on
one hospital network joining at the start of a workshop never meets the limit, since
their codes are right.
"""

from __future__ import annotations

from flask_login import current_user

from careers_app.accounts.throttle import client_address
from careers_app.throttling import Reservation, Rule, throttle

JOIN_ACCOUNT = Rule("join-code-account", "10 per minute;30 per hour", on_success="give_back")
JOIN_ADDRESS = Rule("join-code-address", "30 per minute;200 per hour", on_success="give_back")

TOO_MANY_CODES = (
    "There have been too many wrong workshop codes from your account or from here. "
    "Wait {wait} and try again, or ask your facilitator for the join link"
)


def reserve_join_code() -> Reservation:
    return throttle().reserve((JOIN_ADDRESS, client_address()),
                              (JOIN_ACCOUNT, str(current_user.id)))
