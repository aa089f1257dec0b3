"""Input hygiene and one bad record (SPEC §12, §13): control characters, bytes that are not
text, implausible dates, lunar birthdays lunardate cannot convert."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vipcli.config import Rules
from vipcli.domain import due_rules, occasions, rows
from vipcli.domain.plain_text import control_character
from vipcli.errors import ImportRejected
from vipcli.services.imports.files import open_source

TODAY = dt.date(2026, 11, 27)
D = dt.date


def convert(kind: str, header: list[str], cells: list[str]):
    fields = rows.fields_for(kind, TODAY)
    values, problems = rows.convert(fields, rows.header_positions(fields, header), cells)
    if not problems:
        problems = rows.row_checks(kind, values)
    return dict(zip([f.name for f in fields], values, strict=True)), dict(problems)


# -- control characters ---------------------------------------------------------------------


@pytest.mark.parametrize("text, found", [
    ("王\x00明", "NUL (U+0000) at character 2"),
    ("\x1b[31m王", "ESC (U+001B) at character 1"),
    ("王\x9b31m", "CSI (U+009B) at character 2"),
    ("王\x7f", "DEL (U+007F) at character 2"),
    ("a\nb", "a line break (U+000A) at character 2"),
    ("a\x07", "BEL (U+0007) at character 2"),
])
def test_nul_esc_and_other_control_characters_are_named_with_their_place(text, found):
    assert control_character(text, free_text=True).endswith(found)
    assert control_character(text).endswith(found)


def test_a_tab_is_allowed_in_free_text_only():
    assert control_character("call back\tTuesday", free_text=True) is None
    assert "tabs only in free text" in control_character("王\t明")


@pytest.mark.parametrize("text", ["歐陽明", "王\u3000明", "O'Brien-Smith", "[/bold]王", "=SUM(1)", "😀", ""])
def test_ordinary_text_is_clean(text):
    assert control_character(text) is None


@given(st.text())
def test_a_refused_text_always_holds_a_control_character(text):
    found = control_character(text, free_text=True)
    has_control = any(ord(c) < 0x20 and c != "\t" or 0x7F <= ord(c) <= 0x9F for c in text)
    assert (found is not None) == has_control


@pytest.mark.parametrize("column, cell", [("name", "王\x00明"), ("name", "王\x1b[2J"), ("customer_id", "C\x1b1"),
                                          ("branch_id", "O001\x00"), ("name", "王\t明")])
def test_an_import_cell_with_a_control_character_is_refused_naming_the_column(column, cell):
    header = ["customer_id", "name", "branch_id"]
    cells = {"customer_id": "C1", "name": "王", "branch_id": "O001", column: cell}
    _values, problems = convert("customers", header, [cells[c] for c in header])
    assert list(problems) == [column]
    assert "expected" in problems[column] and "U+00" in problems[column]


def test_a_line_break_at_either_end_of_a_cell_is_trimmed_not_refused():
    values, problems = convert("customers", ["customer_id", "name", "branch_id"], ["C1", "王明\r\n", "O001"])
    assert problems == {} and values["name"] == "王明"


# -- implausible dates ------------------------------------------------------------------------


@pytest.mark.parametrize("birth, ok", [("1899-12-31", False), ("0001-01-01", False), ("1900-01-01", True),
                                       ("2026-11-27", True), ("2026-11-28", False), ("9999-12-31", False)])
def test_a_birth_date_lies_between_1900_and_today(birth, ok):
    _values, problems = convert("customers", ["customer_id", "name", "branch_id", "birth_date"],
                                ["C1", "王", "O001", birth])
    assert (problems == {}) is ok, problems


@pytest.mark.parametrize("birth, ok", [("1900-01-01", False), ("1900-01-30", False), ("1900-01-31", True)])
def test_a_lunar_birthday_needs_a_date_the_lunar_calendar_covers(birth, ok):
    _values, problems = convert(
        "customers", ["customer_id", "name", "branch_id", "birth_date", "birthday_calendar"],
        ["C1", "王", "O001", birth, "農曆"])
    assert (problems == {}) is ok, problems
    if not ok:
        assert "1900-01-31" in problems["birth_date"] and "leave the cell empty" in problems["birth_date"]


@pytest.mark.parametrize("kind, header, cells, column", [
    ("holdings", ["customer_id", "product_code", "amount", "start_date", "maturity_date"],
     ["C1", "P1", "100", "2020-01-01", "9999-12-31"], "maturity_date"),
    ("holdings", ["customer_id", "product_code", "amount", "start_date"], ["C1", "P1", "100", "1899-01-01"],
     "start_date"),
    ("transactions", ["txn_id", "customer_id", "date", "amount", "channel"],
     ["T1", "C1", "0001-01-01", "1", "counter"], "date"),
    ("products", ["product_code", "name", "category", "launched_on"], ["P1", "基金", "fund", "2100-01-01"],
     "launched_on"),
    ("customers", ["customer_id", "name", "branch_id", "tier_since"], ["C1", "王", "O001", "1000-01-01"],
     "tier_since"),
])
def test_every_date_column_lies_between_1900_and_2099(kind, header, cells, column):
    _values, problems = convert(kind, header, cells)
    assert list(problems) == [column]
    assert "from 1900-01-01 to 2099-12-31" in problems[column]


def test_a_maturity_in_the_future_is_still_a_date_like_any_other():
    _values, problems = convert("holdings", ["customer_id", "product_code", "amount", "start_date", "maturity_date"],
                                ["C1", "P1", "100", "2026-01-01", "2099-12-31"])
    assert problems == {}


# -- lunar birthdays lunardate cannot convert ------------------------------------------------------


def test_the_lunar_range_is_the_one_lunardate_covers():
    from lunardate import LunarDate

    assert LunarDate.from_solar_date(*occasions.LUNAR_FIRST.timetuple()[:3]) == LunarDate(1900, 1, 1)
    assert LunarDate(2099, 12, 30).to_solar_date() == occasions.LUNAR_LAST


@pytest.mark.parametrize("birth", [D(1900, 1, 1), D(1900, 1, 30), D(1, 1, 1), D(2100, 2, 9), D(9999, 12, 31)])
def test_a_lunar_birthday_outside_the_calendar_is_unknown(birth):
    assert occasions.lunar_month_day(birth) is None
    assert occasions.next_birthday(birth, "lunar", TODAY) is None


def test_a_lunar_birthday_before_the_first_lunar_year_is_unknown():
    assert occasions.next_birthday(D(1970, 1, 20), "lunar", D(1900, 1, 5)) is None  # lunar 1899-12
    assert occasions.next_birthday(D(1970, 6, 15), "lunar", D(1900, 1, 31)) is not None


def test_a_lunar_birthday_beyond_the_last_lunar_year_is_unknown():
    assert occasions.next_birthday(D(1970, 12, 25), "lunar", D(2100, 2, 1)) is None
    assert occasions.next_birthday(D(1970, 6, 15), "lunar", D(2099, 12, 31)) is None
    assert occasions.next_birthday(D(1970, 6, 15), "lunar", D(2099, 1, 2)) is not None


@given(st.dates(D(1, 1, 1), D(9999, 12, 31)), st.dates(D(1900, 1, 1), D(2099, 12, 31)))
def test_a_birthday_is_a_date_or_unknown_never_an_error(birth, as_of):
    for calendar in ("solar", "lunar"):
        day = occasions.next_birthday(birth, calendar, as_of)
        assert day is None or day >= as_of


def test_one_bad_lunar_birthday_leaves_the_other_reasons_of_its_customer():
    facts = due_rules.Facts("C1", "gold", True, birth_date=D(1900, 1, 1), birthday_calendar="lunar")
    kinds = {r.kind for r in due_rules.evaluate(facts, TODAY, Rules())}
    assert "birthday" not in kinds and "quarterly" in kinds


# -- bytes that are not text --------------------------------------------------------------------

HEADER = b"customer_id,name,branch_id\n"


def _rows(path):
    with open_source(path) as source:
        return [cells for _first, block in source.chunks(2) for cells in block]


def _refused(path, encoding=None) -> dict:
    with pytest.raises(ImportRejected) as refused:
        with open_source(path, encoding) as source:
            for _chunk in source.chunks(2):
                pass
    assert "nothing was imported" in refused.value.message
    (detail,) = refused.value.details
    return detail


def test_a_gbk_file_with_a_utf8_row_is_refused_at_that_row_and_column(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(HEADER + "C1,王小明,O001\n".encode("gbk") + "C2,李大偉,O001\n".encode("gbk")
                     + "C3,歐陽明,O001\n".encode())
    detail = _refused(path)
    assert (detail["row"], detail["column"]) == (4, "name")
    assert "UTF-8 text ('歐陽明') in a file read as GBK" in detail["message"]


def test_a_utf8_file_with_a_gbk_row_is_refused_at_that_row_and_column(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(HEADER + "C1,王小明,O001\nC2,李大偉,O001\n".encode() + "C3,歐陽明,O001\n".encode("gbk"))
    detail = _refused(path, "utf-8")
    assert (detail["row"], detail["column"]) == (4, "name")
    assert "are not valid UTF-8 text" in detail["message"] and "--encoding gbk" in detail["message"]


def test_bytes_that_are_not_text_are_found_whatever_chunk_they_fall_in(tmp_path):
    body = b"".join(f"C{i},Wang,O001\n".encode() for i in range(3000))
    path = tmp_path / "c.csv"
    path.write_bytes(HEADER + body + b"C9,\xff\xfe,O001\n")
    detail = _refused(path, "utf-8")
    assert (detail["row"], detail["column"]) == (3002, "name")
    assert "\\xff\\xfe" in detail["message"]


def test_a_file_whose_first_64_kb_are_ascii_is_still_recognised_as_gbk(tmp_path):
    body = b"".join(f"C{i},Wang,O001\n".encode() for i in range(5000))  # > 64 KB of ASCII
    path = tmp_path / "c.csv"
    path.write_bytes(HEADER + body + "C9,王小明,O001\n".encode("gbk"))
    assert _rows(path)[-1] == ["C9", "王小明", "O001"]


def test_gbk_and_utf8_files_read_as_before(tmp_path):
    for encoding in ("gbk", "utf-8", "utf-8-sig"):
        path = tmp_path / f"c-{encoding}.csv"
        path.write_bytes((HEADER.decode() + "C1,歐陽明,O001\n").encode(encoding))
        assert _rows(path) == [["C1", "歐陽明", "O001"]]
