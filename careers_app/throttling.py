"""Throttles that count an attempt before anything is evaluated.

Each attempt is reserved atomically in the shared store (Redis in production, through
the limits library's Lua scripts) before a password, join code or address is looked
at. A check that tests first and counts afterwards lets every request of a concurrent
burst through before any of them is counted; a reservation cannot be overtaken.

Two kinds of rule:

- ``keep``/``clear``: every attempt counts, in a moving window (no burst at the turn of
  a minute). ``clear`` wipes the count when the attempt succeeds: used for the
  per-account sign-in limit, so what is limited is consecutive failures.
- ``give_back``: only failures count. The attempt is reserved in a fixed window and
  handed back when it succeeds, so many people behind one hospital address who sign
  in correctly never use up each other's allowance. (A fixed window can let up to
  twice the limit through either side of its end; these are the coarser limits.)

If the shared store cannot be reached, counting carries on in this process's memory
(see README, "Security decisions"): the limits then hold per instance, not overall,
but nobody gets a server error and throttling never switches off.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from flask import Flask, Response, current_app, render_template
from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter, RateLimiter
from wtforms import Field

log = logging.getLogger(__name__)

OnSuccess = Literal["keep", "clear", "give_back"]


@dataclass(frozen=True)
class Rule:
    """A named set of limits, e.g. Rule("sign-in-account", "5 per minute;100 per hour")."""

    name: str
    limits: str
    on_success: OnSuccess = "keep"

    @cached_property
    def items(self) -> list[RateLimitItem]:
        # Shortest window first, so the refusal names the soonest time to try again.
        return sorted(parse_many(self.limits), key=lambda item: item.get_expiry())


@dataclass
class Reservation:
    """Attempts reserved for one request; settle it once the outcome is known."""

    allowed: bool
    retry_after: int = 0
    _storage: Storage | None = None
    _held: list[tuple[Rule, str, RateLimitItem]] = field(default_factory=list)


class Throttle:
    """One per application: the shared store, and memory to fall back on."""

    def __init__(self, storage_uri: str, options: dict[str, Any], secret: str) -> None:
        self._secret = secret.encode()
        self._fallback = MemoryStorage()
        self._primary: Storage = (
            self._fallback if storage_uri.startswith("memory://")
            else storage_from_string(storage_uri, wrap_exceptions=True, **options)
        )

    def _key(self, rule: Rule, identity: str) -> str:
        # A keyed hash: the store never holds email or network addresses.
        digest = hmac.new(self._secret, f"{rule.name}\0{identity}".encode(), hashlib.sha256)
        return digest.hexdigest()[:40]

    @staticmethod
    def _strategy(rule: Rule, storage: Storage) -> RateLimiter:
        if rule.on_success == "give_back":
            return FixedWindowRateLimiter(storage)
        return MovingWindowRateLimiter(storage)

    def reserve(self, *wanted: tuple[Rule, str]) -> Reservation:
        """Reserve one attempt under every (rule, identity); refused if any limit is full."""
        try:
            return self._reserve(self._primary, wanted)
        except StorageError as error:
            log.warning("throttle store unavailable (%s): counting in this process",
                        type(error.storage_error).__name__)
            return self._reserve(self._fallback, wanted)

    def _reserve(self, storage: Storage, wanted: tuple[tuple[Rule, str], ...]) -> Reservation:
        reservation = Reservation(allowed=True, _storage=storage)
        for rule, identity in wanted:
            key = self._key(rule, identity)
            strategy = self._strategy(rule, storage)
            for item in rule.items:
                if strategy.hit(item, "throttle", rule.name, key):
                    reservation._held.append((rule, key, item))
                    continue
                if rule.on_success == "give_back":
                    # The refused increment was not an evaluated attempt: undo it.
                    storage.incr(item.key_for("throttle", rule.name, key), item.get_expiry(),
                                 amount=-1)
                reset_at = strategy.get_window_stats(item, "throttle", rule.name, key).reset_time
                self._release(storage, reservation._held)
                return Reservation(allowed=False,
                                   retry_after=max(1, math.ceil(reset_at - time.time())))
        return reservation

    def succeeded(self, reservation: Reservation) -> None:
        """The attempt succeeded: give back or clear what each rule says to."""
        if not reservation.allowed or reservation._storage is None:
            return
        try:
            self._release(reservation._storage, reservation._held, success=True)
        except StorageError as error:
            log.warning("throttle store unavailable (%s): success not recorded",
                        type(error.storage_error).__name__)
        reservation._held = []

    @staticmethod
    def _release(storage: Storage, held: list[tuple[Rule, str, RateLimitItem]],
                 success: bool = False) -> None:
        """Give back fixed-window reservations (and, on success, clear 'clear' rules)."""
        for rule, key, item in held:
            storage_key = item.key_for("throttle", rule.name, key)
            if rule.on_success == "give_back":
                # If the window ended meanwhile, the new window's count goes below zero
                # by the number of such give-backs: as many spare attempts, once.
                storage.incr(storage_key, item.get_expiry(), amount=-1)
            elif success and rule.on_success == "clear":
                storage.clear(storage_key)


def wait_text(seconds: int) -> str:
    """'a minute', '12 minutes', 'an hour': how long to wait, in words."""
    minutes = max(1, -(-seconds // 60))
    if minutes == 1:
        return "a minute"
    if minutes >= 60:
        return "an hour"
    return f"{minutes} minutes"


def refused(page: str, retry_after: int) -> Response:
    """A refused attempt: the form again (what was typed kept), 429 and Retry-After."""
    return Response(page, status=429, headers={"Retry-After": str(retry_after)})


def refuse_page(retry_after: int) -> Response:
    """A refused request with no form to show again: the "too many attempts" page."""
    return refused(render_template("errors/429.html", status=429), retry_after)


def refuse_form(form_field: Field, message: str, retry_after: int, template: str,
                **context: Any) -> Response:
    """The form's page again with ``message`` (its ``{wait}`` filled in) on ``form_field``."""
    form_field.errors = [*form_field.errors, message.format(wait=wait_text(retry_after))]
    return refused(render_template(template, **context), retry_after)


def init_throttle(app: Flask) -> None:
    app.extensions["throttle"] = Throttle(
        app.config["RATELIMIT_STORAGE_URI"],
        dict(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {}),
        app.config["SECRET_KEY"],
    )


def throttle() -> Throttle:
    return current_app.extensions["throttle"]  # type: ignore[no-any-return]
