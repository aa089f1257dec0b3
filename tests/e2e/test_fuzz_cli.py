"""Fuzzing the real `vip` with hypothesis: import files and free-text options (§12, §13, §15).

Whatever a file or an option holds — control characters, huge numbers, odd dates, CJK,
markup-like text, formula-like text, bytes that are not text, nothing at all — `vip`:

- ends with exit 0 or 1, never an internal error (3), a database error (2) or a traceback;
- with `--json` prints exactly one JSON document on stdout (or nothing, on a refusal
  before any row was read);
- is all or nothing: a `--dry-run` writes nothing; a refused import or option writes
  nothing; an accepted import writes exactly the rows it counts, and the dry run of the
  same file says the same;
- prints no raw control character (§13 output hygiene: data are shown as plain text).

Whether a given cell is refused (NUL, ESC, a birth date before 1900, …) or accepted is the
business of the import rules; these properties hold either way.

One database for the module, built through the CLI; each example runs in-process through
the real entry point (the Typer command tree built once, as in test_permission_matrix).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.e2e.inprocess import Ran, Watch, command_tree_built_once, invoke, must
from tests.factories import write_csv

TODAY = "2026-11-27"
FUZZ = settings(max_examples=60, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

CUSTOMER_COLUMNS = ["customer_id", "name", "gender", "birth_date", "birthday_calendar", "phone",
                    "id_number", "occupation", "orientation", "preferred_channel", "branch_id",
                    "tier", "tier_since", "manager_id", "source"]
# A valid row: each fuzzed row starts from it and replaces some of its cells.
VALID_CUSTOMER = ["C900", "歐陽明", "M", "1970-06-15", "solar", "13812345678",
                  "110101197006150011", "executive", "value", "phone", "O001", "", "", "M1",
                  "lobby_lead"]
ASSET_COLUMNS = ["customer_id", "month", "avg_daily_assets"]
# Printed text may hold newlines and tabs; any other C0 character (ESC, CR, NUL …) is a leak.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")

# -- running vip (as in test_permission_matrix) ----------------------------------------------


def count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def _fast_typer():
    with command_tree_built_once():
        yield


@pytest.fixture(scope="module")
def outlet(tmp_path_factory, _fast_typer) -> Path:
    """Two outlets, an operator, managers, two customers with assets and a risk assessment."""
    root = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VIP_HOME", str(root / "home"))
        mp.setenv("VIP_TODAY", TODAY)
        for name in ("VIP_DB", "VIP_USER", "VIP_RULES", "XDG_DATA_HOME"):
            mp.delenv(name, raising=False)
        db = root / "vip.db"
        must(db, "import", "branches", str(write_csv(root / "b.csv", ["branch_id", "name", "parent_id", "level"], [
            ["B01", "廣西分行", "", "1"], ["O001", "民族支行", "B01", "3"], ["O002", "青秀支行", "B01", "3"]])))
        must(db, "import", "staff", str(write_csv(root / "s.csv", ["staff_id", "name", "role", "branch_id"], [
            ["OP1", "朱操作", "operator", "B01"], ["H1", "王主任", "branch_head", "O001"],
            ["M1", "李經理", "account_manager", "O001"], ["M4", "吳經理", "account_manager", "O002"]])))
        rows = [["C001", *VALID_CUSTOMER[1:]], ["C002", *VALID_CUSTOMER[1:10], "O002", "", "", "M4", "lobby_lead"]]
        must(db, "--as", "OP1", "import", "customers", str(write_csv(root / "c.csv", CUSTOMER_COLUMNS, rows)))
        must(db, "--as", "OP1", "import", "assets", str(write_csv(root / "a.csv", ASSET_COLUMNS, [
            ["C001", "2026-10", "150000.00"], ["C002", "2026-10", "2000000.00"]])))
        must(db, "--as", "M1", "risk", "record", "C001", "--level", "3")
    return db


@pytest.fixture(autouse=True)
def _pinned_day(_isolated_home, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", TODAY)


# -- what a cell may hold ------------------------------------------------------------------

CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.just("\x7f")
TRICKY = st.sampled_from([
    "", " ", "\t", "NULL", "None", "nan", "NaN", "inf", "-inf", "1e308", "-0", "0x10",
    "[/bold]", "[red]紅[/red]", "[link=http://x]a[/link]", "\x1b[31mred\x1b[0m", "\x1b]0;title\x07",
    "=HYPERLINK(\"http://x/?a=\"&A1,\"c\")", "+cmd|' /C calc'!A0", "@SUM(1)", "-1+1", "'quoted",
    "\u202eevil", "\ufeffBOM", "\u200b", "a\x00b", "歐陽\x00明", "\r\n", "\"", "\"\"", ",", ";",
    "1,000,000.00", "¥1.5", "１２３", "9" * 40, "-" + "9" * 25, "0.001", "12.345", "1e5",
    "1900-01-01", "1899-12-31", "1900-01-31", "0000-00-00", "0001-01-01", "9999-12-31",
    "2026-02-29", "2024-02-29", "2026-11-27", "2026-11-28", "2026/1/1", "20260101", "26-1-1",
    "2026-13", "2026-00", "9999-12", "0000-01", "2026-1", "農曆", "农历", "lunar", "鑽石卡",
])
CJK = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=8)
ANY_TEXT = st.text(max_size=30)  # every code point but surrogates, control characters included
HUGE = st.integers(min_value=-(10**30), max_value=10**30).map(str)
DECIMALS = st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str)
DATES = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat)
MIXED = st.lists(CONTROL | CJK | st.sampled_from(["a", "1", "-", " ", "[", "]", "="]),
                 max_size=8).map("".join)
MARKUP = st.sampled_from(["[/bold]", "[red]", "[/]", "[link=http://x]", "\x1b[31m", "\x1b[2J",
                          "=", "+", "@", "-", "\t", "\r", "\x00", "\u202e"])
MARKED = st.tuples(CJK | st.just(""), MARKUP, CJK | st.just("")).map("".join)
CELL = st.one_of(TRICKY, CJK, ANY_TEXT, HUGE, DECIMALS, DATES, MIXED, MARKED)
IDS = st.sampled_from(["C001", "C002", "C900", "C901", "C404", " C001 ", "c001"]) | CELL


@st.composite
def fuzzed(draw, valid: Sequence[Sequence[object]], cell: st.SearchStrategy[object]) -> list[list[object]]:
    """Some of the valid rows with cells replaced by `cell`: up to three (so that many files
    still get through to the database), or about half of them (every parser at once)."""
    rows = [list(row) for row in valid[: draw(st.integers(min_value=1, max_value=len(valid)))]]
    if draw(st.booleans()):
        spots = st.tuples(st.integers(0, len(rows) - 1), st.integers(0, len(rows[0]) - 1))
        chosen = draw(st.sets(spots, max_size=3))
    else:
        chosen = {(r, c) for r in range(len(rows)) for c in range(len(rows[0])) if draw(st.booleans())}
    for r, c in sorted(chosen):
        rows[r][c] = draw(cell)
    return rows


# Valid rows: an update of C001 and C002, new customers, and a key repeated in the file.
CUSTOMERS = [["C001", *VALID_CUSTOMER[1:]], VALID_CUSTOMER,
             ["C901", *VALID_CUSTOMER[1:10], "O002", "", "", "M4", "referral"],
             ["C002", "李四", "F", "1958-01-23", "lunar", "13900001111", "", "homemaker",
              "relationship", "wechat", "O002", "gold", "2025-06-23", "M4", "lobby_lead"],
             ["C900", "歐陽明", "", "", "", "", "", "", "", "", "O001", "", "", "", ""]]
ASSETS = [["C001", "2026-10", "150000.00"], ["C002", "2026-09", "1,000,000.00"],
          ["C001", "2026-11", "0.01"], ["C002", "2025-12", "¥1.5"]]
customer_rows = fuzzed(CUSTOMERS, IDS | CELL)
IMPORTERS = st.sampled_from(["OP1", "OP1", "H1"])  # the branch head's import is scoped (§13)
asset_rows = fuzzed(ASSETS, IDS | CELL)


@st.composite
def file_bytes(draw, header: list[str], rows: Sequence[Sequence[object]]) -> bytes:
    """The rows as a CSV file: UTF-8, sometimes GBK, sometimes a mix, sometimes broken bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    lines = []
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        lines.append(buffer.getvalue())
    head = ",".join(header) + "\r\n"
    how = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "gbk", "mixed", "junk"]))
    if how == "utf-8-sig":
        return (head + "".join(lines)).encode("utf-8-sig")
    if how == "gbk":
        return (head + "".join(lines)).encode("gb18030")
    body = b"".join(line.encode("gb18030" if how == "mixed" and i % 2 else "utf-8")
                    for i, line in enumerate(lines))
    if how == "junk":
        junk = draw(st.binary(min_size=1, max_size=6))
        at = draw(st.integers(min_value=0, max_value=len(body)))
        body = body[:at] + junk + body[at:]
    return head.encode() + body


# -- the properties ------------------------------------------------------------------------


def assert_clean(ran: Ran, *, as_json: bool) -> None:
    """Exit 0 or 1, one JSON document with --json, one error line last, no raw control."""
    assert ran.code in (0, 1), f"exit {ran.code}: {ran.err}"
    assert "Traceback" not in ran.err and "internal error" not in ran.err, ran.err
    if as_json and ran.out.strip():
        json.loads(ran.out)
    if ran.code == 1:
        assert ran.err.strip().splitlines()[-1].startswith("error: "), ran.err
    else:
        assert "error: " not in ran.err, ran.err
    leaked = RAW_CONTROL.findall(ran.out + ran.err)
    assert not leaked, f"raw control characters printed: {leaked!r}"


def import_twice(db: Path, kind: str, path: Path, table: str, actor: str) -> None:
    """The dry run writes nothing; the import writes all it counts or nothing; both agree."""
    watch = Watch(db)
    dry = invoke(db, "--as", actor, "import", kind, str(path), "--dry-run", "--json")
    assert not watch.changed(), "a dry run wrote to the database"
    assert_clean(dry, as_json=True)
    before = count(db, table)
    watch = Watch(db)
    real = invoke(db, "--as", actor, "import", kind, str(path), "--json")
    changed = watch.changed()
    assert_clean(real, as_json=True)
    assert real.code == dry.code, f"dry run exit {dry.code}, import exit {real.code}: {real.err}"
    event(f"import exit {real.code}")
    if real.code == 1:
        assert not changed, "a refused import wrote to the database"
        return
    done, would = json.loads(real.out), json.loads(dry.out)
    assert (done["inserted"], done["updated"]) == (would["inserted"], would["updated"])
    assert count(db, table) == before + done["inserted"]


@FUZZ
@given(data=st.data())
def test_customer_files_never_break_vip_and_are_all_or_nothing(outlet, tmp_path_factory, data):
    rows = data.draw(customer_rows)
    path = tmp_path_factory.getbasetemp() / "fuzz_customers.csv"
    path.write_bytes(data.draw(file_bytes(CUSTOMER_COLUMNS, rows)))
    import_twice(outlet, "customers", path, "customers", data.draw(IMPORTERS))


@FUZZ
@given(data=st.data())
def test_asset_files_never_break_vip_and_are_all_or_nothing(outlet, tmp_path_factory, data):
    rows = data.draw(asset_rows)
    path = tmp_path_factory.getbasetemp() / "fuzz_assets.csv"
    path.write_bytes(data.draw(file_bytes(ASSET_COLUMNS, rows)))
    import_twice(outlet, "assets", path, "monthly_assets", data.draw(IMPORTERS))


XLSX_TEXT = (IDS | CELL).map(lambda s: re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", s))
XLSX_CELL = st.one_of(
    XLSX_TEXT,  # the text openpyxl can store
    st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    st.booleans(),
    st.none(),
)


@FUZZ
@given(rows=fuzzed([[cid, month, float(amount.replace(",", "").lstrip("¥"))] for cid, month, amount in ASSETS],
                   XLSX_CELL))
def test_asset_workbooks_with_typed_cells_never_break_vip(outlet, tmp_path_factory, rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(ASSET_COLUMNS)
    for row in rows:
        sheet.append(list(row))
    path = tmp_path_factory.getbasetemp() / "fuzz_assets.xlsx"
    book.save(path)
    import_twice(outlet, "assets", path, "monthly_assets", "OP1")


PLAIN = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E)
                | st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=60)
FREE_TEXT = st.one_of(TRICKY, ANY_TEXT, MIXED, CJK, PLAIN, PLAIN, st.text(min_size=200, max_size=400))
JOURNAL_KINDS = st.sampled_from(["memo", "meeting", "visit", "sale", "suggestion"])


@FUZZ
@given(option=st.sampled_from(["--summary", "--key-points", "--needs", "--purpose", "--next"]),
       text=FREE_TEXT)
def test_contact_free_text_never_breaks_vip_and_is_all_or_nothing(outlet, option, text):
    extra = ["--next-date", "2026-12-01"] if option == "--next" else []
    contacts, reports = count(outlet, "contacts"), count(outlet, "communication_reports")
    watch = Watch(outlet)
    ran = invoke(outlet, "--as", "M1", "log-contact", "C001", "--channel", "phone",
                 option, text, *extra, "--json")
    changed = watch.changed()
    assert_clean(ran, as_json=True)
    event(f"log-contact exit {ran.code}")
    if ran.code == 1:
        assert not changed, "a refused contact wrote to the database"
        return
    assert json.loads(ran.out)["customer_id"] == "C001"
    assert (count(outlet, "contacts"), count(outlet, "communication_reports")) == (contacts + 1, reports + 1)
    # The stored text is shown back as plain text by the profile, whatever it holds.
    assert_clean(invoke(outlet, "--as", "M1", "show", "C001"), as_json=False)


@FUZZ
@given(text=FREE_TEXT, kind=st.integers(0, 3).flatmap(  # a valid kind 3 times in 4
    lambda i: JOURNAL_KINDS if i else st.sampled_from(["", "MEMO", " memo ", "會議", "memo\x00"]) | CELL))
def test_journal_free_text_never_breaks_vip_and_is_all_or_nothing(outlet, text, kind):
    entries = count(outlet, "journal_entries")
    watch = Watch(outlet)
    ran = invoke(outlet, "--as", "M1", "journal", "add", "--kind", kind, "--text", text, "--json")
    changed = watch.changed()
    assert_clean(ran, as_json=True)
    event(f"journal add exit {ran.code}")
    if ran.code == 1:
        assert not changed, "a refused journal entry wrote to the database"
        return
    assert count(outlet, "journal_entries") == entries + 1
    assert_clean(invoke(outlet, "--as", "M1", "journal", "week"), as_json=False)
