"""The foreign keys in the metadata, read once for the two walks that follow them.

Downloading one's data (careers_app/personal_data/ownership.py) and deleting an account
(careers_app/account_deletion/rows.py) both find a person's rows by following foreign
keys from ``user`` outwards, so that a table added later is covered by both without a
list to keep up. They follow the keys for different reasons (every key that says whose
a row is, against only the keys that cascade), but read them here, in one form, and page
through long id lists the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Column, MetaData, Table

# SQLite and PostgreSQL both take lists this long in one IN (...), far below either
# driver's limit on bound parameters.
IDS_PER_QUERY = 500


@dataclass(frozen=True)
class ForeignKeyLink:
    """``table.column`` points at ``target``'s primary key."""

    table: Table
    column: Column  # type: ignore[type-arg]
    target: Table
    cascades: bool

    @property
    def nullable(self) -> bool:
        return bool(self.column.nullable)


def foreign_key_links(metadata: MetaData) -> list[ForeignKeyLink]:
    """Every foreign key from a column to a table's single-column primary key (its own
    table's included), by referring table and column name."""
    found = []
    for table in metadata.sorted_tables:
        for key in table.foreign_keys:
            target = key.column.table
            if list(target.primary_key.columns) != [key.column]:
                continue
            found.append(ForeignKeyLink(table, key.parent, target,
                                        (key.ondelete or "").upper() == "CASCADE"))
    return sorted(found, key=lambda link: (link.table.name, link.column.name))


def id_column(table: Table) -> Column[int]:
    """The table's primary key, which must be one column for its rows to be walked."""
    keys = list(table.primary_key.columns)
    if len(keys) != 1:
        raise ValueError(f"table {table.name} needs a single-column primary key to be walked")
    return keys[0]


def id_chunks(ids: Iterable[int]) -> list[list[int]]:
    """``ids`` in order, cut into lists short enough for one ``IN (...)`` each."""
    ordered = sorted(ids)
    return [ordered[start:start + IDS_PER_QUERY]
            for start in range(0, len(ordered), IDS_PER_QUERY)]
