"""Input hygiene, out-of-range options and one bad record, through the real CLI (SPEC §12,
§13, §15): a refusal is one line naming what is wrong and where, exit 1, nothing written;
a record vip cannot convert is unknown for that customer and the command goes on."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from tests import factories
from vipcli.db import models

TODAY = "2026-11-27"
HUGE = "10000000000000000000"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("VIP_TODAY", TODAY)


@pytest.fixture
def book(engine):
    factories.org(engine)
    factories.customer(engine, "C1", manager_id="M1", signed_tier="gold", qualified_tier="gold",
                       adb12_fen=60_000_000, status="signed", tier_since=dt.date(2024, 1, 1))
    factories.customer(engine, "C2", name="李大偉", manager_id="M1", birthday_calendar="lunar",
                       birth_date=dt.date(1970, 12, 25))  # lunar 11-28: on the list around 2027-01-05
    return engine


def count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def refused(result, *words: str) -> None:
    """Exit 1, one line on stderr that says what and where, nothing on stdout."""
    assert result.code == 1, (result.code, result.err)
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    for word in words:
        assert word in lines[0], lines[0]


# -- imports ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name, found", [
    ("王\x00明", "NUL (U+0000)"), ("王\x1b[31m明", "ESC (U+001B)"), ("王\t明", "a tab (U+0009)"),
    ("王\x9b2J", "CSI (U+009B)"), ("王\x08明", "a backspace (U+0008)"),
])
def test_an_import_cell_with_a_control_character_is_refused_naming_row_and_column(vip, book, tmp_path, name, found):
    path = factories.write_csv(tmp_path / "c.csv", ["customer_id", "name", "branch_id"],
                               [["C7", "張三", "O001"], ["C8", name, "O001"]])
    before = count(book, models.Customer)
    result = vip("--as", "OP1", "import", "customers", str(path), "--json")
    assert result.code == 1
    (error,) = result.json()["errors"]
    assert (error["row"], error["column"]) == (3, "name") and found in error["message"]
    assert count(book, models.Customer) == before


def test_a_file_mixing_gbk_and_utf8_is_refused_naming_the_row_and_column(vip, book, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"customer_id,name,branch_id\n" + "C7,王小明,O001\n".encode("gbk")
                     + "C8,歐陽明,O001\n".encode())
    result = vip("--as", "OP1", "import", "customers", str(path))
    refused(result, "mixed.csv: row 3, column name", "UTF-8 text ('歐陽明') in a file read as GBK",
            "nothing was imported")
    assert count(book, models.Customer) == 2


def test_bytes_that_are_not_utf8_are_refused_naming_the_row_and_column(vip, book, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes("customer_id,name,branch_id\nC7,王小明,O001\n".encode() + "C8,李四,O001\n".encode("gbk"))
    result = vip("--as", "OP1", "import", "customers", str(path), "--encoding", "utf-8", "--json")
    assert result.code == 1
    (error,) = result.json()["errors"]
    assert (error["row"], error["column"]) == (3, "name")
    assert "not valid UTF-8 text" in error["message"] and "--encoding gbk" in error["message"]
    assert count(book, models.Customer) == 2


@pytest.mark.parametrize("birth, calendar, message", [
    ("1899-12-31", "solar", "expected a date from 1900-01-01 to 2099-12-31"),
    ("2026-11-28", "solar", "expected a date not after today (2026-11-27)"),
    ("1900-01-01", "農曆", "expected a birth date from 1900-01-31 for a lunar birthday"),
])
def test_an_implausible_birth_date_is_refused_at_import(vip, book, tmp_path, birth, calendar, message):
    path = factories.write_csv(tmp_path / "c.csv",
                               ["customer_id", "name", "branch_id", "birth_date", "birthday_calendar"],
                               [["C7", "張三", "O001", birth, calendar]])
    result = vip("--as", "OP1", "import", "customers", str(path), "--json")
    assert result.code == 1
    assert result.json()["errors"][0]["column"] == "birth_date"
    assert message in result.json()["errors"][0]["message"]
    assert count(book, models.Customer) == 2


# -- free-text options -------------------------------------------------------------------------


@pytest.mark.parametrize("args, option", [
    (("--as", "M1", "log-contact", "C1", "--channel", "phone", "--summary", "好\x1b]0;owned\x07"), "--summary"),
    (("--as", "M1", "log-contact", "C1", "--channel", "phone", "--summary", "ok", "--needs", "a\nb"), "--needs"),
    (("--as", "M1", "log-contact", "C1", "--channel", "phone", "--next", "\x1b[2J", "--next-date", "2026-12-01"),
     "--next"),
    (("--as", "M1", "journal", "add", "--kind", "memo", "--text", "note\x1b[31m"), "--text"),
    (("--as", "M1", "opp", "add", "C1", "--next-action", "call\x00", "--next-date", "2026-12-01"), "--next-action"),
    (("--as", "M1", "admit", "C1", "--tier", "platinum", "--reason", "\x9bdrop"), "--reason"),
    (("--as", "H1", "activity", "add", "--kind", "salon", "--title", "茶\x1b會", "--date", "2026-12-01"), "--title"),
    (("--as", "M1", "risk", "invalidate", "C1", "--reason", "moved\x7f"), "--reason"),
])
def test_a_free_text_option_with_a_control_character_is_refused_naming_it(vip, book, args, option):
    tables = (models.Contact, models.JournalEntry, models.Opportunity, models.AdmissionRequest, models.Activity, models.AuditLog)
    before = [count(book, t) for t in tables]
    refused(vip(*args), f"error: {option}: expected text without control characters, found")
    assert [count(book, t) for t in tables] == before


def test_a_tab_in_free_text_is_kept(vip, book):
    result = vip("--as", "M1", "log-contact", "C1", "--channel", "phone", "--summary", "fund\tfact sheet", "--json")
    assert result.code == 0, result.err
    with book.connect() as conn:
        assert conn.execute(select(models.Contact.summary)).scalar_one() == "fund\tfact sheet"


# -- out-of-range options ----------------------------------------------------------------------


@pytest.mark.parametrize("args, words", [
    (("--as", "M1", "customers", "--limit", HUGE), ("--limit must be a whole number", "1000000", HUGE)),
    (("--as", "M1", "customers", "--limit", "0"), ("--limit must be a whole number",)),
    (("--as", "M1", "due", "--limit", HUGE), ("--limit",)),
    (("--as", "H1", "segment", "--limit", HUGE), ("--limit",)),
    (("--as", "M1", "due", "--as-of", "9999-12-31"), ("--as-of must be a date from 1900-01-01 to 2099-12-31",)),
    (("--as", "M1", "due", "--as-of", "0001-01-01"), ("--as-of",)),
    (("--as", "M1", "export", "due", "--output", "x.csv", "--as-of", "9999-12-31"), ("--as-of",)),
    (("--as", "M1", "log-contact", "C1", "--channel", "phone", "--at", "0001-01-01"), ("--at must be a date",)),
    (("--as", "M1", "log-contact", "C1", "--channel", "phone", "--opportunity", HUGE, "--stage", "contacted"),
     ("--opportunity must be a whole number", "2147483647")),
    (("--as", "H1", "approve", HUGE), ("ID must be a whole number",)),
    (("--as", "M1", "opp", "show", HUGE), ("ID must be a whole number",)),
    (("--as", "H1", "report", "review", HUGE, "--comment", "ok"), ("ID must be a whole number",)),
    (("--as", "M1", "risk", "record", "C1", "--level", HUGE), ("--level must be a whole number", "5, got")),
    (("--as", "M1", "sign", "C1", "--tier", "gold", "--date", "9999-12-31"), ("--date",)),
    (("--as", "H1", "report", "compliance", "--month", "9999-12"), ("(years 1900 to 2099)",)),
    (("--as", "H1", "report", "weekly", "--week", "9999-W52"), ("(years 1900 to 2099)",)),
    (("--as", "M1", "journal", "week", "--week", "9999-W52"), ("(years 1900 to 2099)",)),
    (("--as", "H1", "report", "retention", "--from", "0001-01", "--to", "9999-12"), ("(years 1900 to 2099)",)),
    (("--as", "H1", "target", "set", "--week", "9999-W52", "--contacts", "5"), ("(years 1900 to 2099)",)),
    (("--as", "H1", "target", "set", "--month", "2026-12", "--contacts", HUGE), ("--contacts must be",)),
    (("--as", "H1", "target", "set", "--month", "2026-12", "--won-amount", HUGE), ("--won-amount: expected a plausible",)),
    (("--as", "M1", "opp", "add", "C1", "--amount", "99999999999999999"), ("--amount: expected a plausible",)),
])
def test_an_out_of_range_option_is_a_clear_exit_1(vip, book, tmp_path, monkeypatch, args, words):
    monkeypatch.chdir(tmp_path)
    before = count(book, models.AuditLog)
    refused(vip(*args), *words)
    assert count(book, models.AuditLog) == before
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("as_of", ["1900-01-01", "2099-12-31"])
def test_the_ends_of_the_date_range_are_accepted(vip, book, as_of):
    result = vip("--as", "M1", "due", "--as-of", as_of, "--json")
    assert result.code == 0, result.err
    assert result.json()["as_of"] == as_of


# -- one bad stored record ---------------------------------------------------------------------


@pytest.fixture
def bad_lunar(book):
    """C1's birth date as the placeholder 1900-01-01 lunar, written behind vip's back (an old
    extract or a hand edit): lunardate cannot convert it."""
    with book.begin() as conn:
        conn.execute(update(models.Customer).where(models.Customer.customer_id == "C1")
                     .values(birth_date=dt.date(1900, 1, 1), birthday_calendar="lunar"))
    return book


def test_one_bad_lunar_birthday_does_not_stop_the_morning_list(vip, bad_lunar):
    result = vip("--as", "M1", "due", "--as-of", "2027-01-04", "--json")
    assert result.code == 0, result.err
    items = {item["customer_id"]: item for item in result.json()["items"]}
    assert "birthday" not in {r["kind"] for r in items["C1"]["reasons"]}  # unknown, not guessed
    assert "quarterly" in {r["kind"] for r in items["C1"]["reasons"]}  # its other reasons stay
    assert "birthday" in {r["kind"] for r in items["C2"]["reasons"]}  # and the others' birthdays


@pytest.mark.parametrize("args", [
    ("--as", "M1", "show", "C1"),
    ("--as", "M1", "show", "C1", "--json"),
    ("--as", "M1", "customers"),
    ("--as", "H1", "due"),
    ("--as", "H1", "segment"),
    ("--as", "M1", "recommend", "C1"),
    ("--as", "L1", "lobby", "C1"),
])
def test_one_bad_lunar_birthday_does_not_stop_an_outlet_wide_command(vip, bad_lunar, args):
    result = vip(*args)
    assert result.code == 0, result.err
    assert "internal error" not in result.err


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_one_bad_lunar_birthday_does_not_stop_an_export(vip, bad_lunar, tmp_path, fmt):
    out = tmp_path / f"due.{fmt}"
    result = vip("--as", "M1", "export", "due", "--format", fmt, "--output", str(out), "--as-of", "2027-01-04")
    assert result.code == 0, result.err
    assert out.exists()
