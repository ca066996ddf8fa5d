"""Download my data: everything that is the person's is in it, nobody else's private text is."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, MetaData, Table, Text, select

from careers_app.audit import AuditEvent
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.outbox.models import OutboxEmail
from careers_app.personal_data.collect import ARRANGED, build_data
from careers_app.personal_data.ownership import person_row_ids, person_rows, reachable_tables
from tests.personal_data_steps import CANARIES, COACH, OTHER, PERSON, everything, warned_of_deletion


def export_zip(client) -> tuple[zipfile.ZipFile, int]:  # type: ignore[no-untyped-def]
    """Ask for the export (the job runs at once in tests), then download it."""
    asked = client.post("/account/export")
    assert asked.status_code == 303, asked.status_code
    export_id = int(asked.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    page = client.get(f"/account/export/{export_id}")
    assert "Your download is ready" in page.get_data(as_text=True)
    download = client.get(f"/account/export/{export_id}/download")
    assert download.status_code == 200
    assert download.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(download.data)), export_id


def _ids(items: list[dict[str, Any]]) -> set[int]:
    return {item["id"] for item in items}


def ids_in_json(data: dict[str, Any]) -> dict[str, set[int]]:
    """Where each table's rows are in data.json (docs/personal-data-export.md)."""
    found = {
        "user": {data["profile"]["id"]},
        "user_role": _ids(data["profile"]["roles"]),
        "step_answer": _ids(data["answers"]),
        "step_revision": {v["id"] for a in data["answers"] for v in a["versions"]},
        "module_progress": _ids(data["module_progress"]),
        "action_plan": {data["plan"]["id"]} if data["plan"] else set(),
        "plan_action": _ids(data["plan_actions"]),
        "plan_choice": _ids(data["plan_choices"]),
        "plan_snapshot": _ids(data["snapshots"]),
        "pdf_render": _ids(data["pdf_renders"]),
        "plan_share": _ids(data["shares"]) | _ids(data["shared_with_them"]),
        "plan_comment": _ids(data["comments_received"]) | _ids(data["comments_written"]),
        "coaching_application": (_ids(data["coaching_applications"])
                                 | _ids(data["coaching_cases"])),
        "appointment": _ids(data["appointments"]),
        "coach_note": _ids(data["coach_notes"]),
        "outbox_email": _ids(data["emails"]),
        "outbox_attachment": {a["id"] for e in data["emails"] for a in e["attachments"]},
        "membership": (_ids(data["workshop_memberships"])
                       | {m["id"] for w in data["workshops_run"] for m in w["members"]}),
        "module_show": ({s["id"] for m in data["workshop_memberships"] for s in m["modules_shown"]}
                        | {s["id"] for w in data["workshops_run"] for m in w["members"]
                           for s in m["modules_shown"]}),
        "workshop": _ids(data["workshops_run"]),
        "assignment": {a["id"] for w in data["workshops_run"] for a in w["assignments"]},
        "reminder_day": {d["id"] for w in data["workshops_run"] for d in w["reminder_days"]},
        "reminder_opt_out": _ids(data["reminder_settings"]["opted_out"]),
        "audit_event": _ids(data["audit_about_them"]) | _ids(data["audit_by_them"]),
        "data_export": _ids(data["data_exports"]),
        "retention_warning": _ids(data["retention_warnings"]),
    }
    for table, rows in data["other_records"].items():
        found[table] = _ids(rows)
    return {table: ids for table, ids in found.items() if ids}


def test_the_export_holds_every_row_that_belongs_to_the_person(app, client, sign_in):
    people = everything(app)
    sign_in(PERSON)
    warned_of_deletion(app, people.person)
    archive, export_id = export_zip(client)
    data = json.loads(archive.read("data.json"))
    with app.app_context():
        walked = person_row_ids(people.person, PERSON)
        # Written after data.json was made: the "ready" email and the download's record.
        ready = db.session.execute(select(OutboxEmail.id).where(
            OutboxEmail.key == f"data-export:{export_id}:ready")).scalar_one()
        downloaded = db.session.execute(select(AuditEvent.id).where(
            AuditEvent.action == "data_exported")).scalar_one()
        every_table = reachable_tables(db.metadata)
    walked["outbox_email"].discard(ready)
    walked["audit_event"].discard(downloaded)

    # The fixture has a row in every table a person's rows can be in ...
    assert set(walked) == every_table
    # ... and the export has exactly those rows, table by table.
    assert ids_in_json(data) == walked
    # Each table has its own place in data.json; other_records is for tables added later.
    assert data["other_records"] == {}
    assert set(walked) <= ARRANGED
    assert data["format_version"] == 1


def test_the_export_holds_no_private_text_of_anyone_else(app, client, sign_in):
    everything(app)
    sign_in(PERSON)
    archive, _ = export_zip(client)
    for name in archive.namelist():
        if name.endswith((".json", ".html")):
            text = archive.read(name).decode()
            for canary in CANARIES:
                assert canary not in text, (canary, name)
            # Other people by name only, never by address.
            assert OTHER not in text and COACH not in text, name
    data = json.loads(archive.read("data.json"))
    assert "password_hash" not in data["profile"] and "session_token" not in data["profile"]
    # Names the person already sees are there.
    assert {share["coach_name"] for share in data["shares"]} == {"Sam Coach"}
    assert data["coaching_applications"][0]["coach_name"] == "Sam Coach"
    assert [m["name"] for m in data["workshops_run"][0]["members"]] == ["Olly Other"]
    assert all(not note["text_included"] for note in data["coach_notes"])


def test_the_export_holds_earlier_versions_pages_and_pdfs(app, client, sign_in):
    everything(app)
    sign_in(PERSON)
    archive, _ = export_zip(client)
    names = set(archive.namelist())
    assert {"data.json", "index.html", "plan.pdf",
            "modules/scan-1-self-awareness.html"} <= names
    assert any(name.startswith("snapshots/snapshot-") for name in names)
    assert archive.read("plan.pdf").startswith(b"%PDF-")
    data = json.loads(archive.read("data.json"))
    values = next(a for a in data["answers"] if a["step"] == "work-values")
    assert values["answers"]["values-reflection"] == "Second version"
    assert [v["answers"].get("values-reflection") for v in values["versions"]][:2] == [
        "Continuity of care matters more to me than pace", "Second version"]
    page = archive.read("modules/scan-1-self-awareness.html").decode()
    assert "Explaining risks to patients in plain words" in page
    index = archive.read("index.html").decode()
    assert 'href="modules/scan-1-self-awareness.html"' in index
    assert "A clear plan: book the taster week" in index  # the comment they received
    # Codes in words, as the service shows them.
    assert "Doctor or dentist in training" in index and "<td>In progress</td>" in index
    assert "Share viewed" in index
    # Dates read as the service writes them, not as data.json stores them.
    assert "<td>1 May 2027</td>" in index and "2027-05-01" not in index


def test_a_table_added_later_is_walked_and_exported_without_changes(app, make_user):
    """A new table pointing at user.id, and one pointing at that, are found from the
    schema alone and land in other_records (files left out)."""
    person, other = make_user(PERSON), make_user(OTHER)
    schema = MetaData()
    for table in db.metadata.tables.values():
        table.to_metadata(schema)
    diary = Table("career_diary", schema, Column("id", Integer, primary_key=True),
                  Column("writer_id", ForeignKey("user.id")), Column("entry", Text),
                  Column("scan", LargeBinary))
    tag = Table("diary_tag", schema, Column("id", Integer, primary_key=True),
                Column("diary_id", ForeignKey("career_diary.id")), Column("tag", Text))
    with app.app_context():
        try:
            schema.create_all(db.engine, tables=[diary, tag])
            db.session.execute(diary.insert(), [
                {"id": 1, "writer_id": person.id, "entry": "mine", "scan": b"%PDF"},
                {"id": 2, "writer_id": other.id, "entry": "CANARY-NOT-MINE", "scan": None}])
            db.session.execute(tag.insert(), [{"id": 7, "diary_id": 1, "tag": "mine too"},
                                              {"id": 8, "diary_id": 2, "tag": "CANARY"}])
            db.session.commit()
            rows = person_rows(person.id, PERSON, schema)
            data = build_data(person.id, rows, app.extensions["modules"], utcnow())
        finally:
            db.session.rollback()
            schema.drop_all(db.engine, tables=[tag, diary])
    assert rows.ids["career_diary"] == {1} and rows.ids["diary_tag"] == {7}
    assert data["other_records"] == {
        "career_diary": [{"id": 1, "writer_id": person.id, "entry": "mine"}],
        "diary_tag": [{"id": 7, "diary_id": 1, "tag": "mine too"}]}


def test_a_coachs_export_holds_their_rows_but_not_their_clients_private_text(
        app, client, sign_in):
    """The coach is the other side of applications, shares and appointments: every such
    row is listed, with names, dates and what the coach wrote, and nothing more."""
    people = everything(app)
    sign_in(COACH)
    archive, export_id = export_zip(client)
    data = json.loads(archive.read("data.json"))
    with app.app_context():
        walked = person_row_ids(people.coach, COACH)
        ready = db.session.execute(select(OutboxEmail.id).where(
            OutboxEmail.key == f"data-export:{export_id}:ready")).scalar_one()
        downloaded = db.session.execute(select(AuditEvent.id).where(
            AuditEvent.action == "data_exported")).scalar_one()
    walked["outbox_email"].discard(ready)
    walked["audit_event"].discard(downloaded)
    assert ids_in_json(data) == walked
    assert {case["trainee_name"] for case in data["coaching_cases"]} == {"Pat Person",
                                                                        "Olly Other"}
    assert len(data["coach_notes"]) == 2
    text = archive.read("data.json").decode() + archive.read("index.html").decode()
    for private in ("CANARY-OTHER-ANSWER", "CANARY-OTHER-HOPES", "CANARY-OTHER-AVAILABILITY",
                    "CANARY-NOTE-ABOUT-PERSON", "CANARY-NOTE-ABOUT-OTHER",
                    "Decide between GP and paediatrics", PERSON, OTHER):
        assert private not in text, private
    assert "CANARY-COMMENT-TO-OTHER" in text  # what the coach wrote themselves
