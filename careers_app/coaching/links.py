"""Turn the web addresses in an appointment's "where" into links, and nothing else.

A coach types a video link, a phone number or a place into one box, often with words
around the link ("Teams: https://…"). Only http and https addresses with a host become
links, so a ``javascript:`` or ``data:`` address, or anything else, stays plain text.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markupsafe import Markup, escape

_CANDIDATE = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
# Punctuation that usually closes the sentence around a link rather than belonging to it.
_TRAILING = ".,;:!?)]}"


def _web_address(candidate: str) -> str | None:
    """The address if it is a usable http(s) URL with a host, else None."""
    try:
        parts = urlsplit(candidate)
        host = parts.hostname
    except ValueError:  # an unclosed IPv6 bracket, a bad port
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return candidate


def web_links(text: str | None) -> Markup:
    """``text`` escaped, with each http(s) address in it made a link to itself."""
    if not text:
        return Markup("")
    pieces: list[str] = []
    position = 0
    for match in _CANDIDATE.finditer(text):
        candidate = match.group(0).rstrip(_TRAILING)
        address = _web_address(candidate)
        if address is None:
            continue
        start = match.start()
        pieces.append(escape(text[position:start]))
        pieces.append(Markup('<a class="app-break" href="{0}" rel="noreferrer">{0}</a>')
                      .format(address))
        position = start + len(candidate)
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)
