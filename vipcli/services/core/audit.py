"""The audit-log writer every feature calls (SPEC §13): append-only, who did what to whom,
and tamper-evident: every entry is a link of one hash chain.

The chain (§13)
- Each entry's `hash` is SHA-256 (hex) over its canonical content: the UTF-8 bytes of the
  JSON object {"action", "actor_id", "at", "customer_id", "detail", "id", "prev_hash"}
  with sorted keys, no spaces (separators "," and ":") and characters as they are
  (ensure_ascii off); `at` written as ISO 8601 "YYYY-MM-DDTHH:MM:SS" (".ffffff" only when
  it has microseconds), absent values as null. `prev_hash` is the previous entry's hash;
  the first entry's is GENESIS (64 zeros).
- Ids are given by the writer: one more than the chain head, so they go up by one with no
  gap on both engines (a PostgreSQL sequence would leave a gap for every rolled-back
  transaction) and are never given twice. The head (last id and hash) is also kept in
  db_settings under `audit_head`, in the same transaction, so a deleted tail is seen even
  though the rest of the chain stays consistent; on SQLite the table is AUTOINCREMENT, so sqlite_sequence
  is a second witness of the highest id ever written.
- Writers are serialised: SQLite writes begin IMMEDIATE (one writer at a time); on
  PostgreSQL the writer takes `LOCK TABLE audit_log IN EXCLUSIVE MODE` before it reads the
  head (plain reads go on).
- `at` is the wall clock (clock.wall_now()), never the business date VIP_TODAY pins.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, TypedDict

from sqlalchemy import Connection, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from vipcli import clock
from vipcli.db.models import AuditLog, DbSetting
from vipcli.errors import InvalidInput
from vipcli.i18n import _
from vipcli.services.core.access import require_role

if TYPE_CHECKING:
    from vipcli.services.core.context import Context

GENESIS = "0" * 64
HEAD_KEY = "audit_head"


def canonical(
    id: int,
    at: dt.datetime,
    actor_id: str | None,
    action: str,
    customer_id: str | None,
    detail: str | None,
    prev_hash: str,
) -> bytes:
    """The bytes an entry's hash covers (see the module's docstring)."""
    return _CANONICAL.encode(
        {"action": action, "actor_id": actor_id, "at": at.isoformat(), "customer_id": customer_id,
         "detail": detail, "id": id, "prev_hash": prev_hash},
    ).encode("utf-8")


# One encoder for every entry (json.dumps would build one per call: a million on a verify).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    id: int,
    at: dt.datetime,
    actor_id: str | None,
    action: str,
    customer_id: str | None,
    detail: str | None,
    prev_hash: str,
) -> str:
    return hashlib.sha256(canonical(id, at, actor_id, action, customer_id, detail, prev_hash)).hexdigest()


@dataclass(frozen=True)
class Head:
    """The last link of the chain: its id (0 before the first entry) and hash."""

    id: int
    hash: str

    def text(self) -> str:
        return f"{self.id} {self.hash}"

    @classmethod
    def parse(cls, value: str | None) -> Head | None:
        try:
            id_text, hash_text = (value or "").split()
            return cls(int(id_text), hash_text)
        except ValueError:
            return None


EMPTY = Head(0, GENESIS)


def _connection(db: Connection | Session) -> Connection:
    return db.connection() if isinstance(db, Session) else db


def stored_head(conn: Connection) -> Head | None:
    """The head recorded in db_settings (None when absent or unreadable)."""
    value = conn.execute(select(DbSetting.value).where(DbSetting.key == HEAD_KEY)).scalar()
    return Head.parse(value)


def last_entry(conn: Connection) -> Head:
    row = conn.execute(select(AuditLog.id, AuditLog.hash).order_by(AuditLog.id.desc()).limit(1)).first()
    return Head(row.id, row.hash or "") if row is not None else EMPTY


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("LOCK TABLE audit_log IN EXCLUSIVE MODE"))
    # SQLite: a writing transaction already holds the one write lock (BEGIN IMMEDIATE).


def _save_head(conn: Connection, head: Head, had_row: bool) -> None:
    if had_row:
        conn.execute(update(DbSetting).where(DbSetting.key == HEAD_KEY).values(value=head.text()))
    else:
        conn.execute(insert(DbSetting).values(key=HEAD_KEY, value=head.text()))


class _New(NamedTuple):
    """An entry to append: everything but its place in the chain."""

    at: dt.datetime
    actor_id: str | None
    action: str
    customer_id: str | None
    detail: str | None


def _append(conn: Connection, entries: Iterable[_New]) -> None:
    """Chain `entries` after the head, under the chain's lock."""
    _lock(conn)
    recorded = conn.execute(select(DbSetting.value).where(DbSetting.key == HEAD_KEY)).first()
    last = last_entry(conn)
    head = Head.parse(recorded.value) if recorded is not None else None
    # Ids never go back: past the higher of the recorded head and the last row. The new
    # entry chains to the recorded head: after a deleted tail it names the removed entry's
    # hash, so verify sees the removal there too.
    if head is not None and head.id >= last.id:
        next_id, prev = head.id + 1, head.hash
    else:
        next_id, prev = last.id + 1, last.hash
    rows = []
    for new in entries:
        digest = entry_hash(next_id, new.at, new.actor_id, new.action, new.customer_id, new.detail, prev)
        rows.append({"id": next_id, **new._asdict(), "prev_hash": prev, "hash": digest})
        prev = digest
        next_id += 1
    if rows:
        conn.execute(insert(AuditLog), rows)
        _save_head(conn, Head(next_id - 1, prev), recorded is not None)


def _detail(detail: Mapping[str, object]) -> str | None:
    return json.dumps(detail, ensure_ascii=False, default=str) if detail else None


def audit(
    db: Connection | Session,
    actor_id: str | None,
    action: str,
    customer_id: str | None = None,
    **detail: object,
) -> None:
    """Record one action; `detail` is stored as JSON (never personal data in clear)."""
    _append(_connection(db), [_New(clock.wall_now(), actor_id, action, customer_id, _detail(detail))])


def audit_many(
    db: Connection | Session,
    actor_id: str | None,
    action: str,
    customer_ids: Iterable[str],
    **detail: object,
) -> None:
    """One entry per customer for a bulk action (an export, an assignment run)."""
    at = clock.wall_now()
    text_ = _detail(detail)
    _append(_connection(db), (_New(at, actor_id, action, cid, text_) for cid in customer_ids))


CHAINED_FROM = "0005"  # the schema revision from which the log is a hash chain


def chained_message(count: int) -> str:
    """What migration 0005 says on stderr when it chains a database's existing entries."""
    from vipcli.i18n import ngettext

    return ngettext("Audit log: chained {count} existing entry",
                    "Audit log: chained {count} existing entries", count).format(count=count)


def is_chained(revision: str | None) -> bool:
    """Whether a database at `revision` keeps its audit log as a hash chain."""
    from vipcli.db.schema import REVISIONS

    return revision in REVISIONS and REVISIONS.index(revision) >= REVISIONS.index(CHAINED_FROM)


def audit_unchained(conn: Connection, actor_id: str | None, action: str, **detail: object) -> None:
    """An entry in a database older than the chain (only `vip backup`, which must not
    upgrade what it copies): the columns of then; revision 0005 chains it on upgrade."""
    conn.execute(text("INSERT INTO audit_log (at, actor_id, action, customer_id, detail) "
                      "VALUES (:at, :actor, :action, NULL, :detail)"),
                 {"at": clock.wall_now(), "actor": actor_id, "action": action, "detail": _detail(detail)})


# -- verification --------------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    """What `vip audit verify` found: the count of good entries and the last good one's id
    and hash, and when something is wrong the entry it names (`first_bad_id`) and what is
    wrong (`problem`, a code: see `verify`)."""

    entries: int
    latest_id: int
    latest_hash: str
    first_bad_id: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


BATCH = 5000


Row = tuple[int, "dt.datetime | None", object, object, object, object, object, object]
PAGE_SQL = text("SELECT id, at, actor_id, action, customer_id, detail, prev_hash, hash "
                "FROM audit_log WHERE id > :after ORDER BY id LIMIT :page")


def _when(value: object) -> dt.datetime | None:
    """The stored `at` as a datetime: PostgreSQL gives one, SQLite its text (None when the
    text is not a time at all: somebody wrote it by hand)."""
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _rows(conn: Connection) -> Iterator[Row]:
    """Every entry in id order, in keyset pages of BATCH: constant memory however long the
    log. Plain SQL: the values as stored, no ORM on a million rows."""
    after = 0
    while True:
        page = conn.execute(PAGE_SQL, {"after": after, "page": BATCH}).all()
        if not page:
            return
        for row in page:
            yield (row[0], _when(row[1]), *row[2:])  # type: ignore[misc]
        after = page[-1][0]


def _hash_of(row: Row) -> str | None:
    id_, at, actor, action, customer, detail, prev, _stored = row
    if (at is None or not isinstance(action, str) or not isinstance(prev, str)
            or (actor is not None and not isinstance(actor, str))
            or (customer is not None and not isinstance(customer, str))
            or (detail is not None and not isinstance(detail, str))):
        return None  # a value no writer of the chain would store
    return entry_hash(id_, at, actor, action, customer, detail, prev)  # type: ignore[arg-type]


def highest_id_ever(conn: Connection) -> int | None:
    """SQLite's own record of the highest id ever written to audit_log (AUTOINCREMENT)."""
    if conn.dialect.name != "sqlite":
        return None
    try:
        seq = conn.execute(text("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'")).scalar()
    except DBAPIError:  # no AUTOINCREMENT table yet: no sqlite_sequence
        return None
    try:
        return None if seq is None else int(seq)
    except (TypeError, ValueError):  # written by hand: no witness left
        return None


def verify(conn: Connection, anchor: str | None = None) -> Verdict:
    """Walk the chain in id order (constant memory); stop at the first entry that is wrong.

    Problems (Verdict.problem) and the entry each names (first_bad_id):
    - changed: the entry's content no longer gives its hash (that entry);
    - removed: ids jump and the entry after the jump does not chain to the one before it
      (the first missing id). A jump where the chain holds is no removal: the entry names
      its predecessor's hash (gaps older than the chain, entries deleted before revision
      0005, are kept as they were);
    - inserted: entries beyond the head recorded in db_settings (the first such entry);
    - unchained: the entry's prev_hash is not its predecessor's hash: it was inserted, or
      its predecessor rewritten with a fresh hash (that entry);
    - tail_removed: the chain is consistent but ends before the head recorded in
      db_settings, or before the highest id SQLite ever gave (the first missing id);
    - no_head: entries but no head recorded (the db_settings row was removed);
    - anchor_missing: `anchor`, a hash written down earlier (from `vip backup` or `vip db
      check`), is the hash of no entry: the chain was rewritten since.
    """
    count = 0
    prev_id = 0
    prev_hash = GENESIS
    found = anchor is None

    def bad(id_: int, problem: str) -> Verdict:
        return Verdict(count, prev_id, prev_hash, id_, problem)

    for row in _rows(conn):
        id_, stored_prev, stored_hash = row[0], row[6], row[7]
        if _hash_of(row) != stored_hash:
            return bad(id_, "changed")
        if stored_prev != prev_hash:
            return bad(prev_id + 1, "removed") if id_ > prev_id + 1 else bad(id_, "unchained")
        count += 1
        prev_id, prev_hash = id_, str(stored_hash)
        if not found and stored_hash == anchor:
            found = True
    head = stored_head(conn)
    if head is None:
        if prev_id:
            return bad(prev_id, "no_head")
    elif head.id > prev_id:
        return bad(prev_id + 1, "tail_removed")
    elif head.id < prev_id:
        return bad(head.id + 1, "inserted")
    elif head.hash != prev_hash:
        return bad(prev_id, "changed")
    ever = highest_id_ever(conn)
    if ever is not None and ever > prev_id:
        return bad(prev_id + 1, "tail_removed")
    if not found:
        return bad(prev_id, "anchor_missing")
    return Verdict(count, prev_id, prev_hash)


# -- what the commands show ------------------------------------------------------------------

def describe(verdict: Verdict, anchor: str | None = None) -> str:
    """The problem in one sentence, naming the entry (translated; empty when sound)."""
    bad, last = verdict.first_bad_id, verdict.latest_id
    if verdict.problem == "changed":
        return _("entry {id} was changed: its content no longer gives its hash").format(id=bad)
    if verdict.problem == "removed":
        return _("entry {id} was removed: the ids jump after entry {last}").format(id=bad, last=last)
    if verdict.problem == "inserted":
        return _("entry {id} was inserted: it is not a link of the chain").format(id=bad)
    if verdict.problem == "unchained":
        return _("entry {id} does not follow entry {last}: it was inserted, or entry {last} "
                 "was rewritten").format(id=bad, last=last)
    if verdict.problem == "tail_removed":
        return _("the last entries were removed, from entry {id} on: the log ends at entry "
                 "{last} but more were written").format(id=bad, last=last)
    if verdict.problem == "no_head":
        return _("the record of the chain's last entry (audit_head) was removed: removed last "
                 "entries could not be seen")
    if verdict.problem == "anchor_missing":
        return _("no entry has the hash {hash}: the log was rewritten after that hash was "
                 "written down").format(hash=anchor)
    return ""


class VerifyDocument(TypedDict, total=False):
    """`vip audit verify --json` (§15) and the `audit` part of `vip db check --json`."""

    ok: bool
    entries: int
    latest_id: int
    latest_hash: str
    first_bad_id: int
    problem: str
    message: str


def document(verdict: Verdict, anchor: str | None = None) -> VerifyDocument:
    """ok: the count and the latest entry; else the first bad entry, what is wrong, and
    how far the chain was sound (`entries` good ones, the last `latest_id`/`latest_hash`)."""
    doc: VerifyDocument = {"ok": verdict.ok, "entries": verdict.entries,
                           "latest_id": verdict.latest_id, "latest_hash": verdict.latest_hash}
    if not verdict.ok:
        assert verdict.first_bad_id is not None and verdict.problem is not None
        doc["first_bad_id"] = verdict.first_bad_id
        doc["problem"] = verdict.problem
        doc["message"] = describe(verdict, anchor)
    return doc


def verify_log(ctx: Context, anchor: str | None = None) -> VerifyDocument:
    """`vip audit verify`: operator or branch head (the chain is one for the whole database;
    the verdict names ids and hashes only, no entry's content). Reads only, writes no entry
    (a verify that added a link would move the hash it reports)."""
    anchor = anchor.strip().lower() if anchor is not None else None
    if anchor is not None and not _is_hash(anchor):
        raise InvalidInput(_("--hash must be 64 hexadecimal characters (a hash printed by "
                             "`vip backup` or `vip db check`), got {value!r}").format(value=anchor))
    require_role(ctx.actor(), ("operator", "branch_head"), _("verify the audit log"))
    with ctx.engine.connect() as conn:
        return document(verify(conn, anchor), anchor)


def _is_hash(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)
