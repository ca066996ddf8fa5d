"""How ``make test`` shares the tests between its processes (pytest-xdist).

A test file runs whole in one process, as its fixtures and its Redis database number
assume. The browser tests all run in one, with one browser and one live server, while
the other processes take the rest: the browser tests mostly wait, the rest is CPU work.
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

BROWSER_TESTS = "tests/e2e"


class BrowserTestsTogether(LoadScopeScheduling):
    """Hands out whole test files, and the browser tests as one."""

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        return BROWSER_TESTS if path.startswith(BROWSER_TESTS + "/") else path
