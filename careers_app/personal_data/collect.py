"""data.json: everything the walk found (ownership.py), arranged by kind and made safe.

Every row the walk finds appears, with its ``id``, under the key for its kind; a table
this file does not know yet goes under ``other_records`` with every column but files,
so nothing the person holds is left out when the schema grows. The shape is documented
in docs/personal-data-export.md; bump ``FORMAT_VERSION`` when it changes.

Whose writing a row is decides what of it is shown. The person's own rows are given
whole (never a password hash or session token). Where they are the other side of
someone else's record (the coach of an application, the facilitator of a workshop, the
coach a plan was shared with) only what they already see in the service is given:
names, dates and statuses, and what they wrote themselves. Coaches' private notes are
never shown to the trainee (nor in any PDF), so their text is left out for everyone:
the export says when each note was written and that its text is not included. Other
people appear by name only, never by email address.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from careers_app.accounts.models import User
from careers_app.content.loader import ModuleRegistry
from careers_app.extensions import db
from careers_app.personal_data.ownership import PersonRows
from careers_app.workshops.models import Workshop

FORMAT_VERSION = 1
Row = dict[str, Any]
NOTE_WITHHELD = ("Coaches' private notes are not shown to trainees. Ask the careers unit "
                 "if you want to request them.")
# Tables arranged under named keys below; any other table goes under other_records.
ARRANGED = frozenset({
    "user", "user_role", "step_answer", "step_revision", "module_progress", "action_plan",
    "plan_action", "plan_choice", "plan_snapshot", "pdf_render", "plan_share",
    "plan_comment", "coaching_application", "appointment", "coach_note", "outbox_email",
    "outbox_attachment", "membership", "module_show", "workshop", "assignment",
    "reminder_day", "reminder_opt_out", "audit_event", "data_export", "retention_warning",
})
NEVER_EXPORTED_COLUMNS = frozenset({"password_hash", "session_token", "token_hash",
                                    "building_for"})


def plain(value: Any) -> Any:
    """A JSON-ready value: times as ISO 8601 (UTC), dates as YYYY-MM-DD."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def pick(row: Row, *columns: str, **extra: Any) -> Row:
    return {**{column: plain(row.get(column)) for column in columns}, **extra}


class Collector:
    """Arranges one person's rows; ``names`` maps other people's ids to their names."""

    def __init__(self, user_id: int, rows: PersonRows, registry: ModuleRegistry) -> None:
        self.me = user_id
        self.rows = rows
        self.registry = registry
        self.names = self._names()

    def _names(self) -> dict[int, str]:
        ids = {value for table in self.rows.rows.values() for row in table
               for column in ("user_id", "owner_id", "coach_id", "author_id", "actor_id",
                              "facilitator_id")
               if isinstance(value := row.get(column), int)}
        return dict(db.session.execute(
            select(User.id, User.full_name).where(User.id.in_(ids))).all())  # type: ignore[arg-type]

    def name(self, user_id: Any) -> str | None:
        return self.names.get(user_id) if isinstance(user_id, int) else None

    def titles(self, slug: str, step_id: str | None = None) -> tuple[str, str | None]:
        module = self.registry.get(slug)
        if module is None:
            return slug, step_id
        if step_id is None:
            return module.title, None
        step = next((s for s in module.steps if s.id == step_id), None)
        return module.title, step.title if step else step_id

    # -- kinds -------------------------------------------------------------------------

    def profile(self) -> Row:
        user = self.rows.of("user")[0]
        shown = {k: plain(v) for k, v in user.items() if k not in NEVER_EXPORTED_COLUMNS}
        shown["roles"] = [pick(r, "id", "role", "granted_at") for r in self.rows.of("user_role")]
        return shown

    def answers(self) -> list[Row]:
        versions: dict[Any, list[Row]] = defaultdict(list)
        for revision in self.rows.of("step_revision"):
            versions[revision["step_answer_id"]].append(
                pick(revision, "id", "version", "answers", "conflict", "saved_at"))
        result = []
        for row in self.rows.of("step_answer"):
            module_title, step_title = self.titles(row["module_slug"], row["step_id"])
            result.append(pick(row, "id", "answers", "version", "completed", "updated_at",
                               "answered_at", module=row["module_slug"],
                               module_title=module_title, step=row["step_id"],
                               step_title=step_title, versions=versions[row["id"]]))
        return result

    def module_progress(self) -> list[Row]:
        return [pick(r, "id", "started_at", "updated_at", "last_step_id", "steps_completed",
                     "completed_at", module=r["module_slug"],
                     module_title=self.titles(r["module_slug"])[0])
                for r in self.rows.of("module_progress")]

    def plan(self) -> Row | None:
        plans = self.rows.of("action_plan")
        return pick(plans[0], "id", "summary", "updated_at") if plans else None

    def shares(self) -> tuple[list[Row], list[Row]]:
        mine, theirs = [], []
        for r in self.rows.of("plan_share"):
            if r["owner_id"] == self.me:
                mine.append(pick(r, "id", "mode", "snapshot_id", "created_at", "expires_on",
                                 "revoked_at", "last_viewed_at", "with_appendix",
                                 coach_name=self.name(r["coach_id"])))
            else:
                theirs.append(pick(r, "id", "mode", "created_at", "expires_on", "revoked_at",
                                   "last_viewed_at", owner_name=self.name(r["owner_id"])))
        return mine, theirs

    def comments(self) -> tuple[list[Row], list[Row]]:
        owners = {r["id"]: r["owner_id"] for r in self.rows.of("plan_share")}
        received, written = [], []
        for r in self.rows.of("plan_comment"):
            owner = owners.get(r["share_id"])
            if owner == self.me:
                received.append(pick(r, "id", "share_id", "section", "body", "created_at",
                                     author_name=self.name(r["author_id"])))
            if r["author_id"] == self.me or owner != self.me:
                written.append(pick(r, "id", "share_id", "section", "body", "created_at",
                                    plan_owner_name=self.name(owner),
                                    author_name=self.name(r["author_id"])))
        return received, written

    def coaching(self) -> dict[str, list[Row]]:
        owners = {r["id"]: r["user_id"] for r in self.rows.of("coaching_application")}
        own = [pick(r, *[c for c in r if c not in ("user_id", "coach_id")],
                    coach_name=self.name(r["coach_id"]))
               for r in self.rows.of("coaching_application") if r["user_id"] == self.me]
        cases = [pick(r, "id", "status", "submitted_at", "allocated_at", "finished_at",
                      trainee_name=self.name(r["user_id"]))
                 for r in self.rows.of("coaching_application") if r["user_id"] != self.me]
        appointments = [pick(r, *[c for c in r if c != "coach_id"],
                             coach_name=self.name(r["coach_id"]),
                             trainee_name=self.name(owners.get(r["application_id"])))
                        for r in self.rows.of("appointment")]
        notes = [pick(r, "id", "application_id", "created_at", text_included=False,
                      why=NOTE_WITHHELD) for r in self.rows.of("coach_note")]
        return {"coaching_applications": own, "coaching_cases": cases,
                "appointments": appointments, "coach_notes": notes}

    def emails(self) -> list[Row]:
        attached: dict[Any, list[Row]] = defaultdict(list)
        for a in self.rows.of("outbox_attachment"):
            attached[a["email_id"]].append(
                pick(a, "id", "filename", content_type=f"{a['maintype']}/{a['subtype']}"))
        return [pick(r, "id", "recipient", "subject", "body", "status", "created_at",
                     "sent_at", attachments=attached[r["id"]])
                for r in self.rows.of("outbox_email")]

    def workshops(self) -> tuple[list[Row], list[Row]]:
        shown: dict[Any, list[Row]] = defaultdict(list)
        for s in self.rows.of("module_show"):
            shown[s["membership_id"]].append(pick(s, "id", "created_at", module=s["module_slug"]))
        memberships = self.rows.of("membership")
        ids = {m["workshop_id"] for m in memberships}
        about = {w.id: w for w in db.session.execute(
            select(Workshop).where(Workshop.id.in_(ids))).scalars()}
        joined = []
        for m in memberships:
            if m["user_id"] != self.me:
                continue
            workshop = about[m["workshop_id"]]
            joined.append(pick(m, "id", "workshop_id", "joined_at",
                               workshop_title=workshop.title,
                               starts_at=plain(workshop.starts_at),
                               facilitator_name=self.name(workshop.facilitator_id)
                               or _full_name(workshop.facilitator_id),
                               modules_shown=shown[m["id"]]))
        run = []
        for w in self.rows.of("workshop"):
            run.append(pick(
                w, "id", "title", "starts_at", "format", "description", "join_code",
                "created_at", "archived_at",
                assignments=[pick(a, "id", "due_on", "days_from_workshop",
                                  module=a["module_slug"])
                             for a in self.rows.of("assignment") if a["workshop_id"] == w["id"]],
                reminder_days=[pick(d, "id", "sent_on") for d in self.rows.of("reminder_day")
                               if d["workshop_id"] == w["id"]],
                members=[pick(m, "id", "joined_at", name=self.name(m["user_id"]),
                              modules_shown=shown[m["id"]])
                         for m in memberships if m["workshop_id"] == w["id"]]))
        return joined, run

    def audit(self) -> tuple[list[Row], list[Row]]:
        about, by = [], []
        for r in self.rows.of("audit_event"):
            if r["subject_id"] == self.me:
                about.append(pick(r, "id", "at", "action", "target_type", "target_id",
                                  actor_name=self.name(r["actor_id"])))
            elif r["actor_id"] == self.me:
                by.append(pick(r, "id", "at", "action", "target_type", "target_id"))
        return about, by

    def other_records(self) -> dict[str, list[Row]]:
        return {table: [{k: plain(v) for k, v in row.items()
                         if k not in NEVER_EXPORTED_COLUMNS} for row in rows]
                for table, rows in sorted(self.rows.rows.items()) if table not in ARRANGED}


def _full_name(user_id: int) -> str | None:
    return db.session.execute(select(User.full_name).where(User.id == user_id)).scalar()


def build_data(user_id: int, rows: PersonRows, registry: ModuleRegistry,
               exported_at: dt.datetime) -> dict[str, Any]:
    """The whole of data.json for one person."""
    c = Collector(user_id, rows, registry)
    shares, shared_with_them = c.shares()
    received, written = c.comments()
    joined, run = c.workshops()
    about, by = c.audit()
    return {
        "format_version": FORMAT_VERSION,
        "exported_at": plain(exported_at),
        "profile": c.profile(),
        "module_progress": c.module_progress(),
        "answers": c.answers(),
        "plan": c.plan(),
        "plan_actions": [pick(r, *[k for k in r if k != "user_id"])
                         for r in rows.of("plan_action")],
        "plan_choices": [pick(r, "id", "item_key", "included", "updated_at")
                         for r in rows.of("plan_choice")],
        "snapshots": [pick(r, "id", "created_at", "reason", "sha256", "content",
                           pdf_file=f"snapshots/snapshot-{r['id']}.pdf" if r["sha256"] else None)
                      for r in rows.of("plan_snapshot")],
        "pdf_renders": [pick(r, "id", "snapshot_id", "status", "failure", "requested_at",
                             "finished_at") for r in rows.of("pdf_render")],
        "shares": shares,
        "shared_with_them": shared_with_them,
        "comments_received": received,
        "comments_written": written,
        **c.coaching(),
        "emails": c.emails(),
        "workshop_memberships": joined,
        "workshops_run": run,
        "reminder_settings": {"opted_out": [pick(r, "id", "kind", "created_at")
                                            for r in rows.of("reminder_opt_out")]},
        "audit_about_them": about,
        "audit_by_them": by,
        "data_exports": [pick(r, "id", "status", "requested_at", "finished_at", "expires_at")
                         for r in rows.of("data_export")],
        # A warning that the account will be deleted for inactivity, if one was sent.
        "retention_warnings": [pick(r, "id", "warned_at", "deletes_at")
                               for r in rows.of("retention_warning")],
        "other_records": c.other_records(),
    }
