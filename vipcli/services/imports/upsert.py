"""Bulk upsert by the §12 key: one `INSERT … ON CONFLICT (key) DO UPDATE` per batch.

SQLAlchemy Core builds the statement for the dialect (SQLite or PostgreSQL). On SQLite the
asset rows — plain strings and integers — go to the driver's executemany with the compiled
SQL (≈2× the rows/s of Core's per-row parameter processing, docs/design.md "asset extract"),
and so do the customer rows, their dates written as SQLAlchemy's SQLite types write them
(`_sqlite_value`); every other kind goes through Core's executemany with its type
processing (dates, Decimal, booleans).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Date, DateTime, Table

from vipcli.domain.rows import RowValues
from vipcli.services.imports import kinds as import_kinds

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PgInsert
    from sqlalchemy.dialects.sqlite import Insert as SqliteInsert

    from vipcli.services.core.sealing import Sealer

    DialectInsert = Callable[[Table], PgInsert | SqliteInsert]

BATCH_ROWS = 50_000


class Upserter:
    def __init__(self, conn: Connection, kind: str, field_names: list[str], present: set[str],
                 sealer: Callable[[], Sealer] | None = None) -> None:
        self.conn = conn
        self.kind = kind
        self.sealer = sealer  # customers: the key, asked for when a row has a phone or ID (§13)
        spec = import_kinds.SPECS[kind]
        self.columns = import_kinds.db_columns(kind, field_names)
        present_columns = set(import_kinds.db_columns(kind, present)) - set(
            import_kinds.CUSTOMER_EXTRAS
        )
        dialect = conn.dialect.name
        insert: DialectInsert  # INSERT … ON CONFLICT, spelled alike by both dialects
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = insert(spec.table)
        updates = import_kinds.update_set(kind, spec.table, stmt.excluded, present_columns)
        if updates:
            stmt = stmt.on_conflict_do_update(index_elements=list(spec.key), set_=updates)
        else:
            stmt = stmt.on_conflict_do_nothing(index_elements=list(spec.key))
        self.stmt = stmt
        self.driver_sql: str | None = None
        self.raw_sql: str | None = None
        if kind in ("assets", "customers") and conn.dialect.positional:
            compiled = stmt.compile(dialect=conn.dialect, column_keys=self.columns)
            if list(compiled.positiontup or []) == self.columns:  # the tuples' order
                self.driver_sql = str(compiled)
        if kind == "assets" and conn.dialect.positional:
            self.raw_sql = _raw_assets_sql(conn, insert, spec, present_columns)
        # SQLite: the customers' dates and times as SQLAlchemy's SQLite types store them, so
        # their rows go to the driver as they are (the sealing of §13 costs what this saves).
        self.sqlite_dates = [i for i, name in enumerate(self.columns)
                             if isinstance(spec.table.c[name].type, Date | DateTime)
                             ] if kind == "customers" and self.driver_sql is not None and dialect == "sqlite" else []

    def raw(self, block: list[list[str]]) -> None:
        """Clean asset rows exactly as read (customer_id, month, "123.45"): SQL drops the
        point to store fen, so no Python object is built per row (asset_rows.clean_chunk)."""
        cursor = self.conn.connection.cursor()  # the DBAPI takes the csv lists as they are
        try:
            cursor.executemany(self.raw_sql, block)
        finally:
            cursor.close()

    def __call__(self, items: list[RowValues]) -> None:
        rows = import_kinds.db_rows(self.kind, items, self.sealer)
        if self.sqlite_dates:
            rows = _sqlite_dates(rows, self.sqlite_dates)
        for start in range(0, len(rows), BATCH_ROWS):
            batch = rows[start : start + BATCH_ROWS]
            if self.driver_sql is not None:
                self.conn.exec_driver_sql(self.driver_sql, batch)
            else:
                columns = self.columns
                self.conn.execute(self.stmt, [dict(zip(columns, row, strict=True)) for row in batch])


def _sqlite_dates(rows: list[RowValues], positions: list[int]) -> list[RowValues]:
    """The dates and times at `positions` as SQLAlchemy's SQLite DATE / DATETIME store them
    ('2026-11-27', '2026-11-27 09:30:00.000000'); the rest as it is."""
    out: list[RowValues] = []
    for row in rows:
        values = list(row)
        for i in positions:
            value = values[i]
            if isinstance(value, dt.datetime):
                values[i] = value.isoformat(sep=" ", timespec="microseconds")
            elif value is not None:
                values[i] = value.isoformat()
        out.append(tuple(values))
    return out


def _raw_assets_sql(
    conn: Connection, insert: DialectInsert, spec: import_kinds.KindSpec, present_columns: set[str]
) -> str | None:
    from sqlalchemy import BigInteger, bindparam, cast, func, literal_column

    amount = func.replace(bindparam("amount"), literal_column("'.'"), literal_column("''"))
    stmt = insert(spec.table).values(
        customer_id=bindparam("customer_id"), month=bindparam("month"),
        avg_daily_fen=cast(amount, BigInteger),
    )
    updates = import_kinds.update_set("assets", spec.table, stmt.excluded, present_columns)
    stmt = stmt.on_conflict_do_update(index_elements=list(spec.key), set_=updates)
    compiled = stmt.compile(dialect=conn.dialect)
    if list(compiled.positiontup or []) != ["customer_id", "month", "amount"]:
        return None
    return str(compiled)
