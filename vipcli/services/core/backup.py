"""`vip backup FILE` and `vip restore FILE` (§13 resilience): copies that cannot destroy.

A backup is SQLite's online backup API (a consistent copy while others write) into a
temporary file beside FILE, switched to a single self-contained file (no `-wal`),
integrity-checked, fsynced and renamed into place (`core.files`): a backup killed half-way
leaves no FILE at all, never one that opens as an empty database.

A restore checks the backup (an SQLite file that passes its integrity check, a vip
database at a schema revision this vip knows), copies it beside the live database, sets
the live file and its `-wal`/`-shm`/`-journal` aside under a timestamped name (kept: a
restore loses nothing) and renames the copy into place. A stale `-wal` left beside the
restored file would be replayed into it, hence the sidecars go aside with the file.

PostgreSQL has its own tools; both commands say which, with the command for this URL.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TypedDict
from urllib.parse import quote

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from vipcli.db.engine import (
    make_engine,
    open_engine,
    resolve_url,
    sqlite_path,
    stored_revision,
    writing,
)
from vipcli.db.schema import HEAD, REVISIONS
from vipcli.errors import (
    IdentityRequired,
    InvalidInput,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
)
from vipcli.i18n import _
from vipcli.services.core import files
from vipcli.services.core.access import require_role
from vipcli.services.core.audit import EMPTY, audit, audit_unchained, is_chained
from vipcli.services.core.context import Actor, Context, load_actor

SQLITE_HEADER = b"SQLite format 3\x00"


class AuditHead(TypedDict):
    """The last audit entry a copy holds (§13: its hash is written down outside)."""

    latest_id: int
    latest_hash: str


class BackupResult(TypedDict):
    """`vip backup --json`: the copy written, the schema revision it holds and the last
    entry of its audit log (id 0 and 64 zeros when empty; null before the log was
    hash-chained, revision 0005)."""

    file: str
    revision: str | None
    audit: AuditHead | None


class RestoreResult(TypedDict):
    """`vip restore --json` (§15): the backup restored and where the old files went."""

    restored_from: str
    database: str
    revision: str
    moved_aside: list[str]


def _server_tool(url: str, tool: str, file: str) -> InvalidInput:
    """On PostgreSQL: which tool to use, with the command for the configured URL."""
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=True)
    command = (f"pg_dump --format=custom --file={shlex.quote(file)} {shlex.quote(plain)}"
               if tool == "pg_dump" else
               f"pg_restore --clean --if-exists --dbname={shlex.quote(plain)} {shlex.quote(file)}")
    if tool == "pg_dump":
        text = _("vip backup works on SQLite files; back up PostgreSQL with {tool}: {command}")
    else:
        text = _("vip restore works on SQLite files; restore PostgreSQL with {tool}: {command}")
    return InvalidInput(text.format(tool=tool, command=command))


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    """PRAGMA integrity_check: [] when the file is sound, else what it found."""
    try:
        found = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:  # "file is not a database", a torn header
        return [str(exc)]
    return [] if found == ["ok"] else found


def backup(ctx: Context, output: str, *, force: bool = False) -> BackupResult:
    source = sqlite_path(str(ctx.engine.url))
    if source is None:
        raise _server_tool(str(ctx.engine.url), "pg_dump", output)
    current = stored_revision(ctx.engine)
    if current is None:
        raise PreconditionFailed(_("the database {database} holds no vip data yet: nothing to back up")
                                 .format(database=source))
    actor = ctx.actor()
    # §13: a copy holds every outlet's customers; a branch head sees only its own.
    require_role(actor, ("operator",), _("back up the database"))
    path = files.check_target(output, force=force,
                              protected=files.database_files(source)).absolute()
    timeout = ctx.rules.database.busy_timeout_seconds
    try:
        files.make_folders(path.parent)
        with files.temporary_beside(path, "backup") as temporary:
            revision, chain = _copy(source, temporary, timeout)
            with ctx.begin() as conn:  # audited only if the copy is in place
                if is_chained(current):
                    audit(conn, actor.staff_id, "backup", file=str(path))
                else:  # not upgraded first (see the CLI): the entry as that schema keeps it
                    audit_unchained(conn, actor.staff_id, "backup", file=str(path))
                files.place(temporary, path, force=force)
    except OSError as exc:
        raise InvalidInput(_("cannot write {path}: {problem}")
                           .format(path=path, problem=exc.strerror or exc)) from None
    return {"file": str(path), "revision": revision, "audit": chain}


def _copy(source: Path | str, temporary: Path, timeout: float) -> tuple[str | None, AuditHead | None]:
    """Copy `source` into `temporary` as one self-contained, checked, fsynced file; its
    schema revision and the last entry of its audit log."""
    with (closing(sqlite3.connect(source, timeout=timeout)) as src,
          closing(sqlite3.connect(temporary)) as dst):
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one file: no -wal to lose beside it
        problems = integrity_problems(dst)
        revision = _revision(dst)
        chain = None if problems else _audit_head(dst)
    if problems:
        raise PreconditionFailed(
            _("the copy failed its integrity check ({problem}); nothing was written — run "
              "`vip db check` on the database").format(problem=problems[0])
        )
    files.fsync(temporary)
    return revision, chain


def _audit_head(conn: sqlite3.Connection) -> AuditHead | None:
    """The copy's last audit entry (the copy is taken before the backup's own entry)."""
    if not is_chained(_revision(conn)):  # a schema before the chain: nothing to write down
        return None
    row = conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return {"latest_id": EMPTY.id, "latest_hash": EMPTY.hash}
    return {"latest_id": int(row[0]), "latest_hash": str(row[1])}


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return None if row is None else str(row[0])


def _open_backup(path: Path) -> sqlite3.Connection:
    """The backup, read-only and immutable (nothing is written beside it)."""
    if not path.is_file():
        raise NotFound(_("no backup file {path}").format(path=path))
    with open(path, "rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise InvalidInput(_("{path} is not an SQLite database, so not a vip backup")
                               .format(path=path))
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise InvalidInput(
            _("{path} has a write-ahead log beside it ({wal}): it is a database in use, not a "
              "backup; make one with `vip backup`").format(path=path, wal=wal)
        )
    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True)


def check_backup(conn: sqlite3.Connection, path: Path) -> str:
    """The backup's schema revision, once it is known to be a sound vip database."""
    problems = integrity_problems(conn)
    if problems:
        raise InvalidInput(_("{path} failed its integrity check: {problem}; nothing was restored")
                           .format(path=path, problem=problems[0]))
    revision = _revision(conn)
    if revision is None:
        raise InvalidInput(_("{path} is not a vip database (it has no schema revision)")
                           .format(path=path))
    if revision not in REVISIONS:
        raise InvalidInput(
            _("{path} is at schema revision {revision}, which this vip does not know (it knows "
              "up to {head}); restore it with the vip that wrote it").format(
                path=path, revision=revision, head=HEAD)
        )
    return revision


def restore(db: str, backup_file: str, actor_id: str | None, *,
            busy_timeout_ms: int, identity: str | None = None) -> RestoreResult:
    """Put a checked backup in place of the live database; `identity` is the rules file's
    identity mode (§13), which binds the restoring operator as it binds every command."""
    url = resolve_url(db)
    live = sqlite_path(url)
    if live is None:
        raise _server_tool(url, "pg_restore", backup_file)
    source = Path(backup_file).expanduser()
    if files.database_file(source, files.database_files(live)) is not None:
        raise InvalidInput(_("{path} is the live database itself, not a backup of it")
                           .format(path=source))
    with closing(_open_backup(source)) as backup_conn:
        revision = check_backup(backup_conn, source)
        actor = _restoring_operator(url, live, backup_conn, actor_id, busy_timeout_ms, identity)
        replaced = _live_audit_head(live)
        try:
            moved = _put_in_place(backup_conn, live, busy_timeout_ms / 1000)
        except OSError as exc:
            raise InvalidInput(_("cannot restore into {path}: {problem}")
                               .format(path=live, problem=exc.strerror or exc)) from None
    engine = open_engine(str(live), busy_timeout_ms=busy_timeout_ms)  # migrates an older backup
    try:
        with writing(engine).begin() as conn:  # §13: BEGIN IMMEDIATE
            # §13: the restored log ends where the backup's did; the entry keeps the end of
            # the log it replaced (kept aside), so a hash written down since is accounted for.
            audit(conn, actor.staff_id, "restore", restored_from=str(source.resolve()),
                  moved_aside=moved, replaced_audit_head=replaced)
    finally:
        engine.dispose()
    return {"restored_from": str(source.resolve()), "database": str(live), "revision": revision,
            "moved_aside": moved}


def _live_audit_head(live: Path) -> AuditHead | None:
    """The last audit entry of the database about to be set aside (None: none to read)."""
    if not live.is_file():
        return None
    try:
        uri = f"file:{quote(str(live.resolve()))}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            return _audit_head(conn)
    except sqlite3.DatabaseError:  # a broken live file: what the restore mends
        return None


def _restoring_operator(url: str, live: Path, backup_conn: sqlite3.Connection,
                        actor_id: str | None, busy_timeout_ms: int,
                        identity: str | None) -> Actor:
    """An operator of the live database, known as its identity mode says (§13); of the
    backup when the live one is missing or cannot be read (restoring is how a broken
    database is mended: then the declared --as is all there is)."""
    actor = _live_actor(url, live, actor_id, busy_timeout_ms, identity)
    if actor is None:
        if not actor_id:
            raise IdentityRequired(_(
                "this command needs to know who you are: pass --as STAFF_ID "
                "(or set VIP_USER, or user = \"…\" in the config file)"
            ))
        actor = _backup_actor(backup_conn, actor_id)
    require_role(actor, ("operator",), _("restore the database"))
    return actor


def _live_actor(url: str, live: Path, actor_id: str | None, busy_timeout_ms: int,
                identity: str | None) -> Actor | None:
    if not live.is_file():
        return None
    engine: Engine = make_engine(url, busy_timeout_ms)
    try:
        return load_actor(engine, actor_id, configured=identity)
    except DBAPIError:  # not a database, no staff table: the live file is what is broken
        return None
    finally:
        engine.dispose()  # no connection may stay open on the file about to be set aside


def _backup_actor(conn: sqlite3.Connection, actor_id: str) -> Actor:
    try:
        row = conn.execute("SELECT staff_id, name, role, branch_id, active FROM staff "
                           "WHERE staff_id = ?", (actor_id,)).fetchone()
    except sqlite3.DatabaseError:  # a vip revision, but no staff table: nobody to trust
        row = None
    if row is None:
        raise NotFound(_("unknown staff member {staff!r} (given as the acting identity; looked "
                         "up in the backup because the live database cannot be read)")
                       .format(staff=actor_id))
    if not row[4]:
        raise PermissionDenied(_("staff member {staff} is inactive and may not use vip")
                               .format(staff=actor_id))
    return Actor(row[0], row[1], row[2], row[3], bool(row[4]))


def _put_in_place(backup_conn: sqlite3.Connection, live: Path, timeout: float) -> list[str]:
    with files.temporary_beside(live, "restore") as temporary:
        with closing(sqlite3.connect(temporary)) as copy:
            backup_conn.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        files.fsync(temporary)
        return _swap(temporary, live, timeout)


def _swap(temporary: Path, live: Path, timeout: float) -> list[str]:
    """Set the live file and its sidecars aside, then rename the restored copy into place."""
    moved: list[str] = []
    aside = _aside_name(live)
    if live.exists():
        _quiesce(live, timeout)
        try:
            os.link(live, aside)  # the live name stays valid until the copy replaces it
        except OSError:
            os.rename(live, aside)
        moved.append(str(aside))
    for suffix in files.SIDECARS:  # a stale -wal beside the restored file would be replayed
        sidecar = live.with_name(live.name + suffix)
        if sidecar.exists():
            target = aside.with_name(aside.name + suffix)
            os.rename(sidecar, target)
            moved.append(str(target))
    os.replace(temporary, live)
    os.chmod(live, 0o600)
    files.fsync_folder(live.parent)
    return moved


def _aside_name(live: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")  # the system clock, as the audit's
    aside = live.with_name(f"{live.name}.before-restore-{stamp}")
    n = 1
    while any(aside.with_name(aside.name + s).exists() for s in ("", *files.SIDECARS)):
        n += 1
        aside = live.with_name(f"{live.name}.before-restore-{stamp}-{n}")
    return aside


def _quiesce(live: Path, timeout: float) -> None:
    """Fold the live WAL into the file, waiting (busy timeout) for running commands; one
    still running after that is a reason to stop, not to set its database aside."""
    try:
        with closing(sqlite3.connect(live, timeout=timeout)) as conn:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except sqlite3.DatabaseError:  # a broken live file: nothing to fold in, set it aside
        return
    if busy:
        raise PreconditionFailed(
            _("the database {database} is in use by another vip command; nothing was restored — "
              "run vip restore again when it has finished").format(database=live)
        )
