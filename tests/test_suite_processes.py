"""make test's processes: each test file whole in one, the browser tests in one (the
longest of them in a unit of its own)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from tests.suite_processes import BROWSER_TESTS_ON_THEIR_OWN, BrowserTestsTogether

ROOT = Path(__file__).resolve().parent.parent


def test_the_browser_tests_are_one_unit_of_work_but_the_longest_and_every_other_file_is_one():
    scope = BrowserTestsTogether._split_scope
    assert scope(None, "tests/e2e/test_scan_thread.py::test_a") == "tests/e2e"
    assert scope(None, "tests/e2e/test_phone_width.py::test_b[x::y]") == "tests/e2e"
    assert scope(None, "tests/test_platform.py::test_c[a-b]") == "tests/test_platform.py"
    assert scope(None, "tests/test_fragments.py::Case::test_d") == "tests/test_fragments.py"
    assert scope(None, "tests/e2e/test_programme_pages.py::test_e") == (
        "tests/e2e/test_programme_pages.py")
    # A renamed file would quietly join the others again.
    assert all((ROOT / path).is_file() for path in BROWSER_TESTS_ON_THEIR_OWN)


def test_two_processes_each_run_a_file_whole():
    """A file whose tests were split between processes would share its Redis database
    number, or its module's fixtures, with itself at the same time. On SQLite whatever
    this run's database: two processes on one PostgreSQL database would empty its tables
    under each other."""
    env = {name: value for name, value in os.environ.items() if name != "TEST_DATABASE_URL"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "-v", "-p", "no:cacheprovider",
         "tests/test_platform.py", "tests/test_security_headers.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    workers: defaultdict[str, set[str]] = defaultdict(set)
    for worker, path in re.findall(r"^\[(gw\d+)\].* PASSED (tests/[\w/]+\.py)::", run.stdout,
                                   re.MULTILINE):
        workers[path].add(worker)
    assert set(workers) == {"tests/test_platform.py", "tests/test_security_headers.py"}
    assert all(len(ran_on) == 1 for ran_on in workers.values()), dict(workers)
