"""How ``make test`` shares the tests between its processes (pytest-xdist).

A test file runs whole in one process, as its fixtures and its Redis database number
assume. The browser tests run in one, with one browser and one live server, while the
other processes take the rest: the browser tests mostly wait, the rest is CPU work.

The longest browser test, which only reads every module's pages, is a unit of its own.
xdist hands out the units with the most tests first, so it goes out among the last,
to a process that has finished its share of the rest: without it, that process sat idle
for the last minutes while the browser tests went on in the other.
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

BROWSER_TESTS = "tests/e2e"
BROWSER_TESTS_ON_THEIR_OWN = frozenset({"tests/e2e/test_programme_pages.py"})


class BrowserTestsTogether(LoadScopeScheduling):
    """Hands out whole test files, and the browser tests as one (but for those in
    ``BROWSER_TESTS_ON_THEIR_OWN``, each a unit of its own)."""

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        if path.startswith(BROWSER_TESTS + "/") and path not in BROWSER_TESTS_ON_THEIR_OWN:
            return BROWSER_TESTS
        return path
