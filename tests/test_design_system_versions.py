"""The NHS.UK frontend CSS and JavaScript (from npm) and the NHS.UK Jinja macros (from
PyPI) are released separately, and each macro release writes the markup of one frontend
release. Pinned to a pair that does not belong together, the pages would render markup the
stylesheet does not style. These tests fail when either pin moves without the other."""

from __future__ import annotations

import json
import re
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Which nhsuk-frontend release each nhsuk-frontend-jinja release is made for, copied from
# the "Compatibility" table in the nhsuk-frontend-jinja README (shown on its PyPI page and
# in the installed package's METADATA). When upgrading, move both pins and add the new
# row here from that table.
FRONTEND_FOR_JINJA = {
    "0.10.2": "10.6.1",
}

JINJA_PACKAGE = "nhsuk-frontend-jinja"
FRONTEND_PACKAGE = "nhsuk-frontend"


def _pinned_jinja(path: Path) -> str:
    match = re.search(rf"^\s*\"?{JINJA_PACKAGE}==([\w.]+)", path.read_text(), re.MULTILINE)
    assert match, f"{path.name} does not pin {JINJA_PACKAGE} with =="
    return match.group(1)


def _expected_frontend() -> str:
    jinja = _pinned_jinja(ROOT / "requirements.lock")
    assert jinja in FRONTEND_FOR_JINJA, (
        f"{JINJA_PACKAGE} {jinja} is not in FRONTEND_FOR_JINJA: add the nhsuk-frontend "
        f"version it is made for, from the Compatibility table in its README")
    return FRONTEND_FOR_JINJA[jinja]


def test_the_jinja_macros_are_pinned_once_and_installed_at_that_version():
    locked = _pinned_jinja(ROOT / "requirements.lock")
    declared = _pinned_jinja(ROOT / "pyproject.toml")
    assert declared == locked, (
        f"pyproject.toml pins {JINJA_PACKAGE}=={declared} but requirements.lock pins {locked}")
    assert version(JINJA_PACKAGE) == locked, (
        f"{JINJA_PACKAGE} {version(JINJA_PACKAGE)} is installed but {locked} is pinned: "
        f"reinstall from requirements.lock")


def test_package_json_pins_the_frontend_the_jinja_macros_are_made_for():
    expected = _expected_frontend()
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"][FRONTEND_PACKAGE]
    assert pinned == expected, (
        f"package.json pins {FRONTEND_PACKAGE} {pinned!r}, but {JINJA_PACKAGE} "
        f"{_pinned_jinja(ROOT / 'requirements.lock')} is made for {expected}: move both "
        f"pins together (exact versions, no ranges)")


def test_package_lock_resolves_the_frontend_the_jinja_macros_are_made_for():
    expected = _expected_frontend()
    lock = json.loads((ROOT / "package-lock.json").read_text())
    resolved = lock["packages"][f"node_modules/{FRONTEND_PACKAGE}"]["version"]
    assert resolved == expected, (
        f"package-lock.json resolves {FRONTEND_PACKAGE} {resolved}, but {JINJA_PACKAGE} is "
        f"made for {expected}: run npm install after moving the pin in package.json")


def test_the_served_frontend_is_the_one_the_jinja_macros_are_made_for():
    # The Makefile writes the copied release's version beside the CSS it serves.
    served = (ROOT / "static/vendor/nhsuk-frontend/VERSION").read_text().strip()
    assert served == _expected_frontend(), (
        f"static/vendor holds {FRONTEND_PACKAGE} {served}, not {_expected_frontend()}: "
        f"run make setup to copy the pinned release")
