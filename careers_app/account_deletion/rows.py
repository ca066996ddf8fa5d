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
from collections.abc import Mapping

from sqlalchemy import Table, delete, select, update

from careers_app.extensions import db
from careers_app.schema_links import ForeignKeyLink, foreign_key_links, id_chunks, id_column


class UnknownLink(RuntimeError):
    """A required link without a cascade points at a row being deleted."""


def _links_to(table: Table) -> list[ForeignKeyLink]:
    """Every link to ``table``."""
    return [link for link in foreign_key_links(db.metadata) if link.target is table]


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
        for link in _links_to(table):
            if not link.cascades:
                continue
            key = id_column(link.table)
            found: set[int] = set()
            for chunk in id_chunks(ids):
                found |= set(db.session.execute(
                    select(key).where(link.column.in_(chunk))).scalars())
            new = found - owned[link.table]
            if new:
                owned[link.table] |= new
                frontier.append((link.table, new))
    return {table: ids for table, ids in owned.items() if ids}


def delete_rows(owned: Mapping[Table, set[int]]) -> None:
    """Empty the non-cascading links to the rows in ``owned`` from rows that stay, then
    delete those rows, every table after the tables that refer to it."""
    for table, ids in owned.items():
        for link in _links_to(table):
            if link.cascades:
                continue
            staying = owned.get(link.table, set())
            key = id_column(link.table)
            for chunk in id_chunks(ids):
                referring = set(db.session.execute(
                    select(key).where(link.column.in_(chunk))).scalars()) - staying
                if not referring:
                    continue
                if not link.nullable:
                    raise UnknownLink(f"{link.table.name}.{link.column.name} -> {table.name}")
                db.session.execute(update(link.table).where(key.in_(sorted(referring)))
                                   .values({link.column.name: None}))
    for table in reversed(db.metadata.sorted_tables):
        ids = owned.get(table)
        if not ids:
            continue
        key = id_column(table)
        for chunk in id_chunks(ids):
            db.session.execute(delete(table).where(key.in_(chunk)))
