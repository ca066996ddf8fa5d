"""Every action the code writes to the audit log has words on the trainee's page.

The code is read, not run: every call that records an event is found in careers_app and
its action worked out, so a new action without words fails here before anyone sees it.
"""

from __future__ import annotations

import ast
from pathlib import Path

from careers_app.activity.words import WORDS
from careers_app.coaching.models import AppointmentStatus
from careers_app.coaching.workflow import ALLOWED, APPOINTMENT_MOVES
from careers_app.security import GRANTABLE_ROLES

PACKAGE = Path(__file__).resolve().parent.parent / "careers_app"

# Where the action is among each recording function's arguments, and its keyword.
RECORDERS = {"record": 1, "record_look": 1, "record_share_view": 2}

# Actions built from a template: each template's every value, as the code can build it.
FAMILIES = {
    "f'application_{to.value}'": {
        f"application_{to.value}" for moves in ALLOWED.values() for to in moves},
    "f'appointment_{to.value}'": {
        f"appointment_{to.value}" for moves in APPOINTMENT_MOVES.values() for to in moves},
    "f'role_{change}_{role.value}'": {
        f"role_{change}_{role.value}" for change in ("granted", "removed")
        for role in GRANTABLE_ROLES},
}


def _called(node: ast.Call) -> str | None:
    func = node.func
    name = func.id if isinstance(func, ast.Name) else (
        func.attr if isinstance(func, ast.Attribute) else None)
    return name if name in RECORDERS else None


def _action_argument(node: ast.Call, name: str) -> ast.expr | None:
    for keyword in node.keywords:
        if keyword.arg == "action":
            return keyword.value
    position = RECORDERS[name]
    return node.args[position] if len(node.args) > position else None


def _defaults(tree: ast.Module) -> dict[str, ast.expr]:
    """The default action of a recording function defined here (record_share_view's)."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name in RECORDERS:
            arguments = node.args.args
            for argument, default in zip(arguments[len(arguments) - len(node.args.defaults):],
                                         node.args.defaults, strict=True):
                if argument.arg == "action":
                    found[node.name] = default
    return found


def _actions(expression: ast.expr, where: str) -> set[str]:
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return {expression.value}
    if isinstance(expression, ast.IfExp):
        return _actions(expression.body, where) | _actions(expression.orelse, where)
    source = ast.unparse(expression)
    assert source in FAMILIES, (
        f"{where}: cannot tell which actions {source} records; give it words in "
        "careers_app/activity/words.py and teach this test its values")
    return FAMILIES[source]


def recorded_actions() -> dict[str, str]:
    """Every action the code can record, with where it is recorded."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defaults = _defaults(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or (name := _called(node)) is None:
                continue
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
            argument = _action_argument(node, name)
            if argument is None:
                argument = defaults.get(name) or _defaults_elsewhere(name)
            if isinstance(argument, ast.Name) and argument.id == "action":
                continue  # a recording function passing on its own argument: its callers count
            for action in _actions(argument, where):
                found.setdefault(action, where)
    return found


def _defaults_elsewhere(name: str) -> ast.expr:
    for path in PACKAGE.rglob("*.py"):
        default = _defaults(ast.parse(path.read_text(encoding="utf-8"))).get(name)
        if default is not None:
            return default
    raise AssertionError(f"{name} is called without an action and has no default")


def test_the_scan_finds_the_actions_recorded_today():
    actions = recorded_actions()
    for expected in ("share_viewed", "share_pdf_downloaded", "application_declined",
                     "application_viewed_by_coordinator", "attached_plan_downloaded_by_coach",
                     "shown_answers_viewed", "role_removed_coordinator", "appointment_booked",
                     "appointment_cancelled_by_trainee", "appointment_moved"):
        assert expected in actions


def test_every_recorded_action_has_words():
    missing = {action: where for action, where in recorded_actions().items()
               if action not in WORDS}
    assert missing == {}


def test_every_appointment_status_has_words():
    for status in AppointmentStatus:
        assert f"appointment_{status.value}" in WORDS


def test_words_are_short_enough_to_be_stored_and_fill_only_known_names():
    for action, words in WORDS.items():
        assert len(action) <= 40  # AuditEvent.action
        leftover = words.what.replace("{workshop}", "").replace("{appointment}", "") \
            .replace("{coach}", "")
        assert "{" not in leftover and "}" not in leftover, action
