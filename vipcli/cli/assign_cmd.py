"""`vip assign` and `vip handover` (SPEC §2, contract §15): balanced allocation, plans, handover."""

from __future__ import annotations

import typer

from vipcli.cli.options import dry_run_option, json_option
from vipcli.cli.state import CURRENT

BAR_CELLS = 10


def assign_cmd(
    dry_run: bool = dry_run_option("Show the plan; write nothing."),
    rebalance: bool = typer.Option(
        False, "--rebalance", help="Also move the fewest customers needed to balance the loads."
    ),
    plan_out: str = typer.Option(
        None, "--plan-out", metavar="FILE", help="Save the plan for review; write nothing to the database."
    ),
    apply: str = typer.Option(
        None, "--apply", metavar="FILE", help="Apply a saved plan; refused if the book changed since."
    ),
    as_json: bool = json_option(),
) -> None:
    """Give every potential or signed VIP of your outlet one primary manager (and Diamond /
    Platinum customers an advisor), balanced against capacity (branch head).

    Example: vip --as H1 assign --dry-run
    """
    from pathlib import Path

    from vipcli.errors import InvalidInput
    from vipcli.services.allocation import assignment

    ctx = CURRENT.context()
    if apply and (rebalance or plan_out):
        raise InvalidInput("--apply applies a saved plan as it is; it takes no --rebalance or --plan-out")
    if apply:
        doc = assignment.apply_plan(ctx, Path(apply), dry_run=dry_run)
    elif plan_out:
        doc = assignment.save_plan(ctx, Path(plan_out), rebalance=rebalance)
    else:
        doc = assignment.assign(ctx, dry_run=dry_run, rebalance=rebalance)
    _render(doc, as_json, plan_out=plan_out)


def handover_cmd(
    from_id: str = typer.Option(..., "--from", metavar="STAFF_ID", help="The departing or moved member."),
    to_id: str = typer.Option(
        None, "--to", metavar="STAFF_ID", help="The one receiver; omit to balance over eligible staff."
    ),
    dry_run: bool = dry_run_option("Show the handover; write nothing."),
    as_json: bool = json_option(),
) -> None:
    """Hand a departing or moved member's whole book (primary and advisor) to one eligible
    colleague or balanced over the eligible staff, with history and first-contact items.

    Example: vip --as H1 handover --from M3 --to M1
    """
    from vipcli.services.allocation import assignment

    doc = assignment.handover(CURRENT.context(), from_id, to_id, dry_run=dry_run)
    _render(doc, as_json)


def _render(doc: dict, as_json: bool, plan_out: str | None = None) -> None:
    from vipcli.cli.output import console, emit_json, info, table
    from vipcli.domain.money import money_str_display

    if as_json:
        emit_json(doc)
        return
    out = console()
    moves = [
        [m["customer_id"], m.get("tier") or "—", money_str_display(m.get("adb12")), m["role"],
         f"{m['previous_staff_id'] or '(none)'} → {m['staff_id']}", m.get("reason") or ""]
        for m in doc["assignments"]
    ]
    if moves:
        out.print(table(f"Moves at {doc['outlet']}", ["customer", "tier", ("ADB12", "right"), "role",
                                                        "from → to", "why"], moves))
    else:
        info("No changes: every customer already has an eligible holder.")
    loads = [[x["staff_id"], x["role"], _bar(x["load"]), f"{x['load']}/{x['capacity']}"]
             for x in doc["loads"] or []]
    out.print(table("Loads against capacity", ["staff", "role", "load", ("load/capacity", "right")], loads))
    for line in _staffing_lines(doc):
        info(line)
    if plan_out:
        info(f"Plan saved to {plan_out}; review it, then: vip assign --apply {plan_out}")
    elif doc.get("dry_run"):
        info("Dry run: nothing was written.")


def _bar(load: str) -> str:
    filled = min(BAR_CELLS, round(float(load) * BAR_CELLS))
    return "█" * filled + "░" * (BAR_CELLS - filled) + ("+" if float(load) > 1 else "")


def _staffing_lines(doc: dict) -> list[str]:
    lines = []
    names = {"account_managers": "account managers", "advisors": "advisors"}
    for key, gap in (doc.get("staffing") or {}).items():
        line = (f"Staffing: the ratios call for {gap['required']} {names[key]}; "
                f"{gap['available']} active (capacity {gap.get('capacity', '?')}).")
        if gap.get("understaffed"):
            line = f"[red]Understaffed[/red] — {line}"
        lines.append(line)
    if doc.get("overflow"):
        lines.append(f"[red]Over capacity after this plan (took overflow): {', '.join(doc['overflow'])}[/red]")
    if doc.get("unassigned"):
        ids = ", ".join(f"{u['customer_id']} ({u['role']})" for u in doc["unassigned"][:20])
        lines.append(f"[red]No eligible active staff for: {ids}[/red]")
    return lines


def register(app: typer.Typer) -> None:
    app.command("assign")(assign_cmd)
    app.command("handover")(handover_cmd)
