"""`vip db check` (§13 resilience, §15): is the database sound? For cron: exit 0 or 1.

On SQLite: PRAGMA integrity_check, PRAGMA foreign_key_check and the schema revision.
On PostgreSQL the server keeps its pages consistent and always enforces foreign keys:
only the schema revision is checked, and `integrity`/`foreign_keys` are null (not
checked; [] means checked and sound). `audit` is what `vip audit verify` finds (§13:
`{"ok", "entries", "latest_id", "latest_hash"}`, and `first_bad_id`, `problem`,
`message` when the chain is broken): a broken chain is a problem (exit 1). It is null
when not checked: a file too damaged to read further, or a schema older than the hash
chain (revision 0005; vip chains the log on its next use).

The check reads only: it never creates, migrates or repairs the database.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TypedDict
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.exc import DBAPIError

from vipcli.db.engine import make_engine, resolve_url, sqlite_path, stored_revision
from vipcli.db.schema import HEAD, REVISIONS
from vipcli.errors import VipError
from vipcli.i18n import _
from vipcli.services.core import audit as audit_chain
from vipcli.services.core.backup import integrity_problems


class ForeignKeyProblem(TypedDict):
    """A row whose parent row is missing (PRAGMA foreign_key_check)."""

    table: str
    rowid: int | None
    parent: str


class SchemaState(TypedDict):
    current: str | None
    head: str
    ok: bool


class DatabaseCheck(TypedDict):
    """`vip db check --json` (§15): `ok` false when any part found a problem."""

    ok: bool
    database: str
    integrity: list[str] | None
    foreign_keys: list[ForeignKeyProblem] | None
    schema: SchemaState
    audit: audit_chain.VerifyDocument | None
    problems: list[str]


def check_database(db: str) -> DatabaseCheck:
    url = resolve_url(db)
    path = sqlite_path(url)
    if path is None:
        return _check_server(url)
    if not path.is_file():
        return _unread(str(path), None, _("the database file {path} does not exist").format(path=path))
    return _check_sqlite(path)


def _check_sqlite(path: Path) -> DatabaseCheck:
    with closing(sqlite3.connect(path)) as conn:
        integrity = integrity_problems(conn)
        if integrity:  # a damaged file: its other answers would not mean much
            return _unread(str(path), integrity,
                           *(_("integrity: {problem}").format(problem=p) for p in integrity))
        foreign = [ForeignKeyProblem(table=t, rowid=r, parent=p)
                   for t, r, p, _fkid in conn.execute("PRAGMA foreign_key_check")]
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:
            row = None
    problems = [_("foreign key: {table} row {rowid} names a missing {parent}").format(
                    table=f["table"], rowid=f["rowid"], parent=f["parent"]) for f in foreign]
    revision = None if row is None else str(row[0])
    engine = create_engine("sqlite://", creator=lambda: _read_only(path))
    try:
        chain = _audit(engine, revision, problems)
    finally:
        engine.dispose()
    return _result(str(path), integrity, foreign, revision, problems, chain)


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)


def _audit(engine: Engine, revision: str | None, problems: list[str]) -> audit_chain.VerifyDocument | None:
    """The audit chain's verdict (a broken chain adds a problem); None when not checked."""
    if not audit_chain.is_chained(revision):
        return None
    try:
        with engine.connect() as conn:
            chain = _verdict(conn)
    except DBAPIError as exc:  # audit_log or db_settings unreadable: that is what is wrong
        problems.append(_("audit log: cannot be read ({problem})").format(
            problem=str(getattr(exc, "orig", exc)).strip().splitlines()[0]))
        return None
    if not chain["ok"]:
        problems.append(_("audit log: {problem}").format(problem=chain["message"]))
    return chain


def _verdict(conn: Connection) -> audit_chain.VerifyDocument:
    return audit_chain.document(audit_chain.verify(conn))


def _check_server(url: str) -> DatabaseCheck:
    engine = make_engine(url)
    shown = engine.url.render_as_string(hide_password=True)
    problems: list[str] = []
    try:
        revision = stored_revision(engine)
        chain = _audit(engine, revision, problems)
    except VipError as exc:  # cannot connect: that is the problem found
        return _unread(shown, None, exc.message)
    finally:
        engine.dispose()
    return _result(shown, None, None, revision, problems, chain)


def _result(database: str, integrity: list[str] | None, foreign: list[ForeignKeyProblem] | None,
            revision: str | None, problems: list[str],
            chain: audit_chain.VerifyDocument | None = None) -> DatabaseCheck:
    # An older known revision is sound: vip upgrades it on its next use (§14).
    schema_ok = revision in REVISIONS
    if not schema_ok:
        problems.append(_("no vip schema in this database") if revision is None else
                        _("schema revision {revision} is unknown to this vip (knows up to {head})")
                        .format(revision=revision, head=HEAD))
    return _document(database, integrity, foreign, revision, problems, chain)


def _unread(database: str, integrity: list[str] | None, *problems: str) -> DatabaseCheck:
    """A database that could not be read far enough to check the rest."""
    return _document(database, integrity, None, None, list(problems))


def _document(database: str, integrity: list[str] | None, foreign: list[ForeignKeyProblem] | None,
              revision: str | None, problems: list[str],
              chain: audit_chain.VerifyDocument | None = None) -> DatabaseCheck:
    return {"ok": not problems, "database": database, "integrity": integrity,
            "foreign_keys": foreign,
            "schema": {"current": revision, "head": HEAD, "ok": revision in REVISIONS},
            "audit": chain, "problems": problems}
