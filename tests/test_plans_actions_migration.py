"""Upgrading actions tracked before they followed the worksheet: nothing the plan shows
changes, and an action never changed on the plan follows its worksheet row from then on."""

from __future__ import annotations

import json

from flask_migrate import upgrade
from sqlalchemy import text

from careers_app.extensions import db
from tests.conftest import app_on_an_empty_database
from tests.factories import make_account

ROWS = [{"action": "Taster week", "measure": "Booked", "support": "Supervisor",
         "target": {"day": "14", "month": "3", "year": "2027"}},
        {"action": "Talk to trainees", "measure": "", "support": "New support",
         "target": {"day": "2", "month": "4", "year": "2027"}}]


def test_upgrade_keeps_what_was_changed_on_the_plan(tmp_path, database_url):
    with app_on_an_empty_database(database_url, tmp_path):
        upgrade(revision="9c4e2a7d1b35")
        user_id = make_account("a@example.org").id  # the user table is as it is today
        db.session.remove()
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO step_answer (user_id, module_slug, step_id, answers, version, "
                "completed, updated_at) VALUES (:u, 'scan-4-next-steps', 'action-plan', :a, 1, "
                "false, '2026-01-01 00:00:00')"), {"u": user_id,
                                                   "a": json.dumps({"actions": ROWS})})
            for key, words, support, created, updated in (
                    # changed on the plan: its words differ, its support and date do not
                    (0, "My taster week", "Supervisor", "2026-01-01 00:00:00",
                     "2026-02-01 00:00:00"),
                    # never changed on the plan: the worksheet's support changed since
                    (1, "Talk to trainees", "Old support", "2026-01-01 00:00:00",
                     "2026-01-01 00:00:00")):
                connection.execute(text(
                    "INSERT INTO plan_action (user_id, position, text, measure, support, "
                    "target_date, status, source_key, created_at, updated_at) VALUES (:i, :p, "
                    ":t, '', :s, :d, 'done', :k, :c, :u)"),
                    {"i": user_id, "p": key, "t": words, "s": support,
                     "k": f"scan-4-next-steps/action-plan/actions/{key}",
                     "c": created, "u": updated,
                     "d": "2027-03-14" if key == 0 else "2027-04-02"})
        upgrade()
        with db.engine.connect() as connection:
            own = dict(connection.execute(text(
                "SELECT text, own_fields FROM plan_action ORDER BY position")).all())
    assert own == {"My taster week": "text,measure", "Talk to trainees": ""}
