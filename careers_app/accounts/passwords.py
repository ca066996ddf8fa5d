"""Password hashing with argon2id (argon2-cffi's defaults meet current guidance), and
the refusal of passwords that are common or easy to guess."""

from __future__ import annotations

import os

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256

# A message, not a password (hence the noqa for the hard-coded password check).
COMMON_PASSWORD_MESSAGE = (
    "This password is too common or too easy to guess. Choose one that would be hard "  # noqa: S105
    "to guess, such as three random words"
)
# zxcvbn's list of the 30,000 most used passwords (from public breach corpora), lower
# case. Checked offline: the NHS network may block calls to an online breach service.
COMMON_PASSWORDS = frozenset(FREQUENCY_LISTS["passwords"])
# The list alone misses variations such as "123456789012" or "iloveyou2024". zxcvbn's
# estimate catches them: fewer than a million guesses (its score 0 or 1) is what an
# attacker tries first, so it counts as common too. Longer passwords are not estimated:
# zxcvbn refuses over 72 characters, and such a password is not a common one.
MIN_GUESSES = 10**6
ESTIMATE_MAX_LENGTH = 72

# argon2-cffi's defaults (RFC 9106's low-memory profile, 64 MiB) in every environment but
# the test suite's, where each of over a thousand tests makes accounts: there the cheapest
# parameters keep a hash to well under a millisecond instead of about 140 ms. The stored
# hash names its parameters, so production checks any hash at the strength it was made.
_hasher = (PasswordHasher.from_parameters(profiles.CHEAPEST)
           if os.environ.get("APP_ENV", "").strip().lower() == "test" else PasswordHasher())
# Verifying against this when no account matches keeps the timing of "no such email"
# close to "wrong password", so response times do not reveal who has an account.
_DUMMY_HASH = _hasher.hash("not a real password, used for timing only")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; always spends the same hashing effort."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def is_common_password(password: str) -> bool:
    """True for a password on the common list (in any case) or guessable in under
    a million tries."""
    if password.casefold() in COMMON_PASSWORDS:
        return True
    if len(password) > ESTIMATE_MAX_LENGTH:
        return False
    # No user_inputs: zxcvbn stores them in a module-level dict shared by all threads.
    return zxcvbn(password, max_length=ESTIMATE_MAX_LENGTH)["guesses"] < MIN_GUESSES


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
