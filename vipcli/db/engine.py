"""Opening a database: URL resolution, SQLite pragmas, owner-only file, self-migration.

The database migrates itself on open (SPEC §14): the stored Alembic revision is
compared with the head this code knows; Alembic is imported only to migrate.

When a new SQLite file is made (README "A tour by role", its last paragraph): only by a
command that puts data into it — an import, `vip db upgrade`, the demo — or on the default
database in vip's own data directory. Any other command given a path that does not
exist says so and creates nothing (`create=False`), so a mistyped `--db` leaves no empty
database behind; a folder that does not exist is never created outside the data
directory. The CLI also removes a file it created when the command then fails with
nothing in it (vipcli.cli.state).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from vipcli.db.schema import HEAD, REVISIONS
from vipcli.errors import DatabaseTooNew, InvalidInput, NotFound, PreconditionFailed, VipError
from vipcli.i18n import _

if TYPE_CHECKING:
    import sqlite3

SQLITE_BUSY_TIMEOUT_MS = 30_000  # the rules file's database.busy_timeout_seconds overrides it
WRITES = "vip_writes"  # execution option: this connection's transactions write (see `writing`)


def resolve_url(db: str) -> str:
    """A file path or an SQLAlchemy URL; postgresql:// means psycopg 3."""
    if not db.strip():  # "" would name the current folder, or silently the default
        raise InvalidInput(_("the database is empty: give a file path or an SQLAlchemy URL"))
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser().resolve()}"
    if db.startswith("postgresql://") or db.startswith("postgres://"):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db


def sqlite_path(url: str) -> Path | None:
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url[len("sqlite:///") :])
    return None


def _create_owner_only(path: Path, *, create: bool = True) -> None:
    """§13: the SQLite file is created readable by its owner only; an existing file (and
    the -wal and -shm SQLite keeps beside it, which take its mode) is made so. Without
    `create`, a file that does not exist is refused, not made."""
    if path.exists():
        _owner_only(path)
        return
    from vipcli.paths import data_dir

    if not create:
        raise NotFound(_("database {path} does not exist: check --db / VIP_DB (a new database "
                         "is made by importing into it: vip --db {path} import branches FILE)")
                       .format(path=path))

    if not path.parent.is_dir():
        # Only vip's own data directory is created on demand; a --db in a missing
        # directory is more likely a typo than a wish for a new tree of folders.
        if not path.parent.is_relative_to(data_dir()):
            raise PreconditionFailed(_("cannot create database {path}: directory {folder} does not exist")
                                     .format(path=path, folder=path.parent))
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    mode = 0o660 if path.parent.stat().st_mode & stat.S_ISGID else 0o600  # see _owner_only
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, mode)
    os.close(fd)
    os.chmod(path, mode)


def _owner_only(path: Path) -> None:
    """Take away the access the file should not give: everyone's but the owner's — or, in a
    setgid folder (§13's outlet server, identity "os": one OS account per member of staff,
    the database shared by their group), everyone's outside the group. Resetting a shared
    database's -shm to 0600 would lock the other members of staff out mid-day."""
    private = 0o007 if path.parent.stat().st_mode & stat.S_ISGID else 0o077
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            mode = file.stat().st_mode
            if mode & private:
                os.chmod(file, mode & 0o777 & ~private)
        except OSError:  # gone meanwhile, or another user's file: theirs to mend
            continue


def _sqlite_pragmas(busy_timeout_ms: int) -> Callable[[sqlite3.Connection, object], None]:
    def on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # Let SQLAlchemy own transactions (pysqlite would not BEGIN before DDL), and
        # `_sqlite_begin` say how each one starts (SQLAlchemy's pysqlite recipe).
        dbapi_connection.isolation_level = None

    return on_connect


_WRITE_STATEMENT = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _check_writes(conn: Connection, _cursor: object, statement: str, *_args: object) -> None:
    """VIP_CHECK_WRITES=FILE (a development aid): a write in a transaction begun for reading
    is a bug — it would fail with "database is locked" under concurrent use (§13) — and is
    noted in FILE with where it came from."""
    if not statement.lstrip().upper().startswith(_WRITE_STATEMENT) or conn.get_execution_options().get(WRITES):
        return
    import traceback

    frames = [f"{f.filename}:{f.lineno}" for f in traceback.extract_stack()
              if ("/vipcli/" in f.filename or "/tests/" in f.filename) and not f.filename.endswith("engine.py")]
    with open(os.environ["VIP_CHECK_WRITES"], "a", encoding="utf-8") as log:
        log.write(f"{statement[:60]!r} {' < '.join(reversed(frames[-4:]))}\n")


def _sqlite_begin(conn: Connection) -> None:
    """§13: a writing transaction takes the write lock as it starts (BEGIN IMMEDIATE) and
    so waits its turn under the busy timeout. Begun deferred, it would read first and
    fail at its first write with "database is locked" whenever another process had
    written meanwhile: WAL cannot move a read snapshot forward, and SQLite does not wait
    for what waiting cannot fix. Reading transactions stay deferred: under WAL they
    read their snapshot and never wait for a writer."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITES) else "BEGIN")


def writing(engine: Engine) -> Engine:
    """The engine whose transactions write: BEGIN IMMEDIATE on SQLite (see `_sqlite_begin`).
    `engine.connect()` without it is for reading; `Context.session()` and `Context.begin()`
    write unless told otherwise."""
    return engine.execution_options(**{WRITES: True})


def _sqlite_busy(busy_timeout_ms: int) -> Callable[[ExceptionContext], None]:
    def on_error(context: ExceptionContext) -> None:
        """The lock still held by another process after the busy timeout: one clear line."""
        if isinstance(context.original_exception, Exception) and "database is locked" in str(
            context.original_exception
        ):
            raise PreconditionFailed(_(
                "the database is busy: another vip command is writing to it and did not finish "
                "within {seconds} s (database.busy_timeout_seconds in the rules file); this "
                "command changed nothing — run it again when the other has finished"
            ).format(seconds=f"{busy_timeout_ms / 1000:g}"))

    return on_error


def make_engine(url: str, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS, *, create: bool = True) -> Engine:
    """The engine of `url`; a SQLite file that does not exist is made only with `create`."""
    path = sqlite_path(url)
    if path is not None:
        _create_owner_only(path, create=create)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms))
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "handle_error", _sqlite_busy(busy_timeout_ms))
        if os.environ.get("VIP_CHECK_WRITES"):
            event.listen(engine, "before_cursor_execute", _check_writes)
        return engine
    try:
        return create_engine(url)
    except Exception as exc:  # bad dialect name, missing driver
        raise PreconditionFailed(_("cannot use database {url!r}: {problem}").format(url=url, problem=exc)) from None


def stored_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError) as exc:
        if "alembic_version" in str(exc):
            return None
        raise PreconditionFailed(_("cannot open database: {problem}").format(problem=_first_line(exc))) from None
    except DBAPIError as exc:
        raise PreconditionFailed(_("cannot open database: {problem}").format(problem=_first_line(exc))) from None


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0]


def ensure_schema(engine: Engine) -> None:
    """Upgrade a fresh or older database to HEAD; refuse one newer than this code."""
    current = stored_revision(engine)
    if current == HEAD:
        return
    if current is not None and current not in REVISIONS:
        raise DatabaseTooNew(_(
            "the database is at schema revision {current}, newer than this vip "
            "(knows up to {head}); upgrade vip before using this database"
        ).format(current=current, head=HEAD))
    from vipcli.db.migrate import upgrade

    # §13: two first uses of a fresh file at once: the second waits, then finds it migrated.
    upgrade(writing(engine))


def open_engine(db: str, *, migrate: bool = True, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
                create: bool = True) -> Engine:
    """Open (and migrate) `db`; with create=False a SQLite file that does not exist is refused."""
    url = resolve_url(db)
    engine = make_engine(url, busy_timeout_ms, create=create)
    if migrate:
        try:
            ensure_schema(engine)
        except VipError:
            engine.dispose()
            raise
    return engine
