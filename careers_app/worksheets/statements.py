"""The statements of a step page and a save, built once with bound parameters.

A step page and an autosave run every few seconds per person. Building a SQLAlchemy
statement and its cache key costs more Python than SQLite takes to run it, so these are
built once per process (per database dialect for the upsert) and only their parameters
change. Each parameter carries its column's type, so dates and JSON are converted as
they are for the ORM's own statements.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import (
    Delete,
    Insert,
    Update,
    bindparam,
    case,
    delete,
    func,
    insert,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from careers_app.worksheets.models import ModuleProgress, StepAnswer, StepRevision


def _param(name: str, column: object) -> object:
    return bindparam(name, type_=column.type)  # type: ignore[attr-defined]


ONE_ANSWER = select(StepAnswer).where(StepAnswer.user_id == bindparam("person"),
                                      StepAnswer.module_slug == bindparam("module"),
                                      StepAnswer.step_id == bindparam("step"))


# A person's saved steps with when each answer was given (service.saved_steps): all of
# them, or those among a list of (module, step) pairs.
SAVED_STEPS = select(StepAnswer.module_slug, StepAnswer.step_id, StepAnswer.answers,
                     StepAnswer.answered_at, StepAnswer.updated_at
                     ).where(StepAnswer.user_id == bindparam("person"))
SAVED_STEPS_AMONG = SAVED_STEPS.where(
    tuple_(StepAnswer.module_slug, StepAnswer.step_id).in_(bindparam("steps", expanding=True)))


@cache
def claim_progress(dialect_name: str) -> Insert:
    """Create a person's progress row for a module, or mark it as just used: one upsert,
    which locks the row (PostgreSQL) or takes the write lock (SQLite) at once."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    now = _param("now", ModuleProgress.updated_at)
    statement = dialect.insert(ModuleProgress).values(
        user_id=bindparam("person"), module_slug=bindparam("module"),
        started_at=now, updated_at=now, last_step_id=bindparam("step"), steps_completed=0)
    return statement.on_conflict_do_update(
        index_elements=["user_id", "module_slug"],
        set_={"last_step_id": statement.excluded.last_step_id,
              "updated_at": statement.excluded.updated_at})


# Compare-and-set: only matches the version the writer last saw (see service.py).
UPDATE_ANSWER: Update = (
    update(StepAnswer)
    .where(StepAnswer.id == bindparam("answer_id"), StepAnswer.version == bindparam("base_version"))
    .values(answers=_param("new_answers", StepAnswer.answers),
            version=StepAnswer.version + 1,
            completed=_param("done", StepAnswer.completed),
            updated_at=_param("now", StepAnswer.updated_at),
            answered_at=_param("times", StepAnswer.answered_at))
    .returning(StepAnswer.id)
    .execution_options(synchronize_session=False)
)

INSERT_REVISION: Insert = insert(StepRevision).values(
    step_answer_id=bindparam("answer_id"), version=bindparam("revision_version"),
    answers=_param("revision_answers", StepRevision.answers),
    conflict=_param("is_conflict", StepRevision.conflict),
    saved_at=_param("now", StepRevision.saved_at))

_SAME_KIND = (StepRevision.step_answer_id == bindparam("answer_id"),
              StepRevision.conflict == _param("is_conflict", StepRevision.conflict))
# Saved versions and refused copies are capped separately, so a burst of refusals from a
# stale tab never pushes acknowledged versions out of the history.
TRIM_REVISIONS: Delete = (
    delete(StepRevision)
    .where(*_SAME_KIND, StepRevision.id.not_in(
        select(StepRevision.id).where(*_SAME_KIND)
        .order_by(StepRevision.id.desc()).limit(bindparam("kept"))))
    .execution_options(synchronize_session=False)
)

_DONE_STEPS = (
    select(func.count()).select_from(StepAnswer)
    .where(StepAnswer.user_id == bindparam("person"),
           StepAnswer.module_slug == bindparam("module"),
           StepAnswer.completed.is_(True),
           StepAnswer.step_id.in_(bindparam("module_step_ids", expanding=True)))
    .scalar_subquery()
)
# Count done steps that still exist in the module; a module stops being complete when
# one of its steps stops being done.
RECOUNT_PROGRESS: Update = (
    update(ModuleProgress)
    .where(ModuleProgress.user_id == bindparam("person"),
           ModuleProgress.module_slug == bindparam("module"))
    .values(steps_completed=_DONE_STEPS,
            completed_at=case((_DONE_STEPS < bindparam("step_count"), None),
                              else_=ModuleProgress.completed_at))
    .execution_options(synchronize_session=False)
)
