"""Browser tests: Playwright drives the system Chromium against a live server.

This file makes the folder a package, so its modules (``e2e.conftest``,
``e2e.test_*``) never clash by name with the unit tests' ``conftest`` and
``test_*`` modules one folder up.
"""
