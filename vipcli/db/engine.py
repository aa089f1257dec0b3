"""Opening a database: URL resolution, SQLite pragmas, owner-only file, self-migration.

The database migrates itself on open (SPEC §14): the stored Alembic revision is
compared with the head this code knows; Alembic is imported only to migrate.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from vipcli.db.schema import HEAD, REVISIONS
from vipcli.errors import DatabaseTooNew, PreconditionFailed, VipError

SQLITE_BUSY_TIMEOUT_MS = 10_000


def resolve_url(db: str) -> str:
    """A file path or an SQLAlchemy URL; postgresql:// means psycopg 3."""
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser().resolve()}"
    if db.startswith("postgresql://") or db.startswith("postgres://"):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db


def sqlite_path(url: str) -> Path | None:
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url[len("sqlite:///") :])
    return None


def _create_owner_only(path: Path) -> None:
    """§13: the SQLite file is created readable by its owner only."""
    if path.exists():
        return
    from vipcli.paths import data_dir

    if not path.parent.is_dir():
        # Only vip's own data directory is created on demand; a --db in a missing
        # directory is more likely a typo than a wish for a new tree of folders.
        if not path.parent.is_relative_to(data_dir()):
            raise PreconditionFailed(f"cannot create database {path}: directory {path.parent} does not exist")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # Let SQLAlchemy own transactions (pysqlite would not BEGIN before DDL).
    dbapi_connection.isolation_level = None


def make_engine(url: str) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        _create_owner_only(path)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
        return engine
    try:
        return create_engine(url)
    except Exception as exc:  # bad dialect name, missing driver
        raise PreconditionFailed(f"cannot use database {url!r}: {exc}") from None


def stored_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError) as exc:
        if "alembic_version" in str(exc):
            return None
        raise PreconditionFailed(f"cannot open database: {_first_line(exc)}") from None
    except DBAPIError as exc:
        raise PreconditionFailed(f"cannot open database: {_first_line(exc)}") from None


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0]


def ensure_schema(engine: Engine) -> None:
    """Upgrade a fresh or older database to HEAD; refuse one newer than this code."""
    current = stored_revision(engine)
    if current == HEAD:
        return
    if current is not None and current not in REVISIONS:
        raise DatabaseTooNew(
            f"the database is at schema revision {current}, newer than this vip "
            f"(knows up to {HEAD}); upgrade vip before using this database"
        )
    from vipcli.db.migrate import upgrade

    upgrade(engine)


def open_engine(db: str, *, migrate: bool = True) -> Engine:
    url = resolve_url(db)
    engine = make_engine(url)
    if migrate:
        try:
            ensure_schema(engine)
        except VipError:
            engine.dispose()
            raise
    return engine
