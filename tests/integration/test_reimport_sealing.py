"""§13 and the issue 14 figure: a re-import of the customers extract seals only what changed.

An unchanged phone or ID number is not encrypted again (its sealed bytes stay as they
were: a fresh seal would carry a fresh nonce) and its columns are not rewritten; a changed
or new one is sealed under its own customer and found by the lobby; all rows or none;
both engines."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select, text

from tests import factories
from vipcli.db import models
from vipcli.services.core import sealing
from vipcli.services.imports.importer import import_file

HEADER = ["customer_id", "name", "gender", "branch_id", "phone", "id_number", "tier"]
ROWS = [
    ["C1", "甲", "M", "O001", "13912345678", "450102198001011234", "gold"],
    ["C2", "乙", "F", "O001", "13887654321", "45010219750505432X", ""],
    ["C3", "丙", "M", "O001", "", "110101196601018888", ""],
    ["C4", "丁", "F", "O002", "13700001111", "", "platinum"],
]
PERSONAL = [column for field in sealing.FIELDS for column in sealing.COLUMNS[field]]


@pytest.fixture
def outlet(engine):
    factories.org(engine)
    return engine


def _import(ctx, tmp_path, rows, name="customers.csv", actor="OP1", **options):
    path = factories.write_csv(tmp_path / name, HEADER, rows)
    return import_file(ctx(actor), "customers", path, **options)


def _stored(engine) -> dict[str, tuple]:
    """customer → its six personal-data columns as stored (bytes, never a memoryview)."""
    c = models.Customer.__table__.c
    with engine.connect() as conn:
        found = conn.execute(select(c.customer_id, *(c[name] for name in PERSONAL))).all()
    return {row[0]: tuple(bytes(v) if isinstance(v, memoryview) else v for v in row[1:]) for row in found}


def _changed(rows, **edits):
    """ROWS with some cells replaced: _changed(ROWS, C1={"phone": "…"})."""
    out = []
    for row in rows:
        row = list(row)
        for column, value in edits.get(row[0], {}).items():
            row[HEADER.index(column)] = value
        out.append(row)
    return out


def test_a_reimport_of_the_same_file_encrypts_nothing_and_keeps_every_sealed_byte(
        outlet, ctx, tmp_path, monkeypatch):
    _import(ctx, tmp_path, ROWS)
    before = _stored(outlet)
    assert before["C1"][0] and before["C3"][:3] == (None, None, None)

    def no_sealing(*args, **kwargs):
        raise AssertionError("a value the customer already holds was encrypted again")

    with monkeypatch.context() as patched:
        patched.setattr(sealing.Sealer, "seal", no_sealing)
        patched.setattr(sealing.Sealer, "aead", property(no_sealing))
        summary = _import(ctx, tmp_path, ROWS)
    assert (summary["inserted"], summary["updated"]) == (0, 4)
    assert _stored(outlet) == before  # byte for byte: not re-sealed, not rewritten
    for cid, row in zip(("C1", "C2"), ROWS, strict=False):
        assert factories.revealed(outlet, cid) == row[4]


def test_a_changed_phone_is_sealed_anew_and_the_lobby_finds_it(outlet, ctx, vip, tmp_path):
    _import(ctx, tmp_path, ROWS)
    before = _stored(outlet)
    _import(ctx, tmp_path, _changed(ROWS, C1={"phone": "13500009999"}))
    after = _stored(outlet)
    assert after["C1"][:3] != before["C1"][:3] and after["C1"][2] == "135****9999"
    assert after["C1"][3:] == before["C1"][3:]  # its unchanged ID number kept as it was
    assert {cid: after[cid] for cid in ("C2", "C3", "C4")} == {
        cid: before[cid] for cid in ("C2", "C3", "C4")}
    assert factories.revealed(outlet, "C1") == "13500009999"
    found = vip("--as", "L1", "lobby", "13500009999", "--json")
    assert found.code == 0 and found.json()["customer_id"] == "C1"
    gone = vip("--as", "L1", "lobby", "13912345678", "--json")
    assert gone.code == 1 and "Traceback" not in gone.err


def test_a_new_customer_in_a_reimport_is_sealed_and_found_by_phone(outlet, ctx, vip, tmp_path):
    _import(ctx, tmp_path, ROWS)
    before = _stored(outlet)
    summary = _import(ctx, tmp_path, [*ROWS, ["C5", "戊", "M", "O001", "136-1111-2222",
                                               "45010219900101777x", ""]])
    assert (summary["inserted"], summary["updated"]) == (1, 4)
    after = _stored(outlet)
    assert {cid: after[cid] for cid in before} == before
    assert after["C5"][2] == "136****2222" and after["C5"][5] == "450***********777x"
    assert factories.revealed(outlet, "C5") == "13611112222"
    assert factories.revealed(outlet, "C5", "id_number") == "45010219900101777x"
    assert vip("--as", "L1", "lobby", "13611112222", "--json").json()["customer_id"] == "C5"


def test_numbers_swapped_between_customers_are_sealed_under_each_new_holder(outlet, ctx, vip, tmp_path):
    """The same phone under another customer is never the stored bytes of the first: each
    value is bound to its customer (a moved ciphertext would not open)."""
    _import(ctx, tmp_path, ROWS)
    before = _stored(outlet)
    _import(ctx, tmp_path, _changed(ROWS, C1={"phone": "13887654321"}, C2={"phone": "13912345678"}))
    after = _stored(outlet)
    assert after["C1"][0] not in (before["C1"][0], before["C2"][0])
    assert after["C1"][1] == before["C2"][1]  # the same phone has the same hash
    assert (factories.revealed(outlet, "C1"), factories.revealed(outlet, "C2")) == (
        "13887654321", "13912345678")
    assert vip("--as", "L1", "lobby", "13912345678", "--json").json()["customer_id"] == "C2"


def test_another_spelling_of_the_same_id_number_is_stored_as_given(outlet, ctx, tmp_path):
    """"…432x" and "…432X" share their hash (the lookup form is upper case); the mask tells
    them apart, so the new spelling is sealed, not the old one kept."""
    _import(ctx, tmp_path, ROWS)
    before = _stored(outlet)
    _import(ctx, tmp_path, _changed(ROWS, C2={"id_number": "45010219750505432x"}))
    after = _stored(outlet)
    assert after["C2"][4] == before["C2"][4] and after["C2"][3] != before["C2"][3]
    assert factories.revealed(outlet, "C2", "id_number") == "45010219750505432x"


def test_only_an_equal_value_of_the_same_customer_is_kept():
    key = sealing.Sealer(os.urandom(32))
    pairs = [("C1", "13912345678"), ("C2", "AB1234567X"), ("C3", None), ("C4", "12345"),
             ("C5", "A12B34567")]
    sealed = dict(zip((cid for cid, _ in pairs), key.columns_many("id_number", pairs), strict=True))
    held = {cid: columns[1:] for cid, columns in sealed.items()}  # (hmac, masked), as stored
    same, kept = key.columns_kept("id_number", pairs, held)
    # a letter where the mask stars ("A12**4567") could hide another case: sealed anew
    assert kept == [True, True, True, True, False]
    assert same[:4] == [(None, *held[cid]) if value else (None, None, None) for cid, value in pairs[:4]]
    assert key.open("C5", "id_number", same[4][0]) == "A12B34567" and same[4][0] != sealed["C5"][0]
    others = [("C2", "13912345678"), ("C1", "AB1234567X"), ("C3", "1"), ("C4", " 12345"),
              ("C9", "12345"), ("C5", "A12b34567"), ("C2", "ab1234567x")]
    anew, kept = key.columns_kept("id_number", others, held)
    assert kept == [False] * len(others)
    assert [key.open(cid, "id_number", columns[0]) for (cid, _), columns in zip(others, anew, strict=True)
            ] == [value for _, value in others]
    # "A12b34567" after "A12B34567": the same hash and mask, yet another text
    assert anew[5][1:] == held["C5"]


def test_a_customer_named_twice_keeps_its_last_row(outlet, ctx, tmp_path):
    _import(ctx, tmp_path, ROWS)
    twice = [*ROWS, _changed(ROWS, C1={"phone": "13500009999"})[0], ROWS[0]]
    _import(ctx, tmp_path, twice)
    assert factories.revealed(outlet, "C1") == ROWS[0][4]
    _import(ctx, tmp_path, [_changed(ROWS, C1={"phone": "13500009999"})[0], *ROWS[1:], ROWS[0],
                            _changed(ROWS, C1={"phone": "13600001234"})[0]])
    assert factories.revealed(outlet, "C1") == "13600001234"


def test_a_cleared_number_is_cleared_and_other_columns_still_change(outlet, ctx, tmp_path):
    _import(ctx, tmp_path, ROWS)
    before = _stored(outlet)
    _import(ctx, tmp_path, _changed(ROWS, C1={"phone": ""}, C2={"name": "乙二", "tier": "gold"}))
    after = _stored(outlet)
    assert after["C1"][:3] == (None, None, None) and after["C1"][3:] == before["C1"][3:]
    assert after["C2"] == before["C2"]
    c = models.Customer.__table__.c
    with outlet.connect() as conn:
        name, tier, status = conn.execute(select(c.name, c.signed_tier, c.status)
                                          .where(c.customer_id == "C2")).one()
    assert (name, tier, status) == ("乙二", "gold", "signed")


def test_a_rejected_or_dry_reimport_changes_nothing(outlet, ctx, tmp_path):
    from vipcli.errors import ImportRejected

    _import(ctx, tmp_path, ROWS)
    before = _stored(outlet)
    changed = _changed(ROWS, C1={"phone": "13500009999"}, C2={"id_number": "110101196601010000"})
    summary = _import(ctx, tmp_path, changed, dry_run=True)
    assert summary["dry_run"] and (summary["inserted"], summary["updated"]) == (0, 4)
    assert _stored(outlet) == before
    with pytest.raises(ImportRejected) as rejected:
        _import(ctx, tmp_path, [*changed, ["C9", "庚", "M", "O001", "12ab", "", ""]])
    assert rejected.value.details[0]["row"] == 6 and rejected.value.details[0]["column"] == "phone"
    assert _stored(outlet) == before


def test_a_branch_heads_reimport_is_still_held_to_its_outlet(outlet, ctx, tmp_path):
    """§13 scope: the equality of a number changes nothing of who may import a customer."""
    from vipcli.errors import ImportRejected

    _import(ctx, tmp_path, ROWS)
    before = _stored(outlet)
    with pytest.raises(ImportRejected) as rejected:
        _import(ctx, tmp_path, [row for row in ROWS if row[0] == "C4"], actor="H1")
    assert rejected.value.details[0]["column"] == "branch_id"
    assert _stored(outlet) == before
    summary = _import(ctx, tmp_path, [row for row in ROWS if row[3] == "O001"], actor="H1")
    assert summary["updated"] == 3 and _stored(outlet) == before


def test_an_unchanged_customer_is_not_written_and_an_unchanged_number_not_set(outlet, ctx, tmp_path):
    """No index churn: the upsert's UPDATE runs only for a customer the file changes, and
    sets a number's sealed, hash and mask columns only when the number changed (a trigger
    on `UPDATE OF` a column fires whenever the statement sets it, equal value or not)."""
    _import(ctx, tmp_path, ROWS)
    with outlet.begin() as conn:
        conn.execute(text("CREATE TABLE touched (customer_id VARCHAR(32), what VARCHAR(10))"))
        for what, columns in (("row", None), ("phone", "phone_sealed, phone_hmac, phone_masked"),
                              ("id_number", "id_number_sealed, id_number_hmac, id_number_masked")):
            of = f" OF {columns}" if columns else ""
            if conn.dialect.name == "sqlite":
                conn.execute(text(f"CREATE TRIGGER touched_{what} AFTER UPDATE{of} ON customers "
                                  f"BEGIN INSERT INTO touched VALUES (new.customer_id, '{what}'); END"))
            else:
                conn.execute(text(f"CREATE FUNCTION touched_{what}() RETURNS trigger AS $$ BEGIN "
                                  f"INSERT INTO touched VALUES (NEW.customer_id, '{what}'); RETURN NEW; "
                                  f"END $$ LANGUAGE plpgsql"))
                conn.execute(text(f"CREATE TRIGGER touched_{what} AFTER UPDATE{of} ON customers "
                                  f"FOR EACH ROW EXECUTE FUNCTION touched_{what}()"))

    def touched() -> set[tuple[str, str]]:
        with outlet.begin() as conn:
            found = set(conn.execute(text("SELECT customer_id, what FROM touched")).all())
            conn.execute(text("DELETE FROM touched"))
        return {tuple(row) for row in found}

    _import(ctx, tmp_path, ROWS)
    assert touched() == set()
    _import(ctx, tmp_path, _changed(ROWS, C2={"name": "乙二"}, C4={"phone": "13700002222"}))
    assert touched() == {("C2", "row"), ("C4", "row"), ("C4", "phone")}
