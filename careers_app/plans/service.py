"""Assembling a person's plan, editing its actions and summary, and its PDF."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import current_app, render_template
from sqlalchemy import func, select, update

from careers_app.accounts.eligibility import PROFESSIONAL_GROUPS, REGIONS, TRAINING_STAGES
from careers_app.accounts.models import User
from careers_app.clock import uk_today
from careers_app.content.loader import ModuleRegistry
from careers_app.content.schema import Module, Step
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.pdf import PRINT_TEMPLATES_DIGEST, RenderedPdf
from careers_app.pdf_child import render_isolated
from careers_app.plans.document import (
    Owner,
    WorksheetAction,
    action_entry,
    action_table_steps,
    build_document,
    collect,
    content_hash,
    everything,
    worksheet_actions,
)
from careers_app.plans.following import ShownAction, changed_on_the_plan, shown
from careers_app.plans.models import ActionPlan, ActionStatus, PlanAction, PlanChoice
from careers_app.reading.preferences import DEFAULT as DEFAULT_PREFERENCES
from careers_app.reading.preferences import ReadingPreferences
from careers_app.reading.service import preferences_of
from careers_app.worksheets.service import insert_for_dialect, saved_steps

DUE_SOON_DAYS = 14
# A worksheet row that is not tracked (never tracked, or its tracked action deleted) has
# no status yet: the page, the PDF and the calendar all say so in these words, rather than
# "Not started", which would make a deleted action look like any other.
NOT_TRACKED_LABEL = "Not tracked on your plan yet"


@dataclass(frozen=True)
class ActionDraft:
    text: str
    measure: str
    support: str
    target_date: dt.date | None
    status: ActionStatus


@dataclass(frozen=True)
class AssembledPlan:
    document: dict[str, Any]
    tracked: list[PlanAction]
    untracked: list[WorksheetAction]
    # The owner's reading preferences as printed: a PDF cached for one typeface or size
    # must not be served after the person chose another.
    reading: ReadingPreferences = DEFAULT_PREFERENCES

    @property
    def hash(self) -> str:
        """What the PDF depends on: the content, the print template it is set in, and
        the reading preferences it is printed with."""
        return content_hash({"document": self.document, "print": PRINT_TEMPLATES_DIGEST,
                             "reading": self.reading.for_print().as_dict()})


def owner_of(user: User) -> Owner:
    return Owner(
        name=user.full_name,
        professional_group=PROFESSIONAL_GROUPS.get(user.professional_group, "Not given"),
        stage=TRAINING_STAGES.get(user.training_stage, "Not given"),
        region=REGIONS.get(user.region, "Not given"),
    )


def find_plan(user_id: int) -> ActionPlan | None:
    return db.session.execute(
        select(ActionPlan).where(ActionPlan.user_id == user_id)
    ).scalar_one_or_none()


def plan_for_update(user_id: int) -> ActionPlan:
    """The plan row, created if needed; two first requests at once both get the one row."""
    db.session.execute(
        insert_for_dialect(ActionPlan)
        .values(user_id=user_id, summary="", updated_at=utcnow())
        .on_conflict_do_nothing(index_elements=["user_id"])
    )
    plan = find_plan(user_id)
    assert plan is not None
    return plan


def plan_actions(user_id: int) -> list[PlanAction]:
    return list(db.session.execute(
        select(PlanAction).where(PlanAction.user_id == user_id)
        .order_by(PlanAction.position, PlanAction.id)
    ).scalars())


def _entry_for_tracked(action: PlanAction, sources: dict[str, WorksheetAction]) -> dict[str, Any]:
    origin = sources.get(action.source_key or "")
    status = ActionStatus(action.status)
    words = shown(action, origin)
    entry = action_entry(text=words.text, measure=words.measure, support=words.support,
                         target=words.target_date, status=status.value,
                         status_label=status.label, source=origin.source if origin else None)
    entry.update(id=action.id, source_key=action.source_key)
    return entry


def _entry_for_untracked(row: WorksheetAction) -> dict[str, Any]:
    # Its status stays "not started" for the dashboard's due list: it is not done.
    entry = action_entry(text=row.text, measure=row.measure, support=row.support,
                         target=row.target, status=ActionStatus.NOT_STARTED.value,
                         status_label=NOT_TRACKED_LABEL, source=row.source)
    entry.update(id=None, slug=row.slug, step_id=row.step_id, source_key=row.source_key)
    return entry


def _merge_actions(user_id: int, worksheet_rows: list[WorksheetAction]
                   ) -> tuple[list[dict[str, Any]], list[PlanAction], list[WorksheetAction]]:
    """The plan's own actions in their order, then worksheet rows not tracked yet."""
    tracked = plan_actions(user_id)
    sources = {row.source_key: row for row in worksheet_rows}
    tracked_keys = {action.source_key for action in tracked if action.source_key}
    untracked = [row for row in worksheet_rows if row.source_key not in tracked_keys]
    entries = [_entry_for_tracked(action, sources) for action in tracked]
    entries += [_entry_for_untracked(row) for row in untracked]
    return entries, tracked, untracked


def assemble(user: User, registry: ModuleRegistry, today: dt.date | None = None, *,
             appendix: bool = False, standard_print: bool = False) -> AssembledPlan:
    """The live plan of ``user``, in four queries however much they have written;
    ``appendix`` adds every answer of every module ("Everything I wrote").
    ``standard_print``: printed with the standard settings, not the owner's reading
    preferences, as everything printed for someone else is (a coach's copy)."""
    (plan,) = _assembled(user, registry, today, (appendix,), standard_print=standard_print)
    return plan


def assemble_with_and_without_appendix(user: User, registry: ModuleRegistry
                                       ) -> tuple[AssembledPlan, AssembledPlan]:
    """The live plan, and the same with "Everything I wrote", from one read of the
    answers (the plan page says how long each PDF is once it has been made)."""
    plan, with_appendix = _assembled(user, registry, None, (False, True))
    return plan, with_appendix


def _assembled(user: User, registry: ModuleRegistry, today: dt.date | None,
               appendixes: tuple[bool, ...], *, standard_print: bool = False
               ) -> list[AssembledPlan]:
    saved = saved_steps(user.id)
    items, worksheet_rows, fillers = collect(registry, saved, plan_choices(user.id))
    actions, tracked, untracked = _merge_actions(user.id, worksheet_rows)
    plan = find_plan(user.id)
    owner, day = owner_of(user), today or uk_today()
    reading = DEFAULT_PREFERENCES if standard_print else preferences_of(user)
    return [AssembledPlan(build_document(owner, day, plan.summary if plan else "", items,
                                         actions, fillers,
                                         everything(registry, saved) if appendix else None),
                          tracked, untracked, reading.for_print())
            for appendix in appendixes]


# -- what is on the plan -------------------------------------------------------------

def plan_choices(user_id: int) -> dict[str, bool]:
    """Answers the trainee added to their plan (True) or took off it (False), by key."""
    rows = db.session.execute(
        select(PlanChoice.item_key, PlanChoice.included).where(PlanChoice.user_id == user_id))
    return {key: included for key, included in rows}


def feeds_the_plan(user_id: int, module: Module, step: Step) -> bool:
    """Whether answers to ``step`` can be on the person's plan: it answers a shared
    question or has actions, or the person added one of its answers."""
    if any(spec.asks or spec.type == "action_table" for spec in step.fields):
        return True
    keys = [f"{module.slug}/{step.id}/{spec.id}" for spec in step.fields]
    return db.session.execute(
        select(PlanChoice.id).where(PlanChoice.user_id == user_id,
                                    PlanChoice.item_key.in_(keys),
                                    PlanChoice.included.is_(True)).limit(1)
    ).first() is not None


def choose(user_id: int, item_key: str, included: bool) -> None:
    """Add an answer to the plan or take it off; asking twice is the same as once."""
    db.session.execute(
        insert_for_dialect(PlanChoice)
        .values(user_id=user_id, item_key=item_key, included=included, updated_at=utcnow())
        .on_conflict_do_nothing(index_elements=["user_id", "item_key"])
    )
    db.session.execute(
        update(PlanChoice)
        .where(PlanChoice.user_id == user_id, PlanChoice.item_key == item_key)
        .values(included=included, updated_at=utcnow())
    )
    db.session.commit()
    _changed(user_id)


def _changed(user_id: int) -> None:
    """After a commit that changed the plan's content: make its PDF once it is quiet."""
    from careers_app.plans.pdf_tasks import render_soon

    render_soon(user_id, float(current_app.config["PDF_PRERENDER_DELAY"]))


def save_summary(user_id: int, summary: str) -> None:
    plan = plan_for_update(user_id)
    plan.summary = summary
    plan.updated_at = utcnow()
    db.session.commit()
    _changed(user_id)


# -- actions ------------------------------------------------------------------------

def find_own_action(user_id: int, action_id: int) -> PlanAction | None:
    """The action, only if it belongs to ``user_id``: anyone else's is as good as absent."""
    action = db.session.get(PlanAction, action_id)
    return action if action is not None and action.user_id == user_id else None


def _next_position(user_id: int) -> int:
    highest = db.session.execute(
        select(func.max(PlanAction.position)).where(PlanAction.user_id == user_id)
    ).scalar_one()
    return (highest or 0) + 1


def add_action(user_id: int, draft: ActionDraft) -> PlanAction:
    action = PlanAction(user_id=user_id, position=_next_position(user_id), text=draft.text,
                        measure=draft.measure, support=draft.support,
                        target_date=draft.target_date, status=draft.status)
    db.session.add(action)
    db.session.commit()
    _changed(user_id)
    return action


def _worksheet_row(user_id: int, registry: ModuleRegistry, source_key: str | None
                   ) -> WorksheetAction | None:
    """The worksheet row a tracked action came from, if it is still there."""
    if not source_key:
        return None
    slug, step_id = source_key.split("/")[:2]
    saved = saved_steps(user_id, only=[(slug, step_id)])
    return next((row for row in worksheet_actions(registry, saved)
                 if row.source_key == source_key), None)


def shown_action(action: PlanAction, registry: ModuleRegistry) -> ShownAction:
    """The action's words and date as the plan shows them: what its form starts with."""
    return shown(action, _worksheet_row(action.user_id, registry, action.source_key))


def update_action(action: PlanAction, draft: ActionDraft, registry: ModuleRegistry) -> None:
    origin = _worksheet_row(action.user_id, registry, action.source_key)
    action.own_fields = changed_on_the_plan(action, ShownAction(
        draft.text, draft.measure, draft.support, draft.target_date), origin)
    action.text, action.measure, action.support = draft.text, draft.measure, draft.support
    action.target_date, action.status = draft.target_date, draft.status
    action.updated_at = utcnow()
    db.session.commit()
    _changed(action.user_id)


def delete_action(action: PlanAction) -> None:
    user_id = action.user_id
    db.session.delete(action)
    db.session.commit()
    _changed(user_id)


def move_action(user_id: int, action: PlanAction, offset: int) -> bool:
    """Move one place up (-1) or down (+1); False when it is already at that end."""
    actions = plan_actions(user_id)
    index = next(i for i, item in enumerate(actions) if item.id == action.id)
    target = index + offset
    if not 0 <= target < len(actions):
        return False
    actions[index], actions[target] = actions[target], actions[index]
    for position, item in enumerate(actions, start=1):
        item.position = position
    db.session.commit()
    _changed(user_id)
    return True


def track_worksheet_actions(user: User, registry: ModuleRegistry) -> int:
    """Copy worksheet action rows not yet on the plan into it, so they get a status; their
    words and date go on following the worksheet until changed on the plan."""
    plan = assemble(user, registry)
    position = _next_position(user.id)
    for offset, row in enumerate(plan.untracked):
        db.session.add(PlanAction(
            user_id=user.id, position=position + offset, text=row.text[:500],
            measure=row.measure[:500], support=row.support[:500], target_date=row.target,
            status=ActionStatus.NOT_STARTED, source_key=row.source_key,
        ))
    db.session.commit()
    if plan.untracked:
        _changed(user.id)
    return len(plan.untracked)


@dataclass(frozen=True)
class DueAction:
    text: str
    target: dt.date
    overdue: bool


def due_actions(user: User, registry: ModuleRegistry, today: dt.date) -> list[DueAction]:
    """Unfinished actions overdue or due within two weeks, soonest first."""
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    due = []
    # Only the steps with action tables are read, not every answer the person wrote.
    saved = saved_steps(user.id, only=action_table_steps(registry))
    for entry in _merge_actions(user.id, worksheet_actions(registry, saved))[0]:
        if entry["status"] == ActionStatus.DONE or not entry["target"]:
            continue
        target = dt.date.fromisoformat(entry["target"])
        if target <= horizon:
            due.append(DueAction(entry["text"], target, target < today))
    return sorted(due, key=lambda item: item.target)


# -- the PDF ------------------------------------------------------------------------

def render_pdf(html: str) -> RenderedPdf:
    """The PDF for ``html``, made in a child process with the configured time and memory
    limits (raises careers_app.pdf_child.RenderFailed). Call it from a job."""
    config = current_app.config
    return render_isolated(html, float(config["PDF_RENDER_SECONDS"]),
                           int(config["PDF_RENDER_MEMORY_MB"]))


def render_plan_pdf(document: dict[str, Any],
                    reading: ReadingPreferences = DEFAULT_PREFERENCES) -> RenderedPdf:
    """The plan PDF set as ``reading`` asks (typeface, size, spacing, page colour)."""
    return render_pdf(render_template("pdf/plan.html", doc=document,
                                      reading=reading.for_print()))
