"""The words an account can be found by: what a coordinator may type the start of.

Kept in their own table (``user_search_term``, one row per word, indexed) so a search
reads the few accounts whose words start with what was typed, never every account: a
search for part of a word can use no index on any database. Both sides go through the
same folding here, so "PATEL", "patel" and "Patel" find the same people.
"""

from __future__ import annotations

import re

from careers_app.text import normalise_text

# Room for the longest email address (the user table allows 254 characters).
TERM_LENGTH = 254
# More words than anyone types to find a person: each is one more indexed lookup.
MAX_QUERY_WORDS = 6
# Inside a word: the hyphens, apostrophes and dots of "Anne-Marie", "O'Brien",
# "patel.p" or "j_smith+nhs" (the start of each part is also a start to type).
_INSIDE_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """NFC, then case folded (as ``str.casefold``: "Strauß" and "STRAUSS" compare equal)."""
    return normalise_text(text).casefold()


def terms_for(full_name: str, email: str) -> set[str]:
    """Every word of the name and the email's local part, each word's parts, and the
    whole email address (so "patel.p@nh" finds it too)."""
    address = fold(email)
    words = fold(full_name).split() + [address.partition("@")[0]]
    terms = {address}
    for word in words:
        terms.add(word)
        terms.update(part for part in _INSIDE_WORD.split(word) if part)
    return {term[:TERM_LENGTH] for term in terms if term}


def query_words(query: str) -> list[str]:
    """The distinct words of a search, folded as the terms are (at most TERM_LENGTH
    characters each, since no longer term exists)."""
    return sorted({word[:TERM_LENGTH] for word in fold(query).split()})


def after_prefix(prefix: str) -> str | None:
    """The least string greater than every string starting with ``prefix``, in code point
    order, or None when there is none (every character the highest code point).

    ``term >= prefix AND term < after_prefix(prefix)`` is "starts with" as a range a
    B-tree index serves on any database, where ``LIKE 'prefix%'`` needs particular
    collations or settings to use one.
    """
    while prefix:
        last = ord(prefix[-1])
        if last < 0x10FFFF:
            following = last + 1
            if 0xD800 <= following <= 0xDFFF:  # surrogates are not characters: skip them
                following = 0xE000
            return prefix[:-1] + chr(following)
        prefix = prefix[:-1]
    return None
