"""Reading JSON request bodies so that no body, however odd, gives a server error.

Python's json module raises two things Flask does not turn into a 400: RecursionError
for arrays or objects nested about a thousand deep, and, for a number of more than
4,300 digits, a ValueError that makes the whole body unreadable. Here deep nesting
becomes an ordinary "malformed JSON" ValueError (a 400), and a long number becomes a
float, which every field check refuses with a message for that field.
"""

from __future__ import annotations

from typing import Any

from flask.json.provider import DefaultJSONProvider

# No whole number the service accepts (versions, ratings, positions) comes near this.
NUMBER_DIGITS_LIMIT = 20


def _parse_int(digits: str) -> int | float:
    if len(digits) > NUMBER_DIGITS_LIMIT:
        return float(digits)  # inf for thousands of digits: never a valid whole number
    return int(digits)


class RequestJSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading bodies as described above; responses are unchanged."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        kwargs.setdefault("parse_int", _parse_int)
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("The JSON is nested too deeply") from None
