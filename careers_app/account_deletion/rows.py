"""Every row that belongs to a person, found by walking the foreign keys in the metadata.

A table that gains a link to ``user`` (or to anything a person owns) is covered without
changing this file. What a link means is read from how it was declared:

- ``ondelete="CASCADE"``: the row belongs to the row it points at and goes with it, and
  so does everything that in turn belongs to that row;
- any other link that may be empty: the row is someone else's record that mentions the
  deleted one (the coach of another trainee's past appointment, the actor of an audit
  event about someone else); the link is emptied and the row stays;
- a link that may not be empty and does not cascade: nobody has said what should happen,
  so deletion stops with ``UnknownLink`` rather than guess (a test walks the real
  metadata with a person in every table, so a new table like that fails there first).

The deletes are issued children first, so nothing depends on the database's own
cascades (SQLite enforces them only with ``PRAGMA foreign_keys=ON``, which db.py sets,
but a connection opened elsewhere might not).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from sqlalchemy import Column, Table, delete, select, update

from careers_app.extensions import db

# SQLite and PostgreSQL both take lists this long in one IN (...).
CHUNK = 500


class UnknownLink(RuntimeError):
    """A required link without a cascade points at a row being deleted."""


def _primary_key(table: Table) -> Column:  # type: ignore[type-arg]
    (column,) = table.primary_key.columns
    return column


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start:start + CHUNK]


def _links_to(table: Table) -> list[tuple[Table, Column, bool]]:  # type: ignore[type-arg]
    """(referring table, its column, whether it cascades) for every link to ``table``."""
    found = []
    for other in db.metadata.sorted_tables:
        for key in other.foreign_keys:
            if key.column.table is table:
                found.append((other, key.parent, (key.ondelete or "").upper() == "CASCADE"))
    return found


def owned_rows(seeds: Mapping[str, set[int]]) -> dict[Table, set[int]]:
    """The ids of every row to delete, per table, starting from ``seeds`` (table name:
    ids) and following every cascading link to them, transitively."""
    tables = db.metadata.tables
    owned: dict[Table, set[int]] = defaultdict(set)
    frontier: list[tuple[Table, set[int]]] = []
    for name, ids in seeds.items():
        if ids:
            owned[tables[name]] |= ids
            frontier.append((tables[name], set(ids)))
    while frontier:
        table, ids = frontier.pop()
        for other, column, cascades in _links_to(table):
            if not cascades:
                continue
            key = _primary_key(other)
            found: set[int] = set()
            for chunk in _chunks(ids):
                found |= set(db.session.execute(
                    select(key).where(column.in_(chunk))).scalars())
            new = found - owned[other]
            if new:
                owned[other] |= new
                frontier.append((other, new))
    return {table: ids for table, ids in owned.items() if ids}


def delete_rows(owned: Mapping[Table, set[int]]) -> None:
    """Empty the non-cascading links to the rows in ``owned`` from rows that stay, then
    delete those rows, every table after the tables that refer to it."""
    for table, ids in owned.items():
        for other, column, cascades in _links_to(table):
            if cascades:
                continue
            staying = owned.get(other, set())
            key = _primary_key(other)
            for chunk in _chunks(ids):
                referring = set(db.session.execute(
                    select(key).where(column.in_(chunk))).scalars()) - staying
                if not referring:
                    continue
                if not column.nullable:
                    raise UnknownLink(f"{other.name}.{column.name} -> {table.name}")
                db.session.execute(update(other).where(key.in_(sorted(referring)))
                                   .values({column.name: None}))
    for table in reversed(db.metadata.sorted_tables):
        ids = owned.get(table)
        if not ids:
            continue
        key = _primary_key(table)
        for chunk in _chunks(ids):
            db.session.execute(delete(table).where(key.in_(chunk)))
