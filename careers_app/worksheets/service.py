"""Saving answers without ever losing one, and reading progress in a fixed number of queries.

A save is a compare-and-set: the UPDATE only matches the version the writer last saw
(``UPDATE ... WHERE version = ?``). Neither SQLite's WAL nor PostgreSQL's default
isolation prevents a lost update on its own; this does, on both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from careers_app.content.fields import clean_step
from careers_app.content.schema import Module, Step
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.worksheets import statements
from careers_app.worksheets.events import answers_saved
from careers_app.worksheets.models import ModuleProgress, StepAnswer, StepRevision

REVISIONS_KEPT = 50


@dataclass(frozen=True)
class SaveOutcome:
    status: Literal["saved", "invalid", "conflict"]
    version: int = 0
    saved_at: datetime | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    # Values refused even as a draft. "invalid": nothing was saved; "saved" (a partial
    # save, for autosave): every other answer was saved, these kept their stored value.
    errors: dict[str, str] = field(default_factory=dict)
    # What still stops the step counting as done: the draft was saved anyway.
    incomplete: dict[str, str] = field(default_factory=dict)
    # "conflict": the stored answers already hold every answer sent, and none was refused.
    held: bool = False


def insert_for_dialect(model: type[db.Model]):  # type: ignore[name-defined,no-untyped-def]
    """INSERT with ON CONFLICT (DO NOTHING or DO UPDATE) for whichever database is in use.

    Into the model's table: an insert that loads no objects has no use for the ORM's
    bulk-persistence layer (see statements.py)."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(model.__table__)


def _claim_progress_row(user_id: int, module: Module, step: Step, now: datetime) -> None:
    """Create the progress row if needed and lock it for this transaction.

    Every save for one person and module passes through this row first, so their
    saves queue up here (a row lock on PostgreSQL, the write lock on SQLite) and the
    step count computed later in the transaction sees every earlier save.
    """
    db.session.execute(statements.claim_progress(db.engine.dialect.name),
                       {"person": user_id, "module": module.slug, "step": step.id,
                        "now": now})


def find_answer(user_id: int, module_slug: str, step_id: str) -> StepAnswer | None:
    return db.session.execute(
        statements.ONE_ANSWER, {"person": user_id, "module": module_slug, "step": step_id}
    ).scalar_one_or_none()


def answers_for_module(user_id: int, module_slug: str) -> dict[str, StepAnswer]:
    """Every saved step of one module for one person, by step id, in one query."""
    rows = db.session.execute(
        select(StepAnswer).where(StepAnswer.user_id == user_id,
                                 StepAnswer.module_slug == module_slug)
    ).scalars()
    return {row.step_id: row for row in rows}


def all_answers(user_id: int) -> dict[tuple[str, str], dict[str, Any]]:
    """Every saved step of one person, keyed by (module slug, step id), in one query."""
    rows = db.session.execute(
        select(StepAnswer.module_slug, StepAnswer.step_id, StepAnswer.answers)
        .where(StepAnswer.user_id == user_id)
    )
    return {(slug, step_id): answers for slug, step_id, answers in rows}


@dataclass(frozen=True)
class SavedStep:
    answers: dict[str, Any]
    # When each answer was last changed; answers saved before times were kept have the
    # time their step was last saved.
    given: dict[str, datetime]


def saved_steps(user_id: int, only: Iterable[tuple[str, str]] | None = None
                ) -> dict[tuple[str, str], SavedStep]:
    """Every saved step of one person (or those of ``only``, as (module, step) pairs)
    with when each answer was given, in one query."""
    if only is None:
        rows = db.session.execute(statements.SAVED_STEPS, {"person": user_id})
    else:
        rows = db.session.execute(statements.SAVED_STEPS_AMONG,
                                  {"person": user_id, "steps": list(only)})
    return {(slug, step_id): SavedStep(answers, _given(answers, times, updated_at))
            for slug, step_id, answers, times, updated_at in rows}


def _given(answers: Mapping[str, Any], times: Mapping[str, str] | None,
           updated_at: datetime) -> dict[str, datetime]:
    given = {key: updated_at for key in answers}
    for key, stamp in (times or {}).items():
        try:
            given[key] = datetime.fromisoformat(stamp)
        except (TypeError, ValueError):
            continue
    return given


def _answer_times(stored: StepAnswer | None, answers: Mapping[str, Any],
                  now: datetime) -> dict[str, str]:
    """``stored``'s answer times, with every answer that ``answers`` changes given now."""
    if stored is None:
        return {key: now.isoformat() for key in answers}
    if stored.answered_at is None:  # saved before times were kept
        times = {key: stored.updated_at.isoformat() for key in stored.answers}
    else:
        times = dict(stored.answered_at)
    for key, value in answers.items():
        if key not in stored.answers or stored.answers[key] != value:
            times[key] = now.isoformat()
    return times


def save_step(
    user_id: int, module: Module, step: Step, submitted: Mapping[str, Any], base_version: int,
    *, confirm: bool = False, partial: bool = False,
) -> SaveOutcome:
    """Save the fields present in ``submitted`` if ``base_version`` is still the stored one.

    Fields not submitted keep their stored answers, as do answers to fields no longer in
    the module. ``confirm`` ("Save and continue") marks the step done when it passes the
    full check; any save that leaves it failing that check marks it not done.
    ``partial`` (autosave) saves the valid answers when others are refused, so one
    over-long answer never stops the rest of the step being saved; without it a refused
    answer saves nothing (the form is shown again with everything typed).
    """
    present = [spec.id for spec in step.fields if spec.id in submitted]
    draft = clean_step(step, submitted, strict=False, only=present)
    if draft.errors and not (partial and draft.answers):
        return SaveOutcome("invalid", errors=draft.errors)

    now = utcnow()
    _claim_progress_row(user_id, module, step, now)
    stored = find_answer(user_id, module.slug, step.id)
    stored_version = stored.version if stored else 0
    repeated = stored_version != base_version
    if repeated:
        # The same save sent again (a double click), or posted just after an autosave
        # stored it, is not a conflict: every answer of the step was sent, none refused,
        # and the stored answers already are these. Anything less (a refused or missing
        # field) could hide another tab's newer answer, so it stays a conflict.
        whole_step = not draft.errors and len(present) == len(step.fields)
        if stored is None or not whole_step or not _holds(stored.answers, draft.answers):
            return _refuse_stale(user_id, module, step, draft.answers,
                                 sent_clean=not draft.errors)
        base_version = stored_version

    merged = {**(stored.answers if stored else {}), **draft.answers}
    answered_at = _answer_times(stored, draft.answers, now)
    incomplete = clean_step(step, merged, strict=True).errors
    was_done = bool(stored and stored.completed)
    done = not incomplete and (confirm or was_done)
    if repeated and stored is not None and done == was_done:
        db.session.commit()  # the progress row's last step; the answers are as they were
        return SaveOutcome("saved", version=stored.version, saved_at=stored.updated_at,
                           answers=stored.answers, errors=draft.errors,
                           incomplete=incomplete)
    if stored is None:
        answer_id = db.session.execute(
            insert_for_dialect(StepAnswer)
            .values(user_id=user_id, module_slug=module.slug, step_id=step.id,
                    answers=merged, version=1, completed=done, updated_at=now,
                    answered_at=answered_at)
            .on_conflict_do_nothing(index_elements=["user_id", "module_slug", "step_id"])
            .returning(StepAnswer.id)
        ).scalar_one_or_none()
    else:
        answer_id = db.session.execute(statements.UPDATE_ANSWER, {
            "answer_id": stored.id, "base_version": base_version, "new_answers": merged,
            "done": done, "now": now, "times": answered_at}).scalar_one_or_none()
    if answer_id is None:  # another writer got there between our read and our write
        return _refuse_stale(user_id, module, step, draft.answers, sent_clean=not draft.errors)

    new_version = base_version + 1
    _keep_revision(answer_id, new_version, merged, now, conflict=False)
    # The module's count of done steps moves only when this step's done mark does: most
    # saves (every autosave while someone types) leave it, and skip the recount.
    if done != was_done:
        _recount_progress(user_id, module)
    db.session.commit()
    answers_saved.send(module, user_id=user_id, step=step)
    return SaveOutcome("saved", version=new_version, saved_at=now, answers=merged,
                       errors=draft.errors, incomplete=incomplete)


def _holds(stored: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    """Whether the stored answers already have every one of ``answers`` as it is."""
    return all(key in stored and stored[key] == value for key, value in answers.items())


def _refuse_stale(
    user_id: int, module: Module, step: Step, refused: dict[str, Any], *, sent_clean: bool
) -> SaveOutcome:
    """Answer a stale save with the stored copy, keeping the refused text as a revision."""
    db.session.rollback()
    stored = find_answer(user_id, module.slug, step.id)
    if stored is None:  # only possible if the row was deleted meanwhile
        return SaveOutcome("conflict", version=0, answers={})
    _keep_revision(stored.id, stored.version, refused, utcnow(), conflict=True)
    db.session.commit()
    return SaveOutcome("conflict", version=stored.version, saved_at=stored.updated_at,
                       answers=stored.answers,
                       held=sent_clean and _holds(stored.answers, refused))


def _keep_revision(
    answer_id: int, version: int, answers: dict[str, Any], now: datetime, *, conflict: bool
) -> None:
    db.session.execute(statements.INSERT_REVISION, {
        "answer_id": answer_id, "revision_version": version, "revision_answers": answers,
        "is_conflict": conflict, "now": now})
    db.session.execute(statements.TRIM_REVISIONS, {
        "answer_id": answer_id, "is_conflict": conflict, "kept": REVISIONS_KEPT})


def _recount_progress(user_id: int, module: Module) -> None:
    db.session.execute(statements.RECOUNT_PROGRESS, {
        "person": user_id, "module": module.slug,
        "module_step_ids": [step.id for step in module.steps], "step_count": len(module.steps)})


def complete_module(user_id: int, module: Module) -> bool:
    """Mark the module complete; refused (False) while any step is not done."""
    progress = progress_for(user_id, module.slug)
    if progress is None or progress.steps_completed < len(module.steps):
        return False
    if progress.completed_at is None:
        progress.completed_at = utcnow()
        db.session.commit()
    return True


def progress_for(user_id: int, module_slug: str) -> ModuleProgress | None:
    return db.session.execute(
        select(ModuleProgress).where(ModuleProgress.user_id == user_id,
                                     ModuleProgress.module_slug == module_slug)
    ).scalar_one_or_none()


def progress_by_module(user_id: int) -> dict[str, ModuleProgress]:
    """All of one person's module progress, in one query, however much they have done."""
    rows = db.session.execute(select(ModuleProgress).where(ModuleProgress.user_id == user_id))
    return {row.module_slug: row for row in rows.scalars()}


def done_step_ids(answers: Iterable[StepAnswer]) -> set[str]:
    return {answer.step_id for answer in answers if answer.completed}


def revisions_for(user_id: int, module_slug: str, step_id: str) -> list[StepRevision]:
    """Earlier versions of one person's step, newest first (never anyone else's)."""
    return list(db.session.execute(
        select(StepRevision).join(StepAnswer, StepRevision.step_answer_id == StepAnswer.id)
        .where(StepAnswer.user_id == user_id, StepAnswer.module_slug == module_slug,
               StepAnswer.step_id == step_id)
        .order_by(StepRevision.id.desc())
    ).scalars())


def restore_revision(
    user_id: int, module: Module, step: Step, revision_id: int, base_version: int
) -> SaveOutcome | None:
    """Save an earlier version again as the newest one; None if it is not this person's."""
    revision = db.session.execute(
        select(StepRevision).join(StepAnswer, StepRevision.step_answer_id == StepAnswer.id)
        .where(StepRevision.id == revision_id, StepAnswer.user_id == user_id,
               StepAnswer.module_slug == module.slug, StepAnswer.step_id == step.id)
    ).scalar_one_or_none()
    if revision is None:
        return None
    return save_step(user_id, module, step, dict(revision.answers), base_version)
