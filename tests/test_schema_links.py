"""The foreign keys both walks follow (export and deletion), read in one place."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table

from careers_app.schema_links import IDS_PER_QUERY, foreign_key_links, id_chunks, id_column


def _schema() -> MetaData:
    metadata = MetaData()
    Table("person", metadata, Column("id", Integer, primary_key=True),
          Column("email", String, unique=True))
    Table("note", metadata, Column("id", Integer, primary_key=True),
          Column("owner_id", ForeignKey("person.id", ondelete="CASCADE"), nullable=False),
          Column("reviewer_id", ForeignKey("person.id"), nullable=True),
          Column("reply_to_id", ForeignKey("note.id", ondelete="cascade")),
          Column("author_email", ForeignKey("person.email")))
    Table("pair", metadata, Column("left", Integer, primary_key=True),
          Column("right", Integer, primary_key=True))
    return metadata


def test_every_key_to_a_primary_key_is_read_with_whether_it_cascades() -> None:
    found = [(link.table.name, link.column.name, link.target.name, link.cascades,
              link.nullable) for link in foreign_key_links(_schema())]
    # The key to an email (not a primary key) is not a link either walk can follow.
    assert found == [
        ("note", "owner_id", "person", True, False),
        ("note", "reply_to_id", "note", True, True),
        ("note", "reviewer_id", "person", False, True),
    ]


def test_ids_are_cut_in_order_into_lists_one_query_can_take() -> None:
    ids = set(range(2 * IDS_PER_QUERY + 1, 0, -1))
    chunks = id_chunks(ids)
    assert [len(chunk) for chunk in chunks] == [IDS_PER_QUERY, IDS_PER_QUERY, 1]
    assert [n for chunk in chunks for n in chunk] == sorted(ids)
    assert id_chunks(set()) == []


def test_a_table_without_a_single_column_key_cannot_be_walked() -> None:
    schema = _schema()
    assert id_column(schema.tables["note"]).name == "id"
    with pytest.raises(ValueError, match="pair needs a single-column primary key"):
        id_column(schema.tables["pair"])
