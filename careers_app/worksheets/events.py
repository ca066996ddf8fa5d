"""Signals other features listen to, so worksheets need not know about them.

``answers_saved`` is sent after a step's answers were committed, with the module as
sender and ``user_id`` and ``step``: the plans feature makes a changed plan's PDF ahead.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
answers_saved = _signals.signal("answers-saved")
