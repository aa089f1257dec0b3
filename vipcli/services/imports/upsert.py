"""Bulk upsert by the §12 key: one `INSERT … ON CONFLICT (key) DO UPDATE` per batch.

SQLAlchemy Core builds the statement for the dialect (SQLite or PostgreSQL). On SQLite the
asset rows — plain strings and integers — go to the driver's executemany with the compiled
SQL (≈2× the rows/s of Core's per-row parameter processing, docs/design.md "asset extract"),
and so do the customer rows, their dates written as SQLAlchemy's SQLite types write them
(`_sqlite_dates`), and the rows of the big after-sales extracts (prices, loans, cards;
issue 15), column by column in the statement's order (`_sqlite_columns`); every other kind
goes through Core's executemany with its type processing (dates, Decimal, booleans).

Customers (§13): their phone and ID number are sealed only when they differ from what the
customer holds (one indexed read per IN batch, `kinds.held_personal_data`). A customer
already held is updated in place by a plain UPDATE that leaves alone the sealed, hash and
mask columns of each unchanged number, and writes only where something differs; a new
customer is upserted (with the same `WHERE`). A re-import of the same extract encrypts
nothing and writes no row and no index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from operator import itemgetter
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import (
    BindParameter,
    Connection,
    Date,
    DateTime,
    Numeric,
    Table,
    bindparam,
    or_,
    update,
)

from vipcli.domain.rows import RowValues
from vipcli.services.imports import kinds as import_kinds

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PgInsert
    from sqlalchemy.dialects.sqlite import Insert as SqliteInsert

    from vipcli.services.core.sealing import Sealer

    DialectInsert = Callable[[Table], PgInsert | SqliteInsert]

BATCH_ROWS = 50_000
# The kinds whose rows go to the driver's executemany with the compiled SQL when the
# dialect is positional (SQLite); their dates (and numbers) written as SQLAlchemy writes them.
NEW_KINDS = ("prices", "loans", "cards")
DRIVER_KINDS = ("assets", "customers", *NEW_KINDS)
SQLITE_DATE_KINDS = ("customers", *NEW_KINDS)


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
        ) - set(import_kinds.LEAD_EXTRAS)
        dialect = conn.dialect.name
        insert: DialectInsert  # INSERT … ON CONFLICT, spelled alike by both dialects
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        self._insert = insert
        self._spec = spec
        self._present_columns = present_columns
        # §13: the personal-data fields the file has. The customers already held are updated
        # in place by a statement that leaves alone the columns of the fields whose value is
        # unchanged (no re-encryption, no write to their hash index): one for each set kept.
        self.sealed_fields = [name for name in import_kinds.FIELDS if name in present] if kind == "customers" else []
        self.first_load = False  # set by the importer: the table was empty, nothing is held
        self._updates: dict[import_kinds.Kept, tuple[Any, str | None, Callable[[RowValues], Any]]] = {}
        self.order: list[int] | None = None  # the bulk kinds: the driver's order of the row's values
        self.stmt, self.driver_sql = self._statement()
        self.raw_sql: str | None = None
        if kind == "assets" and conn.dialect.positional:
            self.raw_sql = _raw_assets_sql(conn, insert, spec, present_columns)
        # SQLite: the customers' dates and times as SQLAlchemy's SQLite types store them, so
        # their rows go to the driver as they are (the sealing of §13 costs what this saves).
        self.sqlite_dates = [i for i, name in enumerate(self.columns)
                             if isinstance(spec.table.c[name].type, Date | DateTime)
                             ] if kind in SQLITE_DATE_KINDS and self.driver_sql is not None and dialect == "sqlite" else []
        # Issue 15: a price's figures as SQLAlchemy's SQLite Numeric binds them (a float; the
        # column reads back as Decimal at its scale), a holding's units alike.
        self.sqlite_numbers = [i for i, name in enumerate(self.columns)
                               if isinstance(spec.table.c[name].type, Numeric)
                               ] if self.sqlite_dates else []

    def _statement(self) -> tuple[Any, str | None]:
        """The upsert, and its SQL for the driver's executemany when the rows' tuples fit it."""
        spec, conn = self._spec, self.conn
        stmt = self._insert(spec.table)
        updates = import_kinds.update_set(self.kind, spec.table, stmt.excluded, self._present_columns)
        if updates and self.kind == "customers":
            # A customer the file does not change is not written at all (a re-import of the
            # same extract: no row rewritten, no index touched).
            stmt = stmt.on_conflict_do_update(
                index_elements=list(spec.key), set_=updates,
                where=or_(*(spec.table.c[column].is_distinct_from(value) for column, value in updates.items())))
        elif updates:
            stmt = stmt.on_conflict_do_update(index_elements=list(spec.key), set_=updates)
        else:
            stmt = stmt.on_conflict_do_nothing(index_elements=list(spec.key))
        driver_sql = None
        if self.kind in DRIVER_KINDS and conn.dialect.positional:
            compiled = stmt.compile(dialect=conn.dialect, column_keys=self.columns)
            order = list(compiled.positiontup or [])
            if order == self.columns:  # the tuples' order
                driver_sql = str(compiled)
            elif self.kind in NEW_KINDS and sorted(order) == sorted(self.columns):
                # The table's column order, not the file's: the rows are put in it (_sqlite_columns).
                self.order = [self.columns.index(name) for name in order]
                driver_sql = str(compiled)
        return stmt, driver_sql

    def _update(self, kept: import_kinds.Kept) -> tuple[Any, str | None, Callable[[RowValues], Any]]:
        """For a customer already held (read and kept as read by `held_personal_data`): the
        upsert's DO UPDATE as a plain UPDATE — the same columns, less those of the `kept`
        fields, and only where something differs — without the INSERT it would first try
        (≈1.7× faster for an unchanged row on SQLite). Its SQL for the driver's executemany
        and the getter of a row's values in its parameters' order, when the dialect is
        positional; else (None, the getter of a row's values by parameter name)."""
        found = self._updates.get(kept)
        if found is not None:
            return found
        table = self._spec.table
        row = _Bound(table, self.columns)
        present = self._present_columns - {
            column for name, same in zip(self.sealed_fields, kept, strict=True) if same
            for column in import_kinds.SEALED_FIELDS[name]}
        changes = import_kinds.update_set(self.kind, table, cast(Any, row), present)
        stmt = (update(table).where(table.c.customer_id == row["customer_id"])
                .where(or_(*(table.c[column].is_distinct_from(value) for column, value in changes.items())))
                .values(changes))
        at = {f"v_{column}": index for index, column in enumerate(self.columns)}
        compiled = stmt.compile(dialect=self.conn.dialect)
        names = list(compiled.positiontup or []) if self.conn.dialect.positional else list(compiled.binds)
        getter = itemgetter(*(at[name] for name in names))  # two or more: a tuple
        made: tuple[Any, str | None, Callable[[RowValues], Any]]
        if self.conn.dialect.positional:
            made = stmt, str(compiled), getter
        else:
            made = stmt, None, lambda values: dict(zip(names, getter(values), strict=True))
        self._updates[kept] = made
        return made

    def raw(self, block: list[list[str]]) -> None:
        """Clean asset rows exactly as read (customer_id, month, "123.45"): SQL drops the
        point to store fen, so no Python object is built per row (asset_rows.clean_chunk)."""
        cursor = self.conn.connection.cursor()  # the DBAPI takes the csv lists as they are
        try:
            cursor.executemany(self.raw_sql, block)
        finally:
            cursor.close()

    def __call__(self, items: list[RowValues]) -> None:
        if self.kind == "leads":  # §13: the phone sealed, as a customer's
            self._execute(self.stmt, None, import_kinds.lead_rows(items, self.sealer))
            return
        if self.kind != "customers":
            if self.sqlite_dates or self.order:
                items = _sqlite_columns(items, self.sqlite_dates, self.sqlite_numbers, self.order)
            self._execute(self.stmt, self.driver_sql, items)
            return
        held = None
        if self.sealed_fields and not self.first_load:
            held = import_kinds.held_personal_data(self.conn, items, self.sealed_fields)
        rows, kept = import_kinds.customer_rows(items, self.sealer, self.sealed_fields, held)
        if self.sqlite_dates:
            rows = _sqlite_dates(rows, self.sqlite_dates)
        if not held:
            self._execute(self.stmt, self.driver_sql, rows)
            return
        # The customers held are updated in place, by the set of fields they keep; the others
        # (new ones, and any named twice in these rows: held_personal_data leaves them out)
        # are upserted in the file's order, so the last row of a customer wins.
        existing = held[self.sealed_fields[0]]
        new: list[RowValues] = []
        groups: dict[import_kinds.Kept, list[RowValues]] = {}
        for row, fields in zip(rows, kept, strict=True):
            if row[0] in existing:
                groups.setdefault(fields, []).append(row)
            else:
                new.append(row)
        self._execute(self.stmt, self.driver_sql, new)
        for fields, group in groups.items():
            stmt, driver_sql, values = self._update(fields)
            for start in range(0, len(group), BATCH_ROWS):
                batch = [values(row) for row in group[start : start + BATCH_ROWS]]
                if driver_sql is not None:
                    self.conn.exec_driver_sql(driver_sql, batch)
                else:
                    self.conn.execute(stmt, batch)

    def _execute(self, stmt: Any, driver_sql: str | None, rows: list[RowValues]) -> None:
        for start in range(0, len(rows), BATCH_ROWS):
            batch = rows[start : start + BATCH_ROWS]
            if driver_sql is not None:
                self.conn.exec_driver_sql(driver_sql, batch)
            else:
                columns = self.columns
                self.conn.execute(stmt, [dict(zip(columns, row, strict=True)) for row in batch])


def _sqlite_columns(rows: list[RowValues], dates: list[int], numbers: list[int],
                    order: list[int] | None) -> list[RowValues]:
    """The bulk kinds' rows for the driver, column by column: dates as SQLAlchemy's SQLite
    DATE stores them (each distinct date written once), Decimals as the floats its Numeric
    binds, and the values in the statement's order (`order`, None: as they are)."""
    if not rows:
        return rows
    columns: list[Any] = list(zip(*rows, strict=True))
    for i in dates:
        texts = {day: day.isoformat() for day in set(columns[i]) if day is not None}
        texts[None] = None
        columns[i] = [texts[day] for day in columns[i]]
    for i in numbers:
        columns[i] = [None if value is None else float(value) for value in columns[i]]
    if order is not None:
        columns = [columns[i] for i in order]
    return list(zip(*columns, strict=True))


class _Bound:
    """The upsert's `excluded` row, for an UPDATE: each column as the value bound from the
    file's row (parameter `v_<column>`, typed as the column)."""

    def __init__(self, table: Table, columns: list[str]) -> None:
        self._params = {column: bindparam(f"v_{column}", type_=table.c[column].type) for column in columns}

    def __getitem__(self, column: str) -> BindParameter[Any]:
        return self._params[column]

    def __getattr__(self, column: str) -> BindParameter[Any]:
        try:
            return self._params[column]
        except KeyError:
            raise AttributeError(column) from None


def _sqlite_dates(rows: list[RowValues], positions: list[int]) -> list[RowValues]:
    """The dates and times at `positions` as SQLAlchemy's SQLite DATE / DATETIME store them
    ('2026-11-27', '2026-11-27 09:30:00.000000'); the rest as it is. Each distinct date is
    written once (an extract repeats them: birthdays, the import's own time)."""
    texts: dict[dt.date, str] = {}

    def text(value: dt.date) -> str:
        found = texts.get(value)
        if found is None:
            found = texts[value] = (value.isoformat(sep=" ", timespec="microseconds")
                                    if isinstance(value, dt.datetime) else value.isoformat())
        return found

    out: list[RowValues] = []
    append = out.append
    for row in rows:
        values = list(row)
        for i in positions:
            value = values[i]
            if value is not None:
                values[i] = text(value)
        append(tuple(values))
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
