"""`vip import KIND FILE` (SPEC §12, §15): validate every row, then commit all rows or none.

The file is streamed in chunks of CHUNK_ROWS. Each chunk is validated (cells, then its
references, set-based) and, while the file is still clean, upserted inside the one open
transaction. After the first invalid row nothing more is inserted, but validation goes
on so that every error is reported; then the transaction is rolled back. A dry run does
the same work and always rolls back, so its counts are exactly what an import would do.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from sqlalchemy import Connection, func, insert, select

from vipcli import clock
from vipcli.db.engine import writing
from vipcli.db.models import AssignmentHistory, Customer
from vipcli.domain import asset_rows
from vipcli.domain import rows as parsing
from vipcli.errors import ErrorDetail, ImportRejected, InvalidInput, NotFound
from vipcli.i18n import N_, _, ngettext
from vipcli.services.core import access
from vipcli.services.core.audit import audit
from vipcli.services.core.batching import in_batches
from vipcli.services.core.context import Actor, Context
from vipcli.services.imports import kinds as import_kinds
from vipcli.services.imports import staff
from vipcli.services.imports.files import Source, open_source
from vipcli.services.imports.scope import Scope, scope_for
from vipcli.services.imports.upsert import Upserter

if TYPE_CHECKING:
    from vipcli.config import LoadedRules
    from vipcli.services.core.sealing import Sealer

KINDS = parsing.KINDS
CHUNK_ROWS = 50_000
IMPORT_CACHE_KIB = 65_536  # SQLite page cache while importing: ≈1.3× faster bulk loads (bench)
ERROR_CAP = 100  # errors listed; the rest are counted ("and N more")
ROW_CONVENTION = N_("rows numbered as in a spreadsheet: the header is row 1, the first data row is row 2")
Progress = Callable[[int, int, int], None]  # (done, total, rows so far)
_KIND_ALIASES = {"cross_sell": "cross-sell", "monthly_assets": "assets", "asset": "assets",
                 "price": "prices", "loan": "loans", "card": "cards", "card_statements": "cards"}
# The big extracts imported by the operator: the foreign keys check the references as the
# rows go in; only a chunk they refuse is looked up row by row, to name its rows.
TRUSTING_KINDS = ("assets", "prices", "loans", "cards")
# A first load rebuilds these kinds' secondary indexes once at the end (bench/bench_import.py).
REINDEXED_KINDS = ("assets", "customers", "loans", "cards")


class ImportSummary(TypedDict):
    """`vip import` (§15): the kind, the file's name and the counts of rows written."""

    kind: str
    file: str
    rows: int
    inserted: int
    updated: int
    dry_run: bool
    # staff only: bank-level roles the file asks for, waiting for a second operator (§13)
    pending_grants: NotRequired[list[staff.PendingGrant]]


def import_file(
    ctx: Context,
    kind: str,
    path: Path,
    *,
    encoding: str | None = None,
    dry_run: bool = False,
    show_progress: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import one extract; raises ImportRejected (details: row, column, message) if invalid."""
    kind = _kind(kind)
    path = Path(path)
    if not path.is_file():
        raise NotFound(_("no such file: {path}").format(path=path))
    # §13 bootstrap: branches and staff need no identity while the database has no staff.
    actor = access.require_admin(ctx, _("import {kind}").format(kind=kind),
                                 bootstrap_ok=kind in ("branches", "staff"))
    scope = scope_for(actor, kind)
    if progress is None and show_progress:
        progress = _plain_progress
    with open_source(path, encoding) as source, _bulk_load(), writing(ctx.engine).connect() as conn:
        _sqlite_cache(conn, IMPORT_CACHE_KIB)
        transaction = conn.begin()
        try:
            result = _Load(kind, source, scope, conn, progress, actor, ctx.loaded_rules).run()
            result["dry_run"] = dry_run
            if dry_run:
                transaction.rollback()
                for grant in result.get("pending_grants", []):
                    grant["id"] = None  # rolled back with the rest
                return result
            audit(conn, actor.staff_id if actor else None, "import", **result)
            transaction.commit()
            return result
        finally:
            if transaction.is_active:
                transaction.rollback()
            _sqlite_cache(conn, None)


class _Load:
    """One pass over the file: validate chunk by chunk, upsert while clean, collect errors."""

    def __init__(
        self, kind: str, source: Source, scope: Scope, conn: Connection,
        progress: Progress | None, actor: Actor | None, loaded: LoadedRules | None = None,
    ) -> None:
        self.kind, self.source, self.scope, self.conn = kind, source, scope, conn
        self.loaded = loaded
        self._key: Sealer | None = None
        self.actor_id = actor.staff_id if actor else None
        self.progress = progress
        self.fields = parsing.fields_for(kind, clock.today())
        self.last_month = clock.today().isoformat()[:7]
        self.errors: list[ErrorDetail] = []
        self.error_count = 0
        self.rows = 0
        try:
            self.positions = parsing.header_positions(self.fields, source.header)
        except parsing.HeaderError as exc:
            raise ImportRejected(
                _("{file}: row 1 (the header): {problem}; nothing was imported")
                .format(file=source.name, problem=exc),
                details=[{"row": 1, "column": None, "message": str(exc)}],
            ) from None
        present = {f.name for f, p in zip(self.fields, self.positions, strict=True) if p is not None}
        scope.present = frozenset(present)
        self.pending_grants: list[staff.PendingGrant] = []
        # The asset extract's three columns are all required: the header has found each one.
        self.asset_positions = [p for p in self.positions if p is not None]
        self.table = import_kinds.SPECS[kind].table
        self.upsert = Upserter(conn, kind, [f.name for f in self.fields], present,
                               self._sealer if kind in ("customers", "leads") else None)
        if kind == "leads":  # §18: one lead per phone per outlet, told by the phone's hash
            scope.phone_digest = lambda phone: self._sealer().digest("phone", phone)
        self.trust_foreign_keys = kind in TRUSTING_KINDS and scope.outlet is None and (
            conn.dialect.name != "sqlite" or conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        )

    def run(self) -> ImportSummary:
        before = self._count()
        # A first load of the asset history or of the customers: rebuilding the indexes once
        # at the end is cheaper than maintaining them row by row (bench/bench_import.py; for
        # the customers it pays for sealing their phone and ID numbers, §13).
        indexes = list(self.table.indexes) if self.kind in REINDEXED_KINDS and before == 0 else []
        # §13: a first load holds no phone or ID number to compare with; a re-import seals
        # only the values that changed (Upserter).
        self.upsert.first_load = before == 0
        for index in indexes:
            index.drop(self.conn)
        for first, block in self.source.chunks(CHUNK_ROWS):
            if self._insert_clean_chunk(block):
                self.rows += len(block)
                self._report()
                continue
            items, numbers, problems = self._validate(first, block)
            if problems or not self._insert_trusting_foreign_keys(items):
                self._record(problems + self._reference_problems(items, numbers))
                if not self.error_count:
                    self._write(items)
            self._report()
        if self.error_count:
            raise self._rejected()
        for index in indexes:
            index.create(self.conn)
        if self.kind in ("customers", "leads"):  # §18: a lead whose phone is a customer's
            from vipcli.services.routine.leads import link_leads

            link_leads(self.conn, self.actor_id)
        inserted = self._count() - before
        summary = ImportSummary(kind=self.kind, file=self.source.name, rows=self.rows,
                                inserted=inserted, updated=self.rows - inserted, dry_run=False)
        if self.kind == "staff":
            summary["pending_grants"] = self.pending_grants
        return summary

    def _sealer(self) -> Sealer:
        """§13: the key that seals the customers' phone and ID numbers, asked for once, in
        this transaction (made on first use; a missing or wrong key refuses the import)."""
        if self._key is None:
            from vipcli.services.core.sealing import sealer

            assert self.loaded is not None
            self._key = sealer(self.conn, self.loaded)
        return self._key

    def _write(self, items: list[parsing.RowValues]) -> None:
        """Upsert valid rows, with what goes beside them: a customer's manager history (§2),
        a staff row's bank-level role held back for a second operator (§13)."""
        changes = self._manager_changes(items) if self.kind == "customers" else []
        grants = None
        # Only an operator's import grants (or supersedes) roles; not the bootstrap's.
        if self.kind == "staff" and self.actor_id is not None and self.scope.outlet is None:
            grants = staff.hold_grants(self.conn, items, self.scope)
            items = grants.items
        self.upsert(items)
        if changes:  # after the upsert: history refers to the customer rows
            self.conn.execute(insert(AssignmentHistory), changes)
        if grants is not None and self.actor_id is not None:
            self.pending_grants += grants.record(self.conn, self.source.name, self.actor_id)

    def _validate(
        self, first: int, block: list[list[str]]
    ) -> tuple[list[parsing.RowValues], Sequence[int], list[parsing.RowError]]:
        """Cells → values: the valid rows, their row numbers, and the problems found."""
        if self.kind == "assets":
            items = asset_rows.fast_assets_chunk(self.asset_positions, self.last_month, block)
            if items is not None:
                self.rows += len(block)
                return items, range(first, first + len(block)), []
        if self.kind in parsing.FAST_KINDS:  # issue 15: the big extracts, column by column
            items = parsing.fast_chunk(self.kind, self.fields, self.positions, block)
            if items is not None:
                self.rows += len(block)
                return items, range(first, first + len(block)), []
        pending = [(first + i, cells) for i, cells in enumerate(block) if any(cells)]
        self.rows += len(pending)
        if self.kind == "assets":
            items, numbers, pending = asset_rows.fast_assets(self.asset_positions, self.last_month, pending)
        else:
            items, numbers = [], []
        problems: list[parsing.RowError] = []
        for number, cells in pending:
            values, found = parsing.convert(self.fields, self.positions, cells)
            found = found or parsing.row_checks(self.kind, values)
            if found:
                problems += [parsing.RowError(number, col, msg) for col, msg in found]
            else:
                items.append(values)
                numbers.append(number)
        return items, numbers, problems

    def _manager_changes(self, items: list[parsing.RowValues]) -> list[dict[str, Any]]:
        """§2: every change of primary manager is kept as history, an import's too."""
        names = [f.name for f in self.fields]
        at_id, at_manager = names.index("customer_id"), names.index("manager_id")
        wanted = {row[at_id]: row[at_manager] for row in items if row[at_manager] is not None}
        ids = list(wanted)
        current: dict[str, str | None] = {}
        for batch in in_batches(ids):
            current.update(self.conn.execute(
                select(Customer.customer_id, Customer.manager_id)
                .where(Customer.customer_id.in_(batch))
            ).all())
        at = clock.now()
        return [
            dict(customer_id=cid, role="primary", from_staff_id=current.get(cid), to_staff_id=staff,
                 at=at, reason=f"import {self.source.name}", by_staff_id=self.actor_id)  # stored, not shown
            for cid, staff in wanted.items() if current.get(cid) != staff
        ]

    def _report(self) -> None:
        if self.progress:
            self.progress(self.source.done(), self.source.total, self.rows)

    def _insert_clean_chunk(self, block: list[list[str]]) -> bool:
        """Hottest path: a clean chunk of a three-column asset file goes in as read (see
        `_insert_trusting_foreign_keys` for the references). False when not inserted."""
        if (
            self.upsert.raw_sql is None
            or not self.trust_foreign_keys
            or self.error_count
            or self.positions != [0, 1, 2]
            or len(block[0]) != 3
            or not asset_rows.clean_chunk(self.asset_positions, self.last_month, block)
        ):
            return False
        try:
            with self.conn.begin_nested():
                self.upsert.raw(block)
        except self.conn.dialect.loaded_dbapi.IntegrityError:  # raised by the driver itself
            return False
        return True

    def _insert_trusting_foreign_keys(self, items: list[parsing.RowValues]) -> bool:
        """Hot path (the asset extract, imported by the operator): the foreign key to customers
        checks every reference as the rows go in; only when it fires are the chunk's
        references looked up, to name the rows. False when the rows were not inserted."""
        if not self.trust_foreign_keys or self.error_count:
            return False
        from sqlalchemy.exc import IntegrityError

        try:
            with self.conn.begin_nested():
                self.upsert(items)
        except IntegrityError:
            return False
        return True

    def _reference_problems(
        self, items: list[parsing.RowValues], numbers: Sequence[int]
    ) -> list[parsing.RowError]:
        refs = import_kinds.check_references(self.conn, self.kind, items, self.scope)
        return [parsing.RowError(numbers[i], col, msg) for i, col, msg in refs]

    def _record(self, problems: list[parsing.RowError]) -> None:
        self.error_count += len(problems)
        room = ERROR_CAP - len(self.errors)
        if room > 0:
            self.errors += [ErrorDetail(row=e.row, column=e.column, message=e.message)
                            for e in sorted(problems, key=lambda e: e.row or 0)[:room]]

    def _rejected(self) -> ImportRejected:
        more = self.error_count - len(self.errors)
        if more:
            text = ngettext(
                "{file}: {count} error (the first {listed} listed, and {more} more) in {rows} rows; "
                "nothing was imported ({convention})",
                "{file}: {count} errors (the first {listed} listed, and {more} more) in {rows} rows; "
                "nothing was imported ({convention})", self.error_count)
        else:
            text = ngettext("{file}: {count} error in {rows} rows; nothing was imported ({convention})",
                            "{file}: {count} errors in {rows} rows; nothing was imported ({convention})",
                            self.error_count)
        rejected = ImportRejected(
            text.format(file=self.source.name, count=self.error_count, listed=len(self.errors),
                        more=more, rows=self.rows, convention=_(ROW_CONVENTION)),
            details=self.errors,
        )
        rejected.error_count = self.error_count
        return rejected

    def _count(self) -> int:
        return self.conn.execute(select(func.count()).select_from(self.table)).scalar_one()


def _kind(kind: str) -> str:
    kind = _KIND_ALIASES.get(kind.lower(), kind.lower())
    if kind not in KINDS:
        raise InvalidInput(_("unknown import kind {kind!r}: expected one of {kinds}")
                           .format(kind=kind, kinds=", ".join(KINDS)))
    return kind


def _sqlite_cache(conn: Connection, kib: int | None) -> None:
    """A larger page cache for the import's connection only (None: back to the default)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA cache_size={-kib if kib else -2000}")
        conn.commit()


@contextmanager
def _bulk_load() -> Iterator[None]:
    """No cyclic GC while millions of small objects stream through (docs/design.md "asset extract")."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _plain_progress(done: int, total: int, rows: int) -> None:
    percent = f"{100 * done / total:.0f}%" if total else ""
    sys.stderr.write("\r" + _("imported {rows:,} rows {percent}").format(rows=rows, percent=percent))
    sys.stderr.flush()
