"""Who may do what (§13), as one table checked cell by cell through the real `vip` command.

MATRIX below is the whole permission model of the CLI written down once: for every command
that reads or changes customer data, every role and every scope, what `vip` must do.

Scopes (the book a command is aimed at):
  own     the actor's own book: a customer it manages (the advisor: one it advises), its own
          staff id for commands that take `--staff`/`--from`, its own request or report;
  other   another manager's book in the same outlet (M2's, at O001);
  outlet  another outlet's book (M4's, at O002).
A role without a book (operator, approvers) has no "own" customer: those cells are `-`.
Commands that aim at nothing in particular (`segment`, `approvals`, …) have one cell a role.

Outcomes:
  Y  allowed: exit 0, and no customer the actor may not see is named on stdout or in the
     written file (what an allowed command is aimed at is the actor's to see: the lobby's
     walk-in, the teller's card to sign, the approver's request);
  E  allowed, but the scope is out of sight: exit 0 and not one customer named;
  N  refused: exit 1, stdout empty, one line `error: …` on stderr (an import first names the
     refused row), nothing committed to the database (SQLite's data_version), no file made;
  -  no such cell.
Every read-only cell also checks that the database is unchanged (a `--dry-run` writes nothing).

The source of each row is §13 and the decisions in docs/rules.md "Security" and the
module docstring of vipcli.services.core.access; the notes under the table name the rows
that rest on a decision.

One database is built once for the module through the CLI itself (imports, screening, risk
records, contacts, opportunities, admission requests, activities); read-only cells run on
it, writing cells on a fresh copy of the file. Each cell is one in-process `run()` — the
real entry point, with the Typer command tree built once for the module instead of once
per call (Typer rebuilds it from the function signatures on every call: 80% of a call).
SQLite only: the rules are the same on PostgreSQL, the fixture is a file to copy.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.inprocess import Ran, Watch, command_tree_built_once, invoke, must
from tests.factories import write_csv

TODAY = "2026-11-27"

# -- the organisation ---------------------------------------------------------------------

BRANCHES = [
    ("B01", "廣西分行", "", 1),
    ("B0101", "南寧分行", "B01", 2),
    ("O001", "民族支行", "B0101", 3),
    ("O002", "青秀支行", "B0101", 3),
]
# Staff of every role in both outlets; the operators and approvers sit at branches.
STAFF = [
    ("OP1", "朱操作", "operator", "B01"),
    ("OP2", "錢操作", "operator", "B01"),
    ("AP1", "馬審批", "approver_l1", "B01"),
    ("AP2", "孫審批", "approver_l2", "B0101"),
    ("H1", "王主任", "branch_head", "O001"),
    ("M1", "李經理", "account_manager", "O001"),
    ("M2", "張經理", "account_manager", "O001"),
    ("M3", "劉經理", "account_manager", "O001"),
    ("A1", "楊顧問", "advisor", "O001"),
    ("L1", "黃大堂", "lobby_manager", "O001"),
    ("T1", "趙柜員", "teller", "O001"),
    ("H2", "周主任", "branch_head", "O002"),
    ("M4", "吳經理", "account_manager", "O002"),
    ("A2", "鄭顧問", "advisor", "O002"),
    ("L2", "徐大堂", "lobby_manager", "O002"),
    ("T2", "何柜員", "teller", "O002"),
]
# The acting staff member of each role (the column order of MATRIX).
ACTORS = {
    "operator": "OP1",
    "approver_l1": "AP1",
    "approver_l2": "AP2",
    "branch_head": "H1",
    "account_manager": "M1",
    "advisor": "A1",
    "lobby_manager": "L1",
    "teller": "T1",
}
ROLE_OF = {staff_id: role for staff_id, _, role, _ in STAFF}
BRANCH_OF = {staff_id: branch for staff_id, _, _, branch in STAFF}

# Each book: its main customer (gold-qualified, risk-assessed, one contact with its report,
# one opportunity), a customer with a pending gold admission and one with a pending
# platinum admission — all opened by the book's holder.
BOOKS = {
    "M1": ("C101", "C121", "C141"),
    "H1": ("C102", "C122", "C142"),
    "L1": ("C103", "C123", "C143"),
    "T1": ("C104", "C124", "C144"),
    "A1": ("C105", "C125", "C145"),  # advised by A1, managed by M3
    "M2": ("C106", "C126", "C146"),
    "M4": ("C201", "C221", "C241"),  # the other outlet: managed by M4, advised by A2
}
MANAGER_OF_BOOK = {"A1": "M3"}
ADVISOR_OF_BOOK = {"A1": "A1", "M4": "A2"}
SCOPE_OWNER = {"other": "M2", "outlet": "M4"}  # "own" is the actor itself
CUSTOMER_ID = re.compile(r"\bC\d{3}\b")


def outlet_of_book(owner: str) -> str:
    return BRANCH_OF[owner]


# -- the table ----------------------------------------------------------------------------

ROLE_HEADS = {"OP": "operator", "AP1": "approver_l1", "AP2": "approver_l2", "BH": "branch_head",
              "AM": "account_manager", "ADV": "advisor", "LOB": "lobby_manager", "TEL": "teller"}

# One line a command: its name, what its scope is aimed at, then one entry a role — three
# letters (own, other, outlet) for a scoped command, one for an unscoped one.
MATRIX = """
command                 aim       OP   AP1  AP2  BH   AM   ADV  LOB  TEL
# -- customers and their profile (§13 who sees what; reveal: own manager and branch head)
customers               -         N    N    N    Y    Y    Y    Y    Y
customers --staff       staff     NNN  NNN  NNN  YYE  YNN  YNN  YNN  YNN
customers --reveal      staff     NNN  NNN  NNN  YYE  YNN  NNN  YNN  YNN
show                    customer  -NN  -NN  -NN  YYN  YNN  YNN  YNN  YNN
show --reveal           customer  -NN  -NN  -NN  YYN  YNN  NNN  YNN  YNN
segment                 -         Y    Y    Y    Y    Y    Y    Y    Y
lobby                   customer  -NN  -NN  -NN  YYY  NNN  NNN  YYY  NNN
# -- the morning list and contacts (§5, §6)
due                     -         N    N    N    Y    Y    Y    Y    Y
due --staff             staff     NNN  NNN  NNN  YYN  YNN  YNN  YNN  YNN
log-contact             customer  -NN  -NN  -NN  YYN  YNN  YNN  YNN  YNN
report list             staff     NNN  NNN  NNN  YYE  YNN  YNN  YNN  YNN
report review           report    -NN  -NN  -NN  YYN  NNN  NNN  NNN  NNN
report compliance       -         N    N    N    Y    Y    Y    Y    Y
# -- sales (§7, §8): recommendations, opportunities, targets, the weekly review
recommend               customer  -NN  -NN  -NN  YYN  YNN  YNN  YNN  YNN
opp add                 customer  -NN  -NN  -NN  YYN  YNN  YNN  YNN  YNN
opp list --staff        staff     NNN  NNN  NNN  YYN  YNN  YNN  YNN  YNN
opp list --outlet       -         N    N    N    Y    N    N    N    N
opp show                opp       -NN  -NN  -NN  YYN  YNN  YNN  YNN  YNN
opp move                opp       -NN  -NN  -NN  YYN  YNN  NNN  YNN  YNN
opp close               opp       -NN  -NN  -NN  YYN  YNN  NNN  YNN  YNN
target set              staff     NNN  NNN  NNN  YYN  NNN  NNN  NNN  NNN
target list             -         Y    Y    Y    Y    Y    Y    Y    Y
report weekly           -         N    N    N    Y    Y    Y    Y    Y
# -- the lifecycle (§3): signing, declining, special admission, risk assessment
sign                    customer  -NN  -NN  -NN  YYN  YNN  NNN  YNN  YYN
decline                 customer  -NN  -NN  -NN  YYN  YNN  YNN  YNN  YNN
admit                   customer  -NN  -NN  -NN  YYN  YNN  YNN  YNN  YNN
approvals               -         Y    Y    Y    Y    N    N    N    N
approve gold            gold      -NN  -NN  -NN  NYN  NNN  NNN  NNN  NNN
approve platinum        platinum  -NN  -NN  -YY  NNN  NNN  NNN  NNN  NNN
reject gold             gold      -NN  -NN  -NN  NYN  NNN  NNN  NNN  NNN
risk record             customer  -NN  -NN  -NN  YYN  YNN  YNN  YNN  YNN
risk invalidate         customer  -NN  -NN  -NN  YYN  YNN  YNN  YNN  YNN
risk show               customer  -NN  -NN  -NN  YYN  YNN  YNN  YNN  YNN
# -- allocation (§2): the branch head's, for its own outlet
assign                  -         N    N    N    Y    N    N    N    N
handover                staff     NNN  NNN  NNN  YYN  NNN  NNN  NNN  NNN
# -- the routine (§4, §10, §11)
activity add            -         N    N    N    Y    Y    N    N    N
activity list           -         Y    Y    Y    Y    Y    Y    Y    Y
activity invite         customer  -NN  -NN  -NN  YYN  YNN  NNN  NNN  NNN
activity attend         customer  -NN  -NN  -NN  YYN  YNN  NNN  NNN  NNN
activity referrals      -         Y    Y    Y    Y    Y    Y    Y    Y
journal add             -         Y    Y    Y    Y    Y    Y    Y    Y
journal week            staff     YNN  YNN  YNN  YYN  YNN  YNN  YNN  YNN
report retention        -         Y    Y    Y    Y    Y    Y    Y    Y
# -- the relationship work (§18)
customer edit           customer  -NN  -NN  -NN  YYN  YNN  NNN  YNN  YNN
customer lost           customer  -NN  -NN  -NN  YYN  YNN  NNN  YNN  YNN
appointment add         customer  -NN  -NN  -NN  YYN  YNN  YNN  YNN  YNN
appointment list        -         E    E    E    Y    Y    Y    Y    Y
plan week               -         N    N    N    Y    Y    Y    Y    Y
complaint add           customer  -NN  -NN  -NN  YYN  YNN  YNN  YYN  YYN
complaint list          -         N    N    N    Y    Y    Y    Y    Y
report complaints       -         N    N    N    Y    Y    Y    Y    Y
report satisfaction     -         N    N    N    Y    Y    Y    Y    Y
diagnose                customer  -NN  -NN  -NN  YYN  YNN  YNN  YNN  YNN
lead add                -         N    N    N    Y    Y    Y    Y    Y
lead list               -         N    N    N    Y    Y    Y    Y    Y
# -- exports (§12): masked, audited, the listing's own scope
export customers        staff     NNN  NNN  NNN  YYE  YNN  YNN  YNN  YNN
export due              staff     NNN  NNN  NNN  YYN  YNN  YNN  YNN  YNN
export opportunities    staff     NNN  NNN  NNN  YYN  YNN  YNN  YNN  YNN
export weekly           -         N    N    N    Y    Y    Y    Y    Y
# -- administration (§13): imports, screening, the audit log, backups
screen                  -         Y    N    N    Y    N    N    N    N
import customers        customer  -YY  -NN  -NN  YYN  NNN  NNN  NNN  NNN
import assets           customer  -YY  -NN  -NN  YYN  NNN  NNN  NNN  NNN
import staff            staff     YYY  NNN  NNN  NYN  NNN  NNN  NNN  NNN
import staff as head    staff     NYY  NNN  NNN  NNN  NNN  NNN  NNN  NNN
import branches         -         Y    N    N    N    N    N    N    N
import products         -         Y    N    N    N    N    N    N    N
audit                   -         Y    N    N    Y    N    N    N    N
audit --customer        customer  -YY  -NN  -NN  YYE  NNN  NNN  NNN  NNN
audit verify            -         Y    N    N    Y    N    N    N    N
backup                  -         Y    N    N    N    N    N    N    N
restore                 -         Y    N    N    N    N    N    N    N
"""

# Why a row reads as it does where the spec is silent (docs/rules.md):
# - customers/report list/export customers --staff <another outlet's staff> by a branch head:
#   the list is the outlet's narrowed to that person, so it is empty (E); `due --staff`,
#   `opp list --staff`, `journal week --staff` refuse a person of another outlet instead.
# - segment, target list, activity list/referrals, report retention, journal: everyone may run
#   them; each shows only what the actor sees (an operator or approver: nothing).
# - sign: a teller of the customer's outlet may sign any of its customers (tellers issue cards).
# - approve/reject gold: the branch head of the customer's outlet, never its own request (its
#   own book's request was opened by itself: N); platinum: approver_l2 above the outlet.
# - opp move/close: the owner, the customer's manager or the branch head — not the advisor.
# - import staff/own changes the actor's own capacity: a branch head may not change itself
#   (§13); an operator may, short of its own role or active flag (docs/rules.md "Scope of
#   imports"). "import staff as head" grants branch_head: never a branch head's to give,
#   nobody's to give itself; the operator's grant to another is accepted and waits for a
#   second operator (maker-checker, checked with `vip approvals`/`approve` elsewhere).
# - customer edit/lost: the customer's manager (whatever its role) or the branch head; not
#   the advisor, who is told who may (§18 "the customer's manager (or the branch head)").
# - appointment add, diagnose: the customer's manager or advisor, or the branch head.
# - complaint add: the lobby managers and tellers of the customer's outlet take complaints
#   about any of its customers; the managers and advisors their own (docs/rules.md
#   "Complaints"). The operator and the approvers belong to no outlet: lead add/list,
#   complaint list, plan week and the §18 reports are refused to them; `appointment list`
#   lists the ones they take part in (none: E).
# - backup and restore: the operator only (the copy holds every outlet, §13); audit:
#   operator or branch head, the branch head its own outlet's entries only (§13).
# - The rows for imports aim at the record held: a row naming the actor's own outlet for a
#   customer or staff member of another outlet is refused (§13 "before and after").

WRITES = {
    "customers --reveal", "show --reveal", "lobby", "log-contact", "report review", "opp add",
    "opp move", "opp close", "target set", "sign", "decline", "admit", "approve gold",
    "approve platinum", "reject gold", "risk record", "risk invalidate", "activity add",
    "activity invite", "activity attend", "journal add", "export customers", "export due",
    "export opportunities", "export weekly", "screen", "audit", "audit --customer", "backup",
    "restore", "customer edit", "customer lost", "appointment add", "complaint add",
    "diagnose", "lead add",
}


@dataclass(frozen=True)
class Cell:
    number: int
    command: str
    aim: str
    role: str
    scope: str | None
    expected: str

    @property
    def actor(self) -> str:
        return ACTORS[self.role]

    @property
    def owner(self) -> str | None:
        """Whose book the cell aims at (None: unscoped)."""
        if self.scope is None:
            return None
        return self.actor if self.scope == "own" else SCOPE_OWNER[self.scope]


def parse_matrix(text: str) -> list[Cell]:
    lines = [line for line in text.strip().splitlines() if not line.startswith("#")]
    heads = lines[0].split()[2:]
    roles = [ROLE_HEADS[h] for h in heads]
    cells: list[Cell] = []
    for line in lines[1:]:
        parts = line.split()
        entries, aim = parts[-len(roles):], parts[-len(roles) - 1]
        command = " ".join(parts[: -len(roles) - 1])
        for role, entry in zip(roles, entries, strict=True):
            if aim == "-":
                assert len(entry) == 1, line
                cells.append(Cell(0, command, aim, role, None, entry))
                continue
            assert len(entry) == 3, line
            for scope, outcome in zip(("own", "other", "outlet"), entry, strict=True):
                if outcome != "-":
                    cells.append(Cell(0, command, aim, role, scope, outcome))
    return [Cell(i, c.command, c.aim, c.role, c.scope, c.expected) for i, c in enumerate(cells, 1)]


CELLS = parse_matrix(MATRIX)
COMMANDS = sorted({c.command for c in CELLS})


def cell_id(cell: Cell) -> str:
    where = f"-{cell.scope}" if cell.scope else ""
    return f"{cell.number}of{len(CELLS)}-{cell.command.replace(' ', '_')}-{cell.role}{where}-{cell.expected}"


# -- running vip ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _fast_typer():
    with command_tree_built_once():
        yield


@dataclass
class Outlets:
    """The module's database and the ids the cells aim at."""

    db: Path
    requests: dict[str, int]  # customer → its pending admission request
    opportunities: dict[str, int]  # main customer → its opportunity
    reports: dict[str, int]  # main customer → its communication report
    activity: dict[str, int]  # outlet → its activity
    sees: dict[str, set[str]]  # staff → the customers it may be shown
    backup: Path  # a backup of the database (for `vip restore`)


def _environment(mp: pytest.MonkeyPatch, home: Path) -> None:
    mp.setenv("VIP_HOME", str(home))
    mp.setenv("VIP_TODAY", TODAY)
    for name in ("VIP_DB", "VIP_USER", "VIP_RULES", "XDG_DATA_HOME"):
        mp.delenv(name, raising=False)


def _customer_rows() -> list[list[object]]:
    rows: list[list[object]] = []
    for owner, ids in BOOKS.items():
        manager = MANAGER_OF_BOOK.get(owner, owner)
        for cid in ids:
            rows.append([cid, f"客戶{cid}", "M", "1970-06-15", "solar", f"13800000{cid[1:]}",
                         f"11010119700615{cid[1:]}1", "executive", "value", "phone",
                         outlet_of_book(owner), "", "", manager, "lobby_lead"])
    return rows


def _build(db: Path, files: Path) -> None:
    write_csv(files / "branches.csv", ["branch_id", "name", "parent_id", "level"],
              [list(b) for b in BRANCHES])
    write_csv(files / "staff.csv", ["staff_id", "name", "role", "branch_id", "capacity", "active"],
              [[*s, "1.00", "true"] for s in STAFF])
    must(db, "import", "branches", str(files / "branches.csv"))
    must(db, "import", "staff", str(files / "staff.csv"))
    write_csv(files / "customers.csv",
              ["customer_id", "name", "gender", "birth_date", "birthday_calendar", "phone",
               "id_number", "occupation", "orientation", "preferred_channel", "branch_id", "tier",
               "tier_since", "manager_id", "source"], _customer_rows())
    must(db, "--as", "OP1", "import", "customers", str(files / "customers.csv"))
    months = [f"2025-{m:02d}" for m in (11, 12)] + [f"2026-{m:02d}" for m in range(1, 11)]
    write_csv(files / "assets.csv", ["customer_id", "month", "avg_daily_assets"],
              [[main, month, "150000.00"] for main, _, _ in BOOKS.values() for month in months])
    must(db, "--as", "OP1", "import", "assets", str(files / "assets.csv"))
    must(db, "--as", "OP1", "screen", "--month", "2026-10")
    # Advisors are attached by `vip assign` to Diamond and Platinum customers; here directly.
    conn = sqlite3.connect(db)
    with conn:
        for owner, advisor in ADVISOR_OF_BOOK.items():
            conn.executemany("UPDATE customers SET advisor_id = ? WHERE customer_id = ?",
                             [(advisor, cid) for cid in BOOKS[owner]])
    conn.close()
    for owner, (main, gold, platinum) in BOOKS.items():
        must(db, "--as", owner, "risk", "record", main, "--level", "3", "--date", "2026-11-01")
        must(db, "--as", owner, "log-contact", main, "--channel", "phone", "--at", "2026-11-20",
             "--summary", "call", "--key-points", "funds", "--needs", "income",
             "--next", "call back", "--next-date", "2026-12-05")
        must(db, "--as", owner, "opp", "add", main)
        must(db, "--as", owner, "admit", gold, "--tier", "gold", "--reason", "inflow due")
        must(db, "--as", owner, "admit", platinum, "--tier", "platinum", "--reason", "inflow due")
    for head in ("H1", "H2"):
        must(db, "--as", head, "activity", "add", "--kind", "salon", "--title", "市場展望",
             "--date", "2026-11-20")


def _ids(db: Path) -> tuple[dict[str, int], dict[str, int], dict[str, int], dict[str, int]]:
    conn = sqlite3.connect(db)
    try:
        requests = dict(conn.execute("SELECT customer_id, id FROM admission_requests"))
        opportunities = dict(conn.execute("SELECT customer_id, id FROM opportunities"))
        reports = dict(conn.execute(
            "SELECT c.customer_id, r.id FROM communication_reports r "
            "JOIN contacts c ON c.id = r.contact_id"))
        activity = {b: i for i, b in conn.execute("SELECT id, branch_id FROM activities")}
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return requests, opportunities, reports, activity


def _sight() -> dict[str, set[str]]:
    """The customers each actor may be shown (§13): its book; the branch head its outlet; the
    operator, who runs imports, screening and the audit log, every one; an approver the
    customers of the requests of its level (every outlet here sits below its branch) — for
    AP2 also the branch head's own Gold request, which goes one level up (§3)."""
    every = {cid for ids in BOOKS.values() for cid in ids}
    sees: dict[str, set[str]] = {"OP1": every, "AP1": set(),
                                 "AP2": {ids[2] for ids in BOOKS.values()} | {BOOKS["H1"][1]}}
    sees["H1"] = {cid for owner, ids in BOOKS.items() if outlet_of_book(owner) == "O001"
                  for cid in ids}
    for staff_id in ("M1", "A1", "L1", "T1"):
        sees[staff_id] = set(BOOKS[staff_id])
    return sees


@pytest.fixture(scope="module")
def outlets(tmp_path_factory, _fast_typer) -> Outlets:
    root = tmp_path_factory.mktemp("matrix")
    with pytest.MonkeyPatch.context() as mp:
        _environment(mp, root / "home")
        db = root / "vip.db"
        _build(db, root)
        requests, opportunities, reports, activity = _ids(db)
        must(db, "--as", "OP1", "backup", str(root / "backup.db"))
        _ids(db)  # checkpointed again: a copy of the file is the whole database
    return Outlets(db, requests, opportunities, reports, activity, _sight(), root / "backup.db")


@pytest.fixture(autouse=True)
def _pinned_day(_isolated_home, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", TODAY)


# -- the commands ---------------------------------------------------------------------------


def target_of(cell: Cell, world: Outlets) -> str | None:
    """What the cell's command is pointed at: a customer, a staff id, a request, …"""
    owner = cell.owner
    if owner is None:
        return None
    if cell.aim == "staff":
        return owner
    main, gold, platinum = BOOKS[owner]
    return {
        "customer": main,
        "gold": str(world.requests[gold]),
        "platinum": str(world.requests[platinum]),
        "opp": str(world.opportunities.get(main)),
        "report": str(world.reports.get(main)),
    }[cell.aim]


def aimed_customer(cell: Cell) -> str | None:
    if cell.owner is None or cell.aim == "staff":
        return None
    main, gold, platinum = BOOKS[cell.owner]
    return {"gold": gold, "platinum": platinum}.get(cell.aim, main)


def import_file(cell: Cell, target: str | None, work: Path) -> Path:
    """A one-row extract aimed at the record held: it names the actor's own outlet (O001)."""
    if cell.command == "import customers":
        return write_csv(work / "customers.csv", ["customer_id", "name", "branch_id", "manager_id"],
                         [[target, f"客戶{target}", "O001", "M1"]])
    if cell.command == "import assets":
        return write_csv(work / "assets.csv", ["customer_id", "month", "avg_daily_assets"],
                         [[target, "2026-10", "150001.00"]])
    if cell.command in ("import staff", "import staff as head"):
        assert target is not None
        role = "branch_head" if cell.command.endswith("as head") else ROLE_OF[target]
        branch = BRANCH_OF[target] if target == cell.actor else "O001"
        return write_csv(work / "staff.csv", ["staff_id", "name", "role", "branch_id", "capacity"],
                         [[target, "某員工", role, branch, "0.50"]])
    if cell.command == "import branches":
        return write_csv(work / "branches.csv", ["branch_id", "name", "parent_id", "level"],
                         [["O003", "新網點", "B0101", 3]])
    return write_csv(work / "products.csv", ["product_code", "name", "category"],
                     [["P_NEW", "新產品", "deposit"]])


def argv(cell: Cell, world: Outlets, work: Path) -> list[str]:
    t = target_of(cell, world)
    out = str(work / "out.file")
    activity = str(world.activity.get(BRANCH_OF[cell.actor], world.activity["O001"]))
    commands: dict[str, list[str]] = {
        "customers": ["customers", "--json"],
        "customers --staff": ["customers", "--staff", f"{t}", "--json"],
        "customers --reveal": ["customers", "--staff", f"{t}", "--reveal", "--json"],
        "show": ["show", f"{t}", "--json"],
        "show --reveal": ["show", f"{t}", "--reveal", "--json"],
        "segment": ["segment", "--json"],
        "lobby": ["lobby", f"{t}", "--json"],
        "due": ["due", "--json"],
        "due --staff": ["due", "--staff", f"{t}", "--json"],
        "log-contact": ["log-contact", f"{t}", "--channel", "phone", "--summary", "call",
                        "--key-points", "k", "--needs", "n", "--next", "p",
                        "--next-date", "2026-12-01", "--json"],
        "report list": ["report", "list", "--staff", f"{t}", "--json"],
        "report review": ["report", "review", f"{t}", "--comment", "good", "--json"],
        "report compliance": ["report", "compliance", "--json"],
        "recommend": ["recommend", f"{t}", "--json"],
        "opp add": ["opp", "add", f"{t}", "--json"],
        "opp list --staff": ["opp", "list", "--staff", f"{t}", "--json"],
        "opp list --outlet": ["opp", "list", "--outlet", "--json"],
        "opp show": ["opp", "show", f"{t}", "--json"],
        "opp move": ["opp", "move", f"{t}", "contacted", "--json"],
        "opp close": ["opp", "close", f"{t}", "--lost", "--reason", "elsewhere", "--json"],
        "target set": ["target", "set", "--staff", f"{t}", "--week", "2026-W48",
                       "--contacts", "5", "--json"],
        "target list": ["target", "list", "--json"],
        "report weekly": ["report", "weekly", "--week", "2026-W48", "--json"],
        "sign": ["sign", f"{t}", "--tier", "gold", "--json"],
        "decline": ["decline", f"{t}", "--reason", "prefers another bank", "--json"],
        "admit": ["admit", f"{t}", "--tier", "platinum", "--reason", "inflow", "--json"],
        "approvals": ["approvals", "--json"],
        "approve gold": ["approve", f"{t}", "--json"],
        "approve platinum": ["approve", f"{t}", "--json"],
        "reject gold": ["reject", f"{t}", "--reason", "no evidence", "--json"],
        "risk record": ["risk", "record", f"{t}", "--level", "4", "--json"],
        "risk invalidate": ["risk", "invalidate", f"{t}", "--reason", "sold the business",
                            "--json"],
        "risk show": ["risk", "show", f"{t}", "--json"],
        "assign": ["assign", "--dry-run", "--json"],
        "handover": ["handover", "--from", f"{t}", "--dry-run", "--json"],
        "activity add": ["activity", "add", "--kind", "salon", "--title", "茶敘",
                         "--date", "2026-12-20", "--json"],
        "activity list": ["activity", "list", "--json"],
        "activity invite": ["activity", "invite", activity, "--customer", f"{t}", "--json"],
        "activity attend": ["activity", "attend", activity, f"{t}", "--json"],
        "activity referrals": ["activity", "referrals", "--json"],
        "journal add": ["journal", "add", "--kind", "memo", "--text", "周五前交商機表", "--json"],
        "journal week": ["journal", "week", "--week", "2026-W48", "--staff", f"{t}", "--json"],
        "report retention": ["report", "retention", "--json"],
        "export customers": ["export", "customers", "--staff", f"{t}", "--output", out],
        "export due": ["export", "due", "--staff", f"{t}", "--output", out],
        "export opportunities": ["export", "opportunities", "--staff", f"{t}", "--output", out],
        "export weekly": ["export", "weekly", "--week", "2026-W48", "--output", out],
        "screen": ["screen", "--month", "2026-10", "--json"],
        "audit": ["audit", "--json"],
        "audit --customer": ["audit", "--customer", f"{t}", "--json"],
        "audit verify": ["audit", "verify", "--json"],
        "customer edit": ["customer", "edit", f"{t}", "--interests", "高爾夫", "--json"],
        "customer lost": ["customer", "lost", f"{t}", "--reason", "轉到他行", "--json"],
        "appointment add": ["appointment", "add", f"{t}", "--at", "2026-12-02 10:00",
                            "--json"],
        "appointment list": ["appointment", "list", "--json"],
        "plan week": ["plan", "week", "--json"],
        "complaint add": ["complaint", "add", f"{t}", "--text", "排隊太久", "--json"],
        "complaint list": ["complaint", "list", "--json"],
        "report complaints": ["report", "complaints", "--json"],
        "report satisfaction": ["report", "satisfaction", "--json"],
        "diagnose": ["diagnose", f"{t}", "--json"],
        "lead add": ["lead", "add", "--name", "某客", "--phone", "13900012345", "--json"],
        "lead list": ["lead", "list", "--json"],
        "backup": ["backup", out],
        "restore": ["restore", str(world.backup), "--json"],
    }
    if cell.command.startswith("import "):
        kind = cell.command.split()[1]
        return ["import", kind, str(import_file(cell, t, work)), "--dry-run"]
    return commands[cell.command]


# -- the checks -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [f"{len(COMMANDS)}commands-{len(ACTORS)}roles-{len(CELLS)}cells"])
def test_the_matrix_covers_every_role_and_every_command(size):
    """Every role has a cell in every row, and a scoped row speaks of the other outlet."""
    assert WRITES <= set(COMMANDS)
    for command in COMMANDS:
        cells = [c for c in CELLS if c.command == command]
        assert {c.role for c in cells} == set(ACTORS), command
        if cells[0].scope is not None:
            assert {c.role for c in cells if c.scope == "outlet"} == set(ACTORS), command
    wanted = {"customers", "show", "due", "log-contact", "assign", "handover", "recommend",
              "opp add", "opp list --staff", "sign", "decline", "admit", "approve gold",
              "risk record", "risk show", "lobby", "segment", "export customers",
              "report review", "report weekly", "report retention", "report compliance",
              "activity attend", "journal week", "audit", "screen", "import customers"}
    assert wanted <= set(COMMANDS)


@pytest.mark.parametrize("cell", CELLS, ids=cell_id)
def test_permission(cell: Cell, outlets: Outlets, tmp_path: Path, monkeypatch) -> None:
    # the module's key (§13): phones are sealed with it, a lead's too
    monkeypatch.setenv("VIP_KEY_FILE", str(outlets.db.parent / "home" / "vip.key"))
    writes = cell.command in WRITES
    db = outlets.db
    if writes:
        db = tmp_path / "vip.db"
        shutil.copyfile(outlets.db, db)
    args = argv(cell, outlets, tmp_path)
    watch = Watch(db)
    ran = invoke(db, "--as", cell.actor, *args)
    changed = watch.changed()
    out_file = tmp_path / "out.file"
    if cell.expected == "N":
        _assert_refused(cell, ran)
        assert not changed, "a refused command changed the database"
        assert not out_file.exists(), "a refused command wrote its file"
        return
    assert ran.code == 0, f"{cell.command} by {cell.actor} ({cell.scope}): {ran.err}"
    assert writes or not changed, "a read-only command (or a dry run) changed the database"
    shown = ran.out + (_file_text(out_file) if out_file.exists() and "backup" not in args else "")
    named = set(CUSTOMER_ID.findall(shown))
    if cell.expected == "E":
        assert named == set(), f"{cell.command} by {cell.actor} named {sorted(named)}"
        return
    # What an allowed command is aimed at is the actor's to see (the lobby's walk-in, the
    # teller's card to sign, the approver's request).
    may = outlets.sees[cell.actor] | {aimed_customer(cell)} - {None}
    assert named <= may, f"{cell.command} by {cell.actor} showed {sorted(named - may)}"


def _assert_refused(cell: Cell, ran: Ran) -> None:
    where = f"{cell.command} by {cell.actor} ({cell.scope})"
    assert ran.code == 1, f"{where}: exit {ran.code}, expected a refusal; {ran.err or ran.out}"
    assert ran.out == "", f"{where}: printed {ran.out!r}"
    lines = ran.err.strip().splitlines()
    assert lines and lines[-1].startswith("error: "), f"{where}: {ran.err!r}"
    assert "Traceback" not in ran.err
    # An import names the refused row on its own line first (§12); everything else: one line.
    assert len(lines) <= (2 if cell.command.startswith("import ") else 1), f"{where}: {ran.err!r}"
    if len(lines) == 2:
        assert " row 2" in lines[0], f"{where}: {ran.err!r}"


def _file_text(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"PK":  # xlsx
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True).active
        return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row)
    return data.decode("utf-8-sig")
