"""§16, 80 columns: every command that prints a table, rendered at 80, 120 and 200 columns
in Simplified Chinese and in English, prints no line wider than the terminal and cuts
nothing.

One demo outlet is built once for the module (`vip quickstart`, then through the CLI a
communication report, an open and a won opportunity, a target, an activity with a referral, a journal
entry, a risk assessment and a pending special admission, so that every table has rows).
Each command of CASES then runs in-process on a fresh copy of it: once with `--json`, and
as text at each width and once at 1000 columns, where nothing needs to wrap — the
reference. At each width:

  (a) no line of stdout or stderr is wider than the terminal (rich.cells.cell_len: a
      Chinese character is two columns);
  (b) no value is cut: no more "…" than in the reference (an ellipsis in the data shows
      there too), and every id, amount (as in the JSON and as displayed, 1,234.50), date
      and month found in the command's --json document appears whole as many times as in
      the reference. A value the screen does not show at all (the JSON holds more than
      the screen) is not this test's business; one cut or wrapped mid-value is.

The acting staff are the demo's (README "A tour by role"): S004 the branch head, S005 an
account manager, S001 the operator, S003 the second-level approver, S015 a lobby manager.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from tests.e2e.inprocess import Ran, command_tree_built_once, invoke, must
from vipcli.domain.money import money_str_display

TODAY = "2026-11-27"
WIDTHS = (80, 120, 200)
REFERENCE = 1000
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@dataclass(frozen=True)
class Case:
    name: str
    args: tuple[str, ...]  # every one of them has --json


def case(name: str, command: str) -> Case:
    return Case(name, tuple(command.split()))


CASES = [
    case("quickstart", "quickstart"),
    case("customers (branch head)", "--as S004 customers --limit 20"),
    case("customers --unassigned", "--as S004 customers --unassigned"),
    case("customers (manager)", "--as S005 customers --limit 20"),
    case("due (manager)", "--as S005 due"),
    case("due (branch head)", "--as S004 due"),
    case("due --staff", "--as S004 due --staff S006"),
    case("due --all", "--as S005 due --all"),
    case("show", "--as S005 show C0000325"),
    case("recommend", "--as S005 recommend C0000325"),
    case("diagnose", "--as S005 diagnose C0000325"),
    case("lobby", "--as S015 lobby C0000325"),
    case("opp list", "--as S005 opp list"),
    case("opp list --outlet", "--as S004 opp list --outlet"),
    case("opp list --by-kind", "--as S004 opp list --by-kind"),
    case("opp show", "--as S005 opp show 1"),
    case("target list", "--as S004 target list"),
    case("segment", "--as S004 segment --limit 20"),
    case("segment --by", "--as S004 segment --by tier,occupation --limit 5"),
    case("activity list", "--as S004 activity list"),
    case("activity referrals", "--as S004 activity referrals"),
    case("journal week", "--as S005 journal week"),
    case("report list", "--as S004 report list"),
    case("report list --unreviewed", "--as S004 report list --unreviewed"),
    case("report show", "--as S004 report show 1"),
    case("report compliance", "--as S004 report compliance --month 2026-11"),
    case("report weekly", "--as S004 report weekly"),
    case("report retention", "--as S004 report retention"),
    case("report retention --month", "--as S004 report retention --month 2026-11"),
    case("customers --lost", "--as S004 customers --lost"),
    case("customer edit", "--as S005 customer edit C0000325 --notes 周末打高尔夫 "
                          "--anniversary 开户纪念日=2010-03-08"),
    case("report complaints", "--as S004 report complaints --month 2026-11"),
    case("report satisfaction", "--as S004 report satisfaction --month 2026-11"),
    case("complaint list", "--as S004 complaint list"),
    case("plan week", "--as S005 plan week"),
    case("plan week --week", "--as S005 plan week --week 2026-W49"),
    case("plan week (branch head)", "--as S004 plan week --week 2026-W49"),
    case("appointment list", "--as S004 appointment list --week 2026-W49"),
    case("approvals", "--as S003 approvals"),
    case("approvals (operator)", "--as S001 approvals"),
    case("assign --dry-run", "--as S004 assign --dry-run"),
    case("assign --dry-run --details", "--as S004 assign --dry-run --details"),
    case("handover --dry-run", "--as S004 handover --from S012 --dry-run"),
    case("risk show", "--as S005 risk show C0000325"),
    case("audit", "--as S001 audit --limit 20"),
    case("config show", "--as S004 config show"),
    case("screen", "--as S001 screen --month 2026-10"),
    case("import --dry-run", f"--as S001 import customers {SAMPLE / 'customers.csv'} --dry-run"),
    case("lead list", "--as S004 lead list"),
    case("lead list --mine", "--as S015 lead list --mine"),
    case("import leads --dry-run", f"--as S001 import leads {SAMPLE / 'leads.csv'} --dry-run"),
]

# The demo's open work: what a morning in the outlet has on the table (README tour).
SETUP = [
    "--as S005 log-contact C0000325 --channel phone --purpose 到期提醒 --summary "
    "双利丰下周到期，客户想要稳健收益，约下周面谈介绍大额存单 --needs 想要稳健收益 "
    "--next 面谈介绍大额存单 --next-date 2026-12-02",
    "--as S005 recommend C0000325 --accept P_DECD",
    "--as S005 opp move 1 proposal --next-action 送产品说明书 --next-date 2026-12-03",
    "--as S005 recommend C0000325 --accept P_DXTZ",
    "--as S005 opp close 2 --won --amount 512345.67",
    "--as S004 target set --week 2026-W48 --contacts 70 --signings 3 --opps-won 5 "
    "--won-amount 2000000",
    "--as S004 activity add --kind salon --title 2027年市场展望暨资产配置沙龙 --date 2026-11-26 "
    "--place 民族支行三楼贵宾室",
    "--as S004 activity invite 1 --customer C0000325",
    "--as S004 activity attend 1 C0000325 --brought 张三:13900001111",
    "--as S005 journal add --kind meeting --text 晨会：本周主推大额存单，重点跟进到期客户",
    "--as S005 risk record C0000325 --level 3",
    "--as S005 admit C0000010 --tier platinum --reason 新增业务，预计三个月内资产达标",
    # §18: a customer file kept, a customer lost
    "--as S005 customer edit C0000325 --interests 宠物、子女教育 --anniversary "
    "结婚纪念日=2001-05-20 --special-period 住院治疗 --until 2026-12-31 --notes 喜欢喝茶",
    # (the demo itself holds a lost customer, complaints, appointments and leads: §18)
    "--as S005 log-contact C0000325 --channel phone --summary 投诉回访 --satisfaction 4",
    "--as S005 log-contact C0000325 --channel meeting --summary 上门拜访 --at 2026-10-12 "
    "--satisfaction 5",
]


@dataclass
class Demo:
    home: Path
    db: Path
    documents: dict[str, Any]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[Demo]:
    root = tmp_path_factory.mktemp("widths")
    with command_tree_built_once(), pytest.MonkeyPatch.context() as mp:
        mp.setenv("VIP_HOME", str(root))
        mp.setenv("VIP_TODAY", TODAY)
        mp.setenv("VIP_LANG", "en")
        for name in ("VIP_DB", "VIP_USER", "VIP_RULES", "XDG_DATA_HOME"):
            mp.delenv(name, raising=False)
        db = root / "demo.db"
        must(db, "quickstart", "--json")
        for command in SETUP:
            must(db, *command.split())  # no value holds a space
        shutil.copy(db, root / "pristine.db")
        yield Demo(root, root / "pristine.db", {})


@pytest.fixture(autouse=True)
def _demo_environment(_isolated_home, monkeypatch, demo):
    monkeypatch.setenv("VIP_HOME", str(demo.home))
    monkeypatch.setenv("VIP_TODAY", TODAY)


def run(demo: Demo, tmp_path: Path, monkeypatch, lang: str, width: int, *args: str) -> Ran:
    """One in-process `vip` at `width` columns on a fresh copy of the demo."""
    from vipcli.cli import output

    db = tmp_path / f"run-{lang}-{width}.db"
    shutil.copy(demo.db, db)
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setattr(output, "_console", None)  # a console is made for its width
    monkeypatch.setattr(output, "_err_console", None)
    if args[0] == "quickstart":
        shutil.copy(demo.db, demo.home / "demo.db")
    return invoke(db, "--lang", lang, *args)


_ID = re.compile(r"[A-Z][A-Z0-9_]{2,15}")
_MONEY = re.compile(r"-?\d+\.\d{2}")
_DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?")


def values(document: Any) -> set[str]:
    """The ids, amounts (as in the JSON and as displayed), dates and months of a document."""
    found: set[str] = set()
    if isinstance(document, dict):
        for value in document.values():
            found |= values(value)
    elif isinstance(document, list):
        for value in document:
            found |= values(value)
    elif isinstance(document, str):
        if _ID.fullmatch(document) and re.search(r"[0-9_]", document):
            found.add(document)
        elif _MONEY.fullmatch(document) and float(document):  # "nothing" may stand for 0.00
            found |= {document, money_str_display(document)}
        elif _DATE.match(document):
            found.add(_DATE.match(document).group(0))  # type: ignore[union-attr]
    return found


def document(demo: Demo, tmp_path: Path, monkeypatch, c: Case) -> Any:
    if c.name not in demo.documents:
        ran = run(demo, tmp_path, monkeypatch, "en", REFERENCE, *c.args, "--json")
        assert ran.code == 0, ran.err
        demo.documents[c.name] = json.loads(ran.out)
    return demo.documents[c.name]


def too_wide(ran: Ran, width: int) -> list[str]:
    return [line for line in (ran.out + ran.err).splitlines() if cell_len(line) > width]


def _params() -> list[Any]:
    return [pytest.param(c, lang, id=f"{c.name}-{lang}")
            for c in CASES for lang in ("zh_CN", "en")]


@pytest.mark.parametrize(("c", "lang"), _params())
def test_every_table_command_is_readable_at_80_120_and_200_columns(demo, tmp_path, monkeypatch, c, lang):
    wanted = values(document(demo, tmp_path, monkeypatch, c))
    reference = run(demo, tmp_path, monkeypatch, lang, REFERENCE, *c.args)
    assert reference.code == 0, reference.err
    found = []
    for width in WIDTHS:
        ran = run(demo, tmp_path, monkeypatch, lang, width, *c.args)
        assert ran.code == 0, (width, ran.err)
        found += problems(ran, width, reference, wanted)
    assert not found, "\n".join(found)


def problems(ran: Ran, width: int, reference: Ran, wanted: set[str]) -> list[str]:
    """(a) lines wider than the terminal, (b) values cut: "…" or a value not whole."""
    text, whole = ran.out + ran.err, reference.out + reference.err
    found = [f"{width}: line of {cell_len(line)} columns: {line!r}" for line in too_wide(ran, width)]
    if text.count("…") > whole.count("…"):
        found.append(f"{width}: a value cut with '…'")
    return found + [f"{width}: {value!r} not whole ({text.count(value)} of {whole.count(value)})"
                    for value in sorted(wanted) if text.count(value) < whole.count(value)]


def test_a_squeezed_table_would_be_caught(demo, tmp_path, monkeypatch):
    """The checks themselves: the plain Rich table vip printed before §16 (columns squeezed
    and cut with "…" at 80 columns) fails them."""
    from rich.table import Table

    from vipcli.cli.views import customers as view

    def squeezed(title, columns, rows):
        tbl = Table(title=title)
        for column in columns:
            tbl.add_column(column if isinstance(column, str) else column[0], no_wrap=True)
        for row in rows:
            tbl.add_row(*("" if cell is None else str(cell) for cell in row))
        return tbl

    c = next(c for c in CASES if c.name == "customers (branch head)")
    wanted = values(document(demo, tmp_path, monkeypatch, c))
    reference = run(demo, tmp_path, monkeypatch, "zh_CN", REFERENCE, *c.args)
    monkeypatch.setattr(view, "table", squeezed)
    found = problems(run(demo, tmp_path, monkeypatch, "zh_CN", 80, *c.args), 80, reference, wanted)
    assert any("…" in p for p in found) and any("not whole" in p for p in found)


def test_the_wide_reference_shows_the_values_of_the_json(demo, tmp_path, monkeypatch):
    """The check above compares with the 1000-column screen: it must show the data at all."""
    c = next(c for c in CASES if c.name == "customers (branch head)")
    wanted = values(document(demo, tmp_path, monkeypatch, c))
    reference = run(demo, tmp_path, monkeypatch, "zh_CN", REFERENCE, *c.args).out
    found = demo.documents[c.name]
    assert len(found) == 20 and {row["customer_id"] for row in found} <= wanted
    assert all(row["customer_id"] in reference and money_str_display(row["adb12"]) in reference
               for row in found)
