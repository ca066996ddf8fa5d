"""The statements of a step page and a save, built once with bound parameters.

A step page and an autosave run every few seconds per person. Building a SQLAlchemy
statement and its cache key costs more Python than SQLite takes to run it, so these are
built once per process (per database dialect for the upsert) and only their parameters
change. Each parameter carries its column's type, so dates and JSON are converted as
they are for the ORM's own statements.

The writes name the tables, not the mapped classes: an INSERT, UPDATE or DELETE of a
mapped class goes through the ORM's bulk-persistence layer, which took about a quarter
of an autosave's time and does nothing for statements that load no objects.
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

# The tables behind the models, for the writes (see above).
answers_table = StepAnswer.__table__
progress_table = ModuleProgress.__table__
revisions_table = StepRevision.__table__


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
    now = _param("now", progress_table.c.updated_at)
    statement = dialect.insert(progress_table).values(
        user_id=bindparam("person"), module_slug=bindparam("module"),
        started_at=now, updated_at=now, last_step_id=bindparam("step"), steps_completed=0)
    return statement.on_conflict_do_update(
        index_elements=["user_id", "module_slug"],
        set_={"last_step_id": statement.excluded.last_step_id,
              "updated_at": statement.excluded.updated_at})


# Compare-and-set: only matches the version the writer last saw (see service.py).
_answer = answers_table.c
UPDATE_ANSWER: Update = (
    update(answers_table)
    .where(_answer.id == bindparam("answer_id"), _answer.version == bindparam("base_version"))
    .values(answers=_param("new_answers", _answer.answers),
            version=_answer.version + 1,
            completed=_param("done", _answer.completed),
            updated_at=_param("now", _answer.updated_at),
            answered_at=_param("times", _answer.answered_at))
    .returning(_answer.id)
)

_revision = revisions_table.c
INSERT_REVISION: Insert = insert(revisions_table).values(
    step_answer_id=bindparam("answer_id"), version=bindparam("revision_version"),
    answers=_param("revision_answers", _revision.answers),
    conflict=_param("is_conflict", _revision.conflict),
    saved_at=_param("now", _revision.saved_at))

_SAME_KIND = (_revision.step_answer_id == bindparam("answer_id"),
              _revision.conflict == _param("is_conflict", _revision.conflict))
# Saved versions and refused copies are capped separately, so a burst of refusals from a
# stale tab never pushes acknowledged versions out of the history.
TRIM_REVISIONS: Delete = (
    delete(revisions_table)
    .where(*_SAME_KIND, _revision.id.not_in(
        select(_revision.id).where(*_SAME_KIND)
        .order_by(_revision.id.desc()).limit(bindparam("kept"))))
)

_DONE_STEPS = (
    select(func.count()).select_from(answers_table)
    .where(_answer.user_id == bindparam("person"),
           _answer.module_slug == bindparam("module"),
           _answer.completed.is_(True),
           _answer.step_id.in_(bindparam("module_step_ids", expanding=True)))
    .scalar_subquery()
)
# Count done steps that still exist in the module; a module stops being complete when
# one of its steps stops being done.
_progress = progress_table.c
RECOUNT_PROGRESS: Update = (
    update(progress_table)
    .where(_progress.user_id == bindparam("person"),
           _progress.module_slug == bindparam("module"))
    .values(steps_completed=_DONE_STEPS,
            completed_at=case((_DONE_STEPS < bindparam("step_count"), None),
                              else_=_progress.completed_at))
)
