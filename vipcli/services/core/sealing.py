"""Personal data sealed at rest (SPEC §13): phone and ID number under AES-GCM, a keyed HMAC
beside each for exact lookups, and the mask every listing shows without the key.

The key (docs/rules.md "Personal data at rest")
- One 256-bit key, in a file outside the database: 32 random bytes in base64 on one line,
  mode 0600. Where: the rules file's `key_file` (relative to the rules file), else
  VIP_KEY_FILE, else vip.key in vip's data directory.
- Made on first use, and only then: when the database holds no sealed value and no key
  check. A database that has either never gets a new key by accident: without its key
  file it runs on (masks shown, reveals and lookups by phone refused with the file named),
  and a key file holding another key is a clear error.
- db_settings `seal_key_check` names the key without giving it away (a derived value),
  so a wrong key is told apart from a missing one before anything is decrypted.

The values
- Subkeys by HKDF-SHA256 (RFC 5869) with their own labels: one for AES-256-GCM, one for
  HMAC-SHA256, one for the key check; no subkey says anything about another.
- `*_sealed`: bytes: version 1, a random 96-bit nonce, the ciphertext and its 16-byte tag;
  the associated data is "customers/<customer id>/<field>", so a value moved to another
  customer or field fails to open.
- `*_hmac`: HMAC-SHA256 (32 bytes) of "<field>\\0<value in lookup form>" (phone: no spaces or
  dashes; ID number: upper case), indexed: `vip lobby PHONE` is one index lookup. Keyed,
  so the masked digits beside it do not let anyone without the key try the 10,000
  phones a mask leaves open.
- `*_masked`: the masked form (vipcli.domain.masking), stored so that listings, exports
  and `vip due` never need the key nor decrypt a value (and `vip due` never loads
  `cryptography`); it shows only what every listing shows anyway.

Rotation (`vip key rotate`): the new key is written to `<file>.new` first; every value is
re-sealed and the key check changed in one transaction; after the commit the old file is
kept as `<file>.old-<timestamp>` and `<file>.new` takes its place. A crash before the
commit leaves the old key in force (the `.new` file is stale and is overwritten next
time); after it, the next open finds that `<file>.new` matches the key check and finishes
the swap. At no moment is the database sealed under a key that is in no file.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from sqlalchemy import Connection, Engine, bindparam, delete, insert, or_, select, update

from vipcli.db.light import SEALED_TABLE, SETTINGS_TABLE, UNSEALED_TABLE
from vipcli.domain.masking import mask
from vipcli.errors import ConfigError, PreconditionFailed, VipError
from vipcli.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from sqlalchemy.orm import Session

    from vipcli.config import LoadedRules
    from vipcli.services.core.context import Context

FIELDS = ("phone", "id_number")
FIELD_NAMES = {"phone": N_("phone number"), "id_number": N_("ID number")}
# The columns of one field, in the order `Sealer.columns` gives their values.
COLUMNS = {field: (f"{field}_sealed", f"{field}_hmac", f"{field}_masked") for field in FIELDS}
KEY_CHECK = "seal_key_check"  # db_settings key
KEY_BYTES = 32
NONCE_BYTES = 12
VERSION = b"\x01"
PAGE = 10_000
# Light Core clauses, not the models: `seal_on_open` runs as every command opens its
# database, `vip due` too, which never loads the ORM (issue 12).
SETTINGS = SETTINGS_TABLE


class KeyMissing(ConfigError):
    """The database holds sealed values and its key file is not there."""


class WrongKey(ConfigError):
    """The key file holds another key than the one the database was sealed with."""


class Unreadable(VipError):
    """A sealed value does not open under its customer and field: moved or altered."""


def _hkdf(master: bytes, label: bytes) -> bytes:
    """HKDF-SHA256 (RFC 5869) with a zero salt, one 32-byte block of output."""
    prk = hmac.digest(b"\0" * 32, master, "sha256")
    return hmac.digest(prk, label + b"\x01", "sha256")


def lookup_form(field: str, value: str) -> str:
    """The form a value is hashed in: a phone without spaces or dashes, an ID upper case."""
    value = value.strip()
    if field == "phone":
        return value.replace(" ", "").replace("-", "")
    return value.upper()


class Sealer:
    """Seals, opens and hashes personal data under one key."""

    def __init__(self, master: bytes) -> None:
        self._aead_key = _hkdf(master, b"vip personal data aes-256-gcm v1")
        mac_key = _hkdf(master, b"vip personal data hmac-sha256 v1")
        # HMAC (RFC 2104) with its two padded key blocks hashed once: each value then costs
        # two copies of a SHA-256 state (≈ 2× hmac.digest's rate in the bulk import).
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in mac_key) + b"\x36" * 32)
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in mac_key) + b"\x5c" * 32)
        self.check = _hkdf(master, b"vip key check v1").hex()
        self._aead: AESGCM | None = None

    @property
    def aead(self) -> AESGCM:
        if self._aead is None:  # cryptography only where a value is sealed or opened
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            self._aead = AESGCM(self._aead_key)
        return self._aead

    def seal(self, customer_id: str, field: str, value: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return VERSION + nonce + self.aead.encrypt(nonce, value.encode("utf-8"), _bound(customer_id, field))

    def open(self, customer_id: str, field: str, raw: bytes) -> str:
        from cryptography.exceptions import InvalidTag

        raw = bytes(raw)  # PostgreSQL's driver gives a memoryview
        try:
            if raw[:1] != VERSION:
                raise InvalidTag
            plain = self.aead.decrypt(raw[1:1 + NONCE_BYTES], raw[1 + NONCE_BYTES:],
                                      _bound(customer_id, field))
        except InvalidTag:
            raise Unreadable(_("the sealed {field} of customer {customer} does not open: it was "
                               "altered or moved from another customer").format(
                field=_(FIELD_NAMES[field]), customer=customer_id)) from None
        return plain.decode("utf-8")

    def digest(self, field: str, value: str) -> bytes:
        inner = self._inner.copy()
        inner.update(field.encode() + b"\0" + lookup_form(field, value).encode("utf-8"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()

    def columns(self, customer_id: str, field: str, value: str | None) -> Sealed:
        """(sealed, hmac, masked) of one value; empty → three NULLs."""
        if not value:
            return None, None, None
        return (self.seal(customer_id, field, value), self.digest(field, value), mask(field, value))

    def columns_many(self, field: str, pairs: list[tuple[str, str | None]]) -> list[Sealed]:
        """`columns` of many (customer_id, value) pairs: the bulk import's loop, with every
        name it uses bound once (the same values as `columns`)."""
        return self.columns_kept(field, pairs, None)[0]

    def columns_kept(self, field: str, pairs: list[tuple[str, str | None]],
                     held: dict[str, Held] | None) -> tuple[list[Sealed], list[bool]]:
        """`columns_many`, except for the values their customer already holds: `held` maps a
        customer to its stored (hmac, masked); a value equal to the stored one is not
        sealed — True beside it, and (None, hmac, masked) in its place: the caller leaves
        the customer's stored columns as they are and writes none of these (a re-import of
        the same file encrypts nothing and changes neither the value nor its hash index).

        Equal means the same text, told without the stored value in clear: the same keyed
        hash and the same mask (so the same length and the same characters where the mask
        shows them), and a value that its lookup form changes at most in the case of letters
        the mask shows — a phone without spaces or dashes, an ID number without spaces at
        its ends and no letter where the mask stars (`_pinned`). The stored value then
        differs from it nowhere: "…777x" after "…777X" shows in the mask, "A12b34567" after
        "A12B34567" would not and is sealed anew. An empty value is equal to a customer
        holding none. Whatever is sealed is sealed for its own customer, as always.
        """
        prefixed = self._inner.copy()
        prefixed.update(field.encode() + b"\0")
        inner, outer = prefixed.copy, self._outer.copy
        phone = field == "phone"
        held = held or {}
        blank: Sealed = (None, None, None)
        out: list[Sealed] = []
        kept: list[bool] = []
        append, keep, stored_of = out.append, kept.append, held.get
        todo: list[tuple[int, str, str, bytes, str]] = []  # to seal: (position, customer, value, …)
        for customer_id, value in pairs:
            stored = stored_of(customer_id)
            if not value:
                append(blank)
                keep(stored is not None and stored[0] is None)
                continue
            stripped = value.strip()  # lookup_form, inline
            form = stripped.replace(" ", "").replace("-", "") if phone else stripped.upper()
            h = inner()
            h.update(form.encode())
            o = outer()
            o.update(h.digest())
            digest = o.digest()
            size = len(value)  # the mask, as vipcli.domain.masking writes it (first 3, last 4)
            masked = value[:3] + "*" * (size - 7) + value[-4:] if size > 7 else "*" * size
            if (stored is not None and stored[0] == digest and stored[1] == masked
                    and (form if phone else stripped) == value
                    and _pinned(value[3:-4] if size > 7 else value)):
                append((None, digest, masked))
                keep(True)
                continue
            todo.append((len(out), customer_id, value, digest, masked))
            append(blank)
            keep(False)
        if todo:
            encrypt = self.aead.encrypt
            bound = f"/{field}".encode()
            nonces = os.urandom(NONCE_BYTES * len(todo))  # one read of the system's randomness
            at = 0
            for position, customer_id, value, digest, masked in todo:
                nonce = nonces[at:at + NONCE_BYTES]
                at += NONCE_BYTES
                out[position] = (VERSION + nonce + encrypt(nonce, value.encode(), b"customers/"
                                                           + customer_id.encode() + bound),
                                 digest, masked)
        return out, kept


def _pinned(hidden: str) -> bool:
    """No letter where the mask hides (ASCII without case): there, a value of the same hash
    and mask cannot differ from it in the case of a letter (`Sealer.columns_kept`)."""
    return hidden.isdigit() or (hidden.isascii() and hidden.upper() == hidden.lower())


Sealed = tuple[bytes | None, bytes | None, str | None]  # (sealed, hmac, masked)
Held = tuple[bytes | None, str | None]  # a customer's stored (hmac, masked) of one field


def _bound(customer_id: str, field: str) -> bytes:
    return f"customers/{customer_id}/{field}".encode()


# -- the key file --------------------------------------------------------------------------


def key_path(loaded: LoadedRules) -> Path:
    """The rules file's key_file (relative to the rules file), else VIP_KEY_FILE, else
    vip.key in the data directory."""
    from vipcli.paths import data_dir

    if loaded.rules.key_file:
        path = Path(loaded.rules.key_file).expanduser()
        if not path.is_absolute() and loaded.path is not None:
            path = loaded.path.parent / path
        return path
    if os.environ.get("VIP_KEY_FILE", "").strip():
        return Path(os.environ["VIP_KEY_FILE"].strip()).expanduser()
    return data_dir() / "vip.key"


def read_key(path: Path) -> bytes | None:
    """The key in `path`, None when there is no such file (one readable by others is made
    unreadable to them)."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(_("key file {path} cannot be read: {problem}").format(
            path=path, problem=exc)) from None
    try:
        key = base64.b64decode(text, validate=True)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise ConfigError(_("key file {path} is not a vip key (expected 32 bytes in base64 on "
                            "one line)").format(path=path))
    _owner_only(path)
    return key


def _owner_only(path: Path) -> None:
    """Never readable by others; a group the administrator gave it (the outlet server's
    staff group) is left alone, as for the database file."""
    try:
        mode = path.stat().st_mode
        if mode & 0o007:
            os.chmod(path, mode & 0o770)
    except OSError:  # another user's file: theirs to mend
        pass


def write_key(path: Path, key: bytes, *, exclusive: bool) -> None:
    """Write `key` to `path`, 0600 from the start, flushed to the disk."""
    from vipcli.paths import data_dir

    if not path.parent.is_dir():
        if not path.parent.is_relative_to(data_dir()):
            raise ConfigError(_("cannot create key file {path}: directory {folder} does not exist")
                              .format(path=path, folder=path.parent))
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    try:
        os.write(fd, base64.b64encode(key) + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(path, 0o600)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _create_key(path: Path) -> bytes:
    """First use: a new random key (another process making it at the same moment wins)."""
    key = os.urandom(KEY_BYTES)
    try:
        write_key(path, key, exclusive=True)
    except FileExistsError:
        found = read_key(path)
        assert found is not None
        return found
    except OSError as exc:
        raise ConfigError(_("cannot create key file {path}: {problem}").format(
            path=path, problem=exc.strerror or exc)) from None
    return key


def pending_file(path: Path) -> Path:
    return path.with_name(path.name + ".new")


def kept_file(path: Path, at: dt.datetime) -> Path:
    return path.with_name(f"{path.name}.old-{at:%Y%m%dT%H%M%S}")


def swap_in(path: Path) -> Path | None:
    """Put `<file>.new` in place of `<file>`, keeping the old one as `<file>.old-…`
    (a hard link: `<file>` exists at every moment). Returns the kept file."""
    kept = None
    if path.exists():
        at = dt.datetime.now()
        kept = kept_file(path, at)
        while kept.exists():  # two rotations within one second: never overwrite a kept key
            at += dt.timedelta(seconds=1)
            kept = kept_file(path, at)
        try:
            os.link(path, kept)
        except OSError:  # a file system without hard links (a FAT stick)
            import shutil

            shutil.copyfile(path, kept)
        os.chmod(kept, 0o600)
    os.replace(pending_file(path), path)
    _sync_folder(path.parent)
    return kept


# -- the database's key --------------------------------------------------------------------


def _connection(db: Connection | Session) -> Connection:
    return db if isinstance(db, Connection) else db.connection()


def stored_check(conn: Connection) -> str | None:
    return conn.execute(select(SETTINGS.c.value).where(SETTINGS.c.key == KEY_CHECK)).scalar()


def _one_sealed(conn: Connection) -> Any:
    c = SEALED_TABLE.c
    return conn.execute(
        select(c.customer_id, c.phone_sealed, c.id_number_sealed)
        .where(or_(c.phone_hmac.is_not(None), c.id_number_hmac.is_not(None))).limit(1)
    ).first()


def sealer(db: Connection | Session, loaded: LoadedRules) -> Sealer:
    """This database's key, checked (made on first use), with the values still waiting in
    clear sealed first. Call inside a writing transaction. Raises KeyMissing, WrongKey."""
    conn = _connection(db)
    path = key_path(loaded)
    check = stored_check(conn)
    master = read_key(path)
    if master is None:
        if check is None and _one_sealed(conn) is None:
            master = _create_key(path)
        else:
            master = _finish_rotation(path, check)
            if master is None:
                raise KeyMissing(_("personal data unavailable: key file {path} not found (the "
                                   "rules file's key_file, or VIP_KEY_FILE)").format(path=path))
    found = Sealer(master)
    if check is None:
        _open_one(conn, found, path)
        conn.execute(insert(SETTINGS).values(key=KEY_CHECK, value=found.check))
    elif check != found.check:
        recovered = _finish_rotation(path, check)
        if recovered is None:
            raise WrongKey(_wrong_key_message(path, check))
        found = Sealer(recovered)
    seal_pending(conn, found)
    return found


def _open_one(conn: Connection, found: Sealer, path: Path) -> None:
    """A database with sealed values and no key check (its row deleted): the key must
    open one of them before it is recorded as this database's."""
    row = _one_sealed(conn)
    if row is None:
        return
    field = "phone" if row.phone_sealed else "id_number"
    try:
        found.open(row.customer_id, field, row.phone_sealed or row.id_number_sealed)
    except Unreadable:
        raise WrongKey(_wrong_key_message(path, None)) from None


def _wrong_key_message(path: Path, check: str | None) -> str:
    message = _("key file {path} does not hold this database's key: its phone and ID numbers "
                "stay sealed; give the key the database was sealed with (the rules file's "
                "key_file, or VIP_KEY_FILE)").format(path=path)
    for kept in sorted(path.parent.glob(path.name + ".old-*"), reverse=True):
        try:
            key = read_key(kept)
        except ConfigError:
            continue
        if key is not None and check is not None and Sealer(key).check == check:
            message += " " + _("({kept}, kept at a key rotation, holds it)").format(kept=kept)
            break
    return message


def _finish_rotation(path: Path, check: str | None) -> bytes | None:
    """A rotation that committed but stopped before its key file was swapped in: finish it."""
    candidate = pending_file(path)
    try:
        key = read_key(candidate)
    except ConfigError:
        return None
    if key is None or check is None or Sealer(key).check != check:
        return None
    swap_in(path)
    sys.stderr.write(_("Personal data: finished an interrupted key rotation; the key is now "
                       "in {path}").format(path=path) + "\n")
    return key


# -- values --------------------------------------------------------------------------------


def seal_pending(conn: Connection, found: Sealer) -> int:
    """Seal the values a migration left in clear (0006), in this transaction: audited, said
    on stderr, and no clear copy left (SQLite overwrites the deleted rows)."""
    pending = UNSEALED_TABLE
    if conn.execute(select(pending.c.customer_id).limit(1)).first() is None:
        return 0
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA secure_delete = ON")
    count = 0
    for page in _pages(conn, select(pending.c.customer_id, pending.c.phone, pending.c.id_number),
                       pending.c.customer_id):
        conn.execute(_SEAL_BOTH, [_both(found, row.customer_id, row.phone, row.id_number)
                                  for row in page])
        count += len(page)
    conn.execute(delete(pending))
    from vipcli.services.core.audit import audit

    audit(conn, None, "seal_personal_data", customers=count)
    sys.stderr.write(ngettext(
        "Personal data: sealed the phone and ID number of {count} customer",
        "Personal data: sealed the phone and ID numbers of {count} customers", count)
        .format(count=count) + "\n")
    return count


def _both(found: Sealer, customer_id: str, phone: str | None, id_number: str | None) -> dict[str, Any]:
    p_sealed, p_hmac, p_masked = found.columns(customer_id, "phone", phone)
    i_sealed, i_hmac, i_masked = found.columns(customer_id, "id_number", id_number)
    return {"b_id": customer_id, "b_phone_sealed": p_sealed, "b_phone_hmac": p_hmac,
            "b_phone_masked": p_masked, "b_id_number_sealed": i_sealed, "b_id_number_hmac": i_hmac,
            "b_id_number_masked": i_masked}


_SEAL_BOTH = update(SEALED_TABLE).where(SEALED_TABLE.c.customer_id == bindparam("b_id")).values(
    {name: bindparam(f"b_{name}") for field in FIELDS for name in (f"{field}_sealed", f"{field}_hmac",
                                                            f"{field}_masked")})


def _pages(conn: Connection, query: Any, key: Any) -> Iterator[Sequence[Any]]:
    """The rows of `query` in pages of PAGE, by `key` (constant memory)."""
    after = None
    while True:
        stmt = query.order_by(key).limit(PAGE)
        if after is not None:
            stmt = stmt.where(key > after)
        page = conn.execute(stmt).all()
        if not page:
            return
        yield page
        after = page[-1][0]


def reveal(found: Sealer | None, customer_id: str, field: str, sealed: bytes | None,
           masked: str | None) -> str | None:
    """The value in clear; without the key (None) its mask."""
    if found is None or sealed is None:
        return masked
    return found.open(customer_id, field, sealed)


def seal_on_open(engine: Engine, loaded: LoadedRules) -> int:
    """§13: the values a migration left in clear are sealed by the first command that opens
    the database with its key (one cheap look when there are none). Without the key they
    wait, and every command runs on their masks."""
    with engine.connect() as conn:
        if conn.execute(select(UNSEALED_TABLE.c.customer_id).limit(1)).first() is None:
            return 0
    from vipcli.db.engine import writing

    with writing(engine).begin() as conn:
        try:
            sealer(conn, loaded)
        except WrongKey:
            raise
        except ConfigError as exc:  # no key file, and none can be made here: they wait
            sys.stderr.write(_("{problem}; the phone and ID numbers found in clear wait to be "
                               "sealed").format(problem=exc.message) + "\n")
            return 0
        return 1


def sealer_for_reveal(db: Connection | Session, loaded: LoadedRules) -> Sealer | None:
    """The key for --reveal; without its key file the command goes on showing the masks,
    and says why on stderr (§13: a database copied without its key shows no number)."""
    try:
        return sealer(db, loaded)
    except KeyMissing as exc:
        sys.stderr.write(_("{problem}; phone and ID numbers are shown masked").format(
            problem=exc.message) + "\n")
        return None


# -- rotation ------------------------------------------------------------------------------


class Rotation(TypedDict):
    """`vip key rotate`: how many customers were re-sealed, and where the keys are now."""

    customers: int
    key_file: str
    kept_file: str | None


def rotate_key(ctx: Context) -> Rotation:
    """§13: every value re-sealed and re-hashed under a new key in one transaction (audited);
    then the new key file takes the old one's place, the old one kept beside it."""
    from vipcli.services.core.access import require_role

    actor = ctx.actor()
    require_role(actor, ("operator",), _("rotate the key of the personal data"))
    path = key_path(ctx.loaded_rules)
    with ctx.begin() as conn:
        count = _reseal_all(conn, ctx.loaded_rules, path, actor.staff_id)
    kept = swap_in(path)
    return {"customers": count, "key_file": str(path), "kept_file": str(kept) if kept else None}


# §18: a lead's phone, sealed as a customer's is, bound to the lead; its HMAC is the
# customers' own, so a lead and a customer with one phone match (leads.link_leads).


def _lead_bound(lead_id: str) -> bytes:
    return f"leads/{lead_id}/phone".encode()


def seal_lead_phone(key: Sealer, lead_id: str, phone: str) -> Sealed:
    """(sealed, hmac, masked) of a lead's phone."""
    from vipcli.domain.masking import mask_phone

    nonce = os.urandom(NONCE_BYTES)
    sealed = VERSION + nonce + key.aead.encrypt(nonce, phone.encode(), _lead_bound(lead_id))
    return sealed, key.digest("phone", phone), mask_phone(phone)


def open_lead_phone(key: Sealer, lead_id: str, raw: bytes) -> str:
    raw = bytes(raw)
    return key.aead.decrypt(raw[1:1 + NONCE_BYTES], raw[1 + NONCE_BYTES:],
                            _lead_bound(lead_id)).decode()


def _reseal_leads(conn: Connection, old: Sealer, new: Sealer) -> int:
    """`vip key rotate`: every lead's phone sealed and hashed anew, in the rotation's
    transaction, beside the customers'."""
    from vipcli.db.light import LEAD_PHONE_TABLE as table

    found = conn.execute(select(table.c.lead_id, table.c.phone_sealed)
                         .where(table.c.phone_sealed.is_not(None))).all()
    values = []
    for lead_id, raw in found:
        sealed, digest, masked = seal_lead_phone(new, lead_id, open_lead_phone(old, lead_id, raw))
        values.append({"b_id": lead_id, "phone_sealed": sealed, "phone_hmac": digest,
                       "phone_masked": masked})
    if values:  # one executemany
        conn.execute(update(table).where(table.c.lead_id == bindparam("b_id")), values)
    return len(found)


def _reseal_all(conn: Connection, loaded: LoadedRules, path: Path, actor_id: str) -> int:
    """Re-seal every value under a new key, in the caller's transaction; the new key waits
    in `<file>.new` (written first, flushed) until the transaction has committed."""
    from vipcli.services.core.audit import audit

    old = sealer(conn, loaded)
    master = os.urandom(KEY_BYTES)
    try:
        write_key(pending_file(path), master, exclusive=False)
    except OSError as exc:
        raise PreconditionFailed(_("cannot write the new key file {path}: {problem}").format(
            path=pending_file(path), problem=exc.strerror or exc)) from None
    new = Sealer(master)
    c = SEALED_TABLE.c
    query = select(c.customer_id, c.phone_sealed, c.id_number_sealed).where(
        or_(c.phone_sealed.is_not(None), c.id_number_sealed.is_not(None)))
    count = 0
    for page in _pages(conn, query, c.customer_id):
        conn.execute(_SEAL_BOTH, [
            _both(new, row.customer_id,
                  reveal(old, row.customer_id, "phone", row.phone_sealed, None),
                  reveal(old, row.customer_id, "id_number", row.id_number_sealed, None))
            for row in page])
        count += len(page)
    leads = _reseal_leads(conn, old, new)  # §18: leads' phones are sealed too
    conn.execute(update(SETTINGS).where(SETTINGS.c.key == KEY_CHECK).values(value=new.check))
    audit(conn, actor_id, "key_rotate", customers=count, leads=leads)
    return count
