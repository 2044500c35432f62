"""The SQL tables, declared once with SQLAlchemy Core for every SQL backend.

Imported only when a store is created or migrated (SQLAlchemy's import costs about 0.2 s, which
an operator would otherwise pay at every start), and by the PostgreSQL backend.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

metadata = sa.MetaData()

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # INTEGER PRIMARY KEY is SQLite's rowid

# Each record type's records are in a table of their own, records_<type>, made when the type is
# first prepared (sql.py: Dialect.table_ddl); this lists the types that have one. `code` keys the
# type's rows in SQLite's search indexes; `fts_upto` is how far those indexes have caught up.
record_types = sa.Table(
    "record_types", metadata,
    sa.Column("type", sa.Text, primary_key=True),
    sa.Column("code", sa.Integer, nullable=False, unique=True),
    sa.Column("fts_upto", BigId, nullable=False, server_default="0"),
)

# Every reference a record holds, keyed by what it refers to: "who refers to unit-1" is one range of
# the key. One B-tree, so a create that refers to something writes one page more, not two; the
# record's own row keeps the list of its references (records_<type>.links), which is how an edit
# or a delete finds the entries to remove.
links = sa.Table(
    "links", metadata,
    sa.Column("target", sa.Text, primary_key=True),
    sa.Column("record_id", sa.Text, primary_key=True),
    sa.Column("field", sa.Text, primary_key=True),
    sqlite_with_rowid=False,
)

counters = sa.Table(
    "counters", metadata,
    sa.Column("type", sa.Text, primary_key=True),
    sa.Column("last", sa.Integer, nullable=False),
    sqlite_with_rowid=False,
)

# before/after stay TEXT on every backend: the audit hash covers their exact bytes.
audit = sa.Table(
    "audit", metadata,
    sa.Column("seq", BigId, primary_key=True, autoincrement=False),
    sa.Column("ts", sa.Text, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("by_login", sa.Text),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("record_id", sa.Text, nullable=False),
    sa.Column("before", sa.Text),
    sa.Column("after", sa.Text),
    sa.Column("prev", sa.Text, nullable=False),
    sa.Column("hash", sa.Text, nullable=False),
)
sa.Index("ix_audit_record", audit.c.record_id, audit.c.seq)

settings = sa.Table(
    "settings", metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

users = sa.Table(
    "users", metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("person", sa.Text),
    sa.Column("created_at", sa.Text, nullable=False),
    # the unit an account is bound to (issue 19); a store made before has no such column until an
    # account is first bound (sql.py: SqlSession.put_user adds it), so older stores open unchanged
    sa.Column("unit", sa.Text),
)

meta = sa.Table(
    "meta", metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

DIALECTS = {"sqlite": sqlite.dialect(), "postgresql": pg.dialect()}


def create_statements(dialect_name: str, only: tuple[str, ...] | None = None) -> list[str]:
    """CREATE TABLE and CREATE INDEX statements for a new store (or only the named tables), in
    dependency order."""
    dialect = DIALECTS[dialect_name]
    out: list[str] = []
    for table in metadata.sorted_tables:
        if only is not None and table.name not in only:
            continue
        out.append(str(CreateTable(table).compile(dialect=dialect)).strip())
        out += [str(CreateIndex(index).compile(dialect=dialect)).strip() for index in sorted(table.indexes, key=lambda i: i.name)]
    return out
