"""§13 personal data at rest: phone and ID number sealed (AES-GCM), an HMAC beside each for
exact lookups, the masks readable without the key; a missing key degrades, a wrong key
refuses, a rotation keeps every customer readable; both engines."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import inspect, select, text, update

from tests import factories
from vipcli.db import models
from vipcli.services.core import sealing

PHONES = {"C1": "13912345678", "C2": "13887654321", "C3": "13700001111"}
IDS = {"C1": "450102198001011234", "C2": "45010219750505432X", "C3": "110101196601018888"}


@pytest.fixture
def book(engine):
    factories.org(engine)
    for cid in PHONES:
        factories.customer(engine, cid, manager_id="M1", signed_tier="gold", status="signed",
                           phone=PHONES[cid], id_number=IDS[cid])
    return engine


def _key_file(tmp_path):
    return tmp_path / "viphome" / "vip.key"


def _every_value(engine) -> list[str]:
    """Every value of every table, as text (a raw read, as anyone with the file would)."""
    values = []
    with engine.connect() as conn:
        for name in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{name}"')):
                values += [_text(v) for v in row]
    return values


def _text(value: object) -> str:
    if isinstance(value, memoryview):  # PostgreSQL's bytea
        value = bytes(value)
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def test_a_raw_read_of_every_table_finds_no_phone_or_id_number(book, vip, tmp_path):
    assert vip("--as", "M1", "customers", "--reveal", "--json").code == 0  # audited reads too
    assert vip("--as", "H1", "show", "C1", "--reveal", "--json").code == 0
    everything = "\n".join(_every_value(book))
    for secret in [*PHONES.values(), *IDS.values()]:
        assert secret not in everything
    assert "139****5678" in everything  # the masks are there, for the listings


def test_the_key_file_is_made_owner_only_on_first_use(book, tmp_path):
    key = _key_file(tmp_path)
    assert key.exists() and stat.S_IMODE(key.stat().st_mode) == 0o600


def test_reveal_opens_the_sealed_values_and_the_masks_need_no_key(book, vip):
    masked = vip("--as", "M1", "customers", "--json").json()
    assert {c["customer_id"]: c["phone"] for c in masked} == {
        "C1": "139****5678", "C2": "138****4321", "C3": "137****1111"}
    shown = vip("--as", "M1", "show", "C2", "--reveal", "--json").json()
    assert (shown["phone"], shown["id_number"], shown["revealed"]) == (
        PHONES["C2"], IDS["C2"], True)


def test_lobby_by_phone_finds_the_customer_through_the_keyed_hash(book, vip):
    found = vip("--as", "L1", "lobby", "139 1234 5678", "--json")
    assert found.code == 0 and found.json()["customer_id"] == "C1"
    with book.connect() as conn:
        detail = conn.execute(select(models.AuditLog.detail).where(
            models.AuditLog.action == "lobby_lookup")).scalar()
    assert '"by": "phone"' in detail and PHONES["C1"] not in detail


def test_a_ciphertext_moved_to_another_customer_does_not_open(book, vip):
    with book.begin() as conn:
        c1 = conn.execute(select(models.Customer.phone_sealed).where(
            models.Customer.customer_id == "C1")).scalar()
        conn.execute(update(models.Customer).where(models.Customer.customer_id == "C2")
                     .values(phone_sealed=c1))
    result = vip("--as", "M1", "show", "C2", "--reveal")
    assert result.code == 1 and "C2" in result.err and "Traceback" not in result.err
    assert PHONES["C1"] not in result.out


def test_without_its_key_every_command_runs_on_the_masks(book, vip, tmp_path):
    _key_file(tmp_path).unlink()
    listed = vip("--as", "M1", "customers", "--json")
    assert listed.code == 0 and listed.json()[0]["phone"].count("*") == 4
    assert vip("--as", "M1", "due", "--json").code == 0
    revealed = vip("--as", "M1", "show", "C1", "--reveal", "--json")
    assert revealed.code == 0 and revealed.json()["phone"] == "139****5678"
    assert revealed.json()["revealed"] is False
    assert "key file" in revealed.err and str(_key_file(tmp_path)) in revealed.err
    lookup = vip("--as", "L1", "lobby", PHONES["C1"])
    assert lookup.code == 1 and str(_key_file(tmp_path)) in lookup.err
    assert vip("--as", "L1", "lobby", "C1").code == 0  # by customer number: no key needed
    assert not _key_file(tmp_path).exists()  # never a new key for a sealed database


def test_without_its_key_the_message_is_chinese_by_default(book, vip, tmp_path, chinese):
    _key_file(tmp_path).unlink()
    lookup = vip("--as", "L1", "lobby", PHONES["C1"])
    assert lookup.code == 1 and "个人信息不可用：未找到密钥文件" in lookup.err


def test_a_wrong_key_is_a_clear_error_naming_the_key_file(book, vip, tmp_path):
    sealing.write_key(_key_file(tmp_path), os.urandom(32), exclusive=False)
    result = vip("--as", "M1", "show", "C1", "--reveal")
    assert result.code == 1 and str(_key_file(tmp_path)) in result.err
    assert "does not hold this database's key" in result.err and "Traceback" not in result.err


def test_a_key_file_from_the_rules_file_or_the_environment(book, vip, tmp_path, monkeypatch):
    moved = tmp_path / "elsewhere.key"
    _key_file(tmp_path).rename(moved)
    monkeypatch.setenv("VIP_KEY_FILE", str(moved))
    assert vip("--as", "M1", "show", "C1", "--reveal", "--json").json()["phone"] == PHONES["C1"]
    monkeypatch.delenv("VIP_KEY_FILE")
    rules = tmp_path / "rules.toml"
    rules.write_text('key_file = "elsewhere.key"\n', encoding="utf-8")  # beside the rules file
    shown = vip("--rules", str(rules), "--as", "M1", "show", "C1", "--reveal", "--json")
    assert shown.json()["phone"] == PHONES["C1"]


def _revealed(vip) -> dict[str, tuple[str, str]]:
    return {cid: (d["phone"], d["id_number"]) for cid in PHONES
            for d in [vip("--as", "H1", "show", cid, "--reveal", "--json").json()]}


def test_key_rotation_keeps_every_customer_readable(book, vip, tmp_path):
    before = _revealed(vip)
    old_key = _key_file(tmp_path).read_bytes()
    assert vip("--as", "L1", "lead", "add", "--name", "某人", "--phone", "13900009999").code == 0
    result = vip("--as", "OP1", "key", "rotate", "--json")
    assert result.code == 0 and result.json()["customers"] == 3
    kept = result.json()["kept_file"]
    assert open(kept, "rb").read() == old_key and stat.S_IMODE(os.stat(kept).st_mode) == 0o600
    assert _key_file(tmp_path).read_bytes() != old_key
    assert _revealed(vip) == before == {cid: (PHONES[cid], IDS[cid]) for cid in PHONES}
    assert vip("--as", "L1", "lobby", PHONES["C3"], "--json").json()["customer_id"] == "C3"
    with book.connect() as conn:
        assert conn.execute(select(models.AuditLog.detail).where(
            models.AuditLog.action == "key_rotate")).scalar() == '{"customers": 3, "leads": 1}'
    # §18: the lead's phone was sealed and hashed anew with the customers': the duplicate is
    # still found, a customer's phone still links
    again = vip("--as", "L1", "lead", "add", "--name", "某人", "--phone", "13900009999")
    assert again.code == 1 and "L0000001" in again.err
    linked = vip("--as", "L1", "lead", "add", "--name", "客户", "--phone", PHONES["C3"], "--json")
    assert linked.code == 0 and linked.json()["customer_id"] == "C3"


def test_only_an_operator_rotates_the_key(book, vip):
    result = vip("--as", "H1", "key", "rotate")
    assert result.code == 1 and "Traceback" not in result.err


def test_a_rotation_stopped_after_its_commit_is_finished_on_the_next_open(book, ctx, tmp_path):
    path = _key_file(tmp_path)
    old = path.read_bytes()
    with book.begin() as conn:  # committed, then "crashed" before the new file was swapped in
        sealing._reseal_all(conn, ctx("OP1").loaded_rules, path, "OP1")
    assert path.read_bytes() == old and sealing.pending_file(path).exists()
    assert factories.revealed(book, "C1") == PHONES["C1"]  # found .new, swapped it in
    assert path.read_bytes() != old and not sealing.pending_file(path).exists()
    assert list(path.parent.glob("vip.key.old-*"))


def test_the_import_seals_and_a_new_customer_is_found_by_phone(book, vip, tmp_path):
    csv = factories.write_csv(tmp_path / "c.csv", ["customer_id", "name", "branch_id", "phone", "id_number"],
                              [["C9", "新客户", "O001", "135-0000-9999", "45010219900101777x"]])
    assert vip("--as", "OP1", "import", "customers", str(csv)).code == 0
    assert factories.revealed(book, "C9") == "13500009999"
    assert factories.revealed(book, "C9", "id_number") == "45010219900101777x"
    with book.connect() as conn:
        row = conn.execute(select(models.Customer).where(models.Customer.customer_id == "C9")).one()
    assert (row.phone_masked, row.id_number_masked) == ("135****9999", "450***********777x")
    assert vip("--as", "L1", "lobby", "13500009999", "--json").json()["customer_id"] == "C9"


def test_the_bulk_and_the_single_sealing_agree():
    key = sealing.Sealer(os.urandom(32))
    pairs = [("C1", "13812345678"), ("C2", ""), ("C3", "1234567"), ("C4", None), ("C5", "11010119700615001X")]
    many = key.columns_many("id_number", pairs)
    assert [m[1:] for m in many] == [key.columns(c, "id_number", v)[1:] for c, v in pairs]
    assert [key.open(c, "id_number", m[0]) for (c, v), m in zip(pairs, many, strict=True) if v] == [
        "13812345678", "1234567", "11010119700615001X"]


def test_the_key_derivation_is_rfc5869_hkdf():
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    master = os.urandom(32)
    assert sealing._hkdf(master, b"label") == HKDF(hashes.SHA256(), 32, None, b"label").derive(master)
