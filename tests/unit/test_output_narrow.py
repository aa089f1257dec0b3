"""§16, 80 columns: a table that does not fit becomes one block per record; lines wrap
between Chinese characters and at spaces, never inside an id, an amount or a date."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from vipcli.cli import output
from vipcli.cli.output import table, tier_label, wrapped

COLUMNS = ["customer", "name", "tier", ("ADB12", "right"), "reasons", "channel"]
ROWS = [
    ["C0000887", "陶清龙", "钻石卡", "4,138,280.31",
     "理财产品到期：稳盈理财 P001 将于2026-12-02到期，请提前联系客户确认续作意向。\n生日：12月5日", "电话"],
    ["C0000123", "欧阳明", "金卡", "812,000.00", "", "面见"],
]


def render(width: int, tbl=None) -> list[str]:
    out = Console(width=width, record=True, file=io.StringIO())
    out.print(table("Morning list", COLUMNS, ROWS) if tbl is None else tbl)
    return out.export_text().splitlines()


def test_a_table_that_fits_is_the_full_table():
    lines = render(200)
    assert lines[0] == "Morning list"
    assert lines[1].startswith("┏") and "┃ customer ┃ name   ┃" in lines[2]
    assert any("C0000887 │ 陶清龙 │ 钻石卡 │ 4,138,280.31 │" in line for line in lines)


def test_a_long_text_column_wraps_inside_the_table_when_the_rest_fits():
    lines = render(100)
    assert lines[1].startswith("┏") and all(cell_len(line) <= 100 for line in lines)
    assert sum("│ C0000" in line for line in lines) == 2
    assert any(line.startswith("│          │") for line in lines)  # a reason's second line


def test_a_table_that_does_not_fit_becomes_one_block_per_record():
    lines = render(60)
    assert lines == [
        "Morning list",
        "C0000887  陶清龙",
        "  tier:    钻石卡",
        "  ADB12:   4,138,280.31",
        "  reasons: 理财产品到期：稳盈理财 P001 将于2026-12-02到期，",
        "           请提前联系客户确认续作意向。",
        "           生日：12月5日",
        "  channel: 电话",
        "",
        "C0000123  欧阳明",  # an empty value is left out
        "  tier:    金卡",
        "  ADB12:   812,000.00",
        "  channel: 面见",
    ]


def test_a_block_heading_reads_in_chinese_with_the_chinese_colon(chinese):
    lines = render(60)
    assert "  channel： 电话" in lines


def test_a_chinese_character_is_two_columns_wide():
    tbl = table(None, ["name", "note"], [["欧阳明" * 2, "好" * 10]])
    assert render(39, tbl)[0].startswith("┏")  # 12 + 20 cells and 7 of borders: it fits
    assert render(38, tbl) == ["欧阳明欧阳明", "  note: 好好好好好好好好好好"]


def test_no_column_is_squeezed_and_nothing_is_cut():
    for width in (40, 60, 80):
        text = "\n".join(render(width))
        assert "…" not in text
        for value in ("C0000887", "陶清龙", "4,138,280.31", "2026-12-02", "P001", "812,000.00"):
            assert value in text, (width, value)


def test_a_title_wraps_rather_than_being_cut():
    title = "Morning list for 王芳 S005 on 2026-11-27 — this week 3/10 customers contacted"
    lines = render(40, table(title, ["a"], [["x"]]))
    assert all(cell_len(line) <= 40 for line in lines)
    assert "王芳 S005" in "\n".join(lines) and "2026-11-27" in "\n".join(lines)


def test_a_line_never_starts_with_closing_punctuation():
    lines = [line.plain for line in wrapped("客户" * 10 + "，请联系（王芳）。", 20)]
    assert lines == ["客户" * 5, "客户" * 4 + "客", "户，请联系（王芳）。"]  # "，" takes 户 along
    assert [line.plain for line in wrapped("请联系客户（王芳", 12)] == ["请联系客户", "（王芳"]


def test_a_continued_line_keeps_the_indentation_of_the_line():
    lines = [line.plain for line in wrapped("  export VIP_DB=/tmp/vip/demo.db VIP_TODAY=2026-11-27", 40)]
    assert lines == ["  export VIP_DB=/tmp/vip/demo.db", "  VIP_TODAY=2026-11-27"]


def test_a_word_wider_than_the_line_is_the_only_thing_ever_split():
    assert [line.plain for line in wrapped("ab " + "x" * 25, 10)] == ["ab", "x" * 10, "x" * 10, "x" * 5]


def test_echo_and_info_wrap_long_lines_and_cut_nothing(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "30")
    monkeypatch.setattr(output, "_console", None)
    monkeypatch.setattr(output, "_err_console", None)
    line = "客户 C0000887 陶清龙 的理财产品 P001 将于 2026-12-02 到期，金额 4,138,280.31 元"
    output.echo(line)
    output.info(line)
    captured = capsys.readouterr()
    for stream in (captured.out, captured.err):
        assert all(cell_len(part) <= 30 for part in stream.splitlines())
        assert "".join(stream.split()) == "".join(line.split())
        for value in ("C0000887", "P001", "2026-12-02", "4,138,280.31"):
            assert value in stream


def test_soft_wrap_keeps_a_long_line_whole(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "30")
    monkeypatch.setattr(output, "_console", None)
    output.echo("x " * 40, soft_wrap=True)
    assert capsys.readouterr().out.count("\n") == 1


def test_a_tier_reads_the_one_wording_without_its_code(chinese):
    assert [tier_label(t) for t in ("diamond", "platinum", "gold", None)] == [
        "钻石卡", "白金卡", "金卡", "普通客户"]


def test_a_tier_reads_in_english_on_request():
    assert tier_label("gold") == "Gold" and tier_label(None) == "Regular"


VALUES = ("C0000887", "P_DECD", "2026-12-02", "4,138,280.31", "S005")
PIECES = st.one_of(st.sampled_from(VALUES),
                   st.text(alphabet="客户理财产品到期请联系王芳", min_size=1, max_size=12))
BETWEEN = st.sampled_from([" ", "  ", "\n", "，", "客", "（"])


@given(st.lists(st.tuples(PIECES, BETWEEN), max_size=30), st.integers(min_value=16, max_value=90))
def test_every_wrapped_line_fits_and_every_value_stays_whole(pieces, width):
    text = "".join(piece + between for piece, between in pieces)
    lines = [line.plain for line in wrapped(text, width)]
    assert all(cell_len(line) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())  # nothing lost
    joined = "\n".join(lines)
    for value in VALUES:
        assert joined.count(value) == text.count(value), value
