"""Every stored row that belongs to a person, found from the schema rather than a list.

A row belongs to a person when one of its foreign keys points at their ``user.id``
(whatever the column is called: ``user_id``, ``owner_id``, ``coach_id``, ``actor_id``
...), when it hangs off such a row by a foreign key (a step answer's revisions, a
share's comments, an application's appointments), and so on down; and when it is an
email sent to their address (``outbox_email`` holds the address, not the account) or
hangs off one (its attachments). The walk reads ``db.metadata``, so a table added later
with a foreign key to ``user`` or to any table already reached is covered without
touching this file.

A table marked ``info={"derived": True}`` is left out of the walk: its rows are computed
from the person's other rows and say nothing those do not (the words an account is found
by, ``user_search_term``, are its name and email cut up, each with a copy of the name).
Deleting the account still deletes them (careers_app/account_deletion/rows.py follows
every cascading key).

Only the child direction is followed: a share points at a snapshot, but the snapshot is
not reached through the share (it is found through its own ``user_id`` when it is the
person's; a coach's export must not pull in their client's snapshot).

The walk says which rows exist; what of each row may be shown to the person is decided
by the export (careers_app/personal_data/collect.py), which knows whose writing it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Column, LargeBinary, MetaData, Table, func, or_, select

from careers_app.extensions import db
from careers_app.schema_links import foreign_key_links, id_chunks, id_column

USER_TABLE = "user"
# Rows that name a person by email address rather than by account id: (table, column).
ADDRESSED_TO = (("outbox_email", "recipient"),)


@dataclass(frozen=True)
class Link:
    """One foreign key along which rows belong to a person: ``table.column`` points at
    ``parent`` (the ``user`` table, or a table the walk reaches earlier)."""

    table: str
    column: str
    parent: str


@dataclass
class PersonRows:
    """Ids of the person's rows per table, and the rows' columns (``rows``), in id order."""

    ids: dict[str, set[int]] = field(default_factory=dict)
    rows: dict[str, list[dict[str, object]]] = field(default_factory=dict)

    def of(self, table: str) -> list[dict[str, object]]:
        return self.rows.get(table, [])


def links(metadata: MetaData) -> list[Link]:
    """Every foreign key from one table's column to another table's primary key (but a
    derived table's: see above)."""
    return [Link(link.table.name, link.column.name, link.target.name)
            for link in foreign_key_links(metadata)
            if not link.table.info.get("derived") and link.target is not link.table]


def user_links(metadata: MetaData) -> list[Link]:
    """The columns that point straight at an account."""
    return [link for link in links(metadata) if link.parent == USER_TABLE]


def reachable_tables(metadata: MetaData) -> set[str]:
    """Tables whose rows can belong to a person: pointing at ``user``, addressed to
    them, or pointing at such a table (transitively)."""
    reached = {USER_TABLE, *(table for table, _column in ADDRESSED_TO)}
    every = links(metadata)
    while True:
        more = {link.table for link in every if link.parent in reached} - reached
        if not more:
            return reached
        reached |= more


def _select_ids(table: Table, conditions: Iterable[object]) -> set[int]:
    conditions = list(conditions)
    if not conditions:
        return set()
    return set(db.session.execute(
        select(id_column(table)).where(or_(*conditions))  # type: ignore[arg-type]
    ).scalars())


def _in(column: Column[int], ids: set[int]) -> list[object]:
    # Chunked so a long history never passes the drivers' bound-parameter limits.
    return [column.in_(chunk) for chunk in id_chunks(ids)]


def person_row_ids(user_id: int, email: str, metadata: MetaData | None = None
                   ) -> dict[str, set[int]]:
    """Ids per table of every row belonging to the person (tables with none left out)."""
    metadata = metadata if metadata is not None else db.metadata
    tables = metadata.tables
    found: dict[str, set[int]] = {USER_TABLE: {user_id}}
    for table_name, column_name in ADDRESSED_TO:
        if table_name in tables:
            column = tables[table_name].c[column_name]
            found[table_name] = _select_ids(tables[table_name],
                                            [func.lower(column) == email.lower()])
    every = links(metadata)
    # Breadth first to a fixed point: each pass asks only about parents with new ids.
    frontier = {name: set(ids) for name, ids in found.items()}
    while frontier:
        new: dict[str, set[int]] = {}
        for link in every:
            parents = frontier.get(link.parent)
            if not parents:
                continue
            table = tables[link.table]
            ids = _select_ids(table, _in(table.c[link.column], parents))
            ids -= found.get(link.table, set())
            if ids:
                new.setdefault(link.table, set()).update(ids)
        for name, ids in new.items():
            found.setdefault(name, set()).update(ids)
        frontier = new
    return {name: ids for name, ids in found.items() if ids}


def text_columns(table: Table) -> list[Column[object]]:
    """The columns other than files (PDFs, attachments, archives): those are large, and
    the export fetches the few it includes by themselves."""
    return [column for column in table.columns if not isinstance(column.type, LargeBinary)]


def person_rows(user_id: int, email: str, metadata: MetaData | None = None) -> PersonRows:
    """The person's rows with every column but files, per table, in id order."""
    metadata = metadata if metadata is not None else db.metadata
    result = PersonRows(ids=person_row_ids(user_id, email, metadata))
    for name, ids in result.ids.items():
        table = metadata.tables[name]
        rows: list[dict[str, object]] = []
        key = id_column(table)
        for chunk in id_chunks(ids):
            rows.extend(dict(row._mapping) for row in db.session.execute(
                select(*text_columns(table)).where(key.in_(chunk))))
        result.rows[name] = sorted(rows, key=lambda row: int(row[key.name]))
    return result
