"""A tracked worksheet action follows its worksheet row for every field the trainee has
not changed on the plan; ``own_fields`` lists the ones they have

Revision ID: 3d8f1b6a2c47
Revises: 9c4e2a7d1b35
Create Date: 2026-12-07 22:30:00.000000

"""
import datetime as dt

from alembic import op
import sqlalchemy as sa

import careers_app.db


# revision identifiers, used by Alembic.
revision = '3d8f1b6a2c47'
down_revision = '9c4e2a7d1b35'
branch_labels = None
depends_on = None

FIELDS = (("text", "action"), ("measure", "measure"), ("support", "support"))


def _date(parts):
    try:
        return dt.date(int(parts.get("year") or 0), int(parts.get("month") or 0),
                       int(parts.get("day") or 0))
    except (AttributeError, TypeError, ValueError):
        return None


def upgrade():
    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('own_fields', sa.String(length=100), nullable=False,
                                      server_default=''))
    # Actions tracked before this were copies. One never saved on the plan since it was
    # tracked (updated when created) has nothing of the trainee's own: it follows its row.
    # For one saved on the plan, which fields the trainee changed was never recorded, so
    # what the plan shows is kept: a field still equal to its worksheet row follows it
    # from now on, one that differs (or whose row has gone) is the plan's own.
    bind = op.get_bind()
    plan_action = sa.table('plan_action', sa.column('id'), sa.column('user_id'),
                           sa.column('source_key'), sa.column('text'), sa.column('measure'),
                           sa.column('support'), sa.column('target_date', sa.Date()),
                           sa.column('own_fields'),
                           sa.column('created_at', careers_app.db.UTCDateTime()),
                           sa.column('updated_at', careers_app.db.UTCDateTime()))
    step_answer = sa.table('step_answer', sa.column('user_id'), sa.column('module_slug'),
                           sa.column('step_id'), sa.column('answers', sa.JSON()))
    rows = bind.execute(sa.select(plan_action).where(plan_action.c.source_key.isnot(None)))
    for action in rows.mappings().all():
        if action["updated_at"] - action["created_at"] < dt.timedelta(seconds=1):
            continue  # own_fields stays '': never changed on the plan
        slug, step_id, field, index = action["source_key"].split("/")
        answers = bind.execute(sa.select(step_answer.c.answers).where(
            step_answer.c.user_id == action["user_id"], step_answer.c.module_slug == slug,
            step_answer.c.step_id == step_id)).scalar()
        table = (answers or {}).get(field) or []
        row = table[int(index)] if int(index) < len(table) else None
        if row is None:
            own = [name for name, _ in FIELDS] + ["target_date"]
        else:
            own = [name for name, column in FIELDS if action[name] != row.get(column, "")]
            if action["target_date"] != _date(row.get("target")):
                own.append("target_date")
        bind.execute(sa.update(plan_action).where(plan_action.c.id == action["id"])
                     .values(own_fields=",".join(own)))


def downgrade():
    # The older code shows the plan's copy, which upgrade never changed.
    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.drop_column('own_fields')
