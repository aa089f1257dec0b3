"""Lifecycle commands (SPEC §3): sign, decline, special admission, risk assessment."""

from __future__ import annotations

import typer

from vipcli.cli.options import json_option
from vipcli.cli.options import parse_date as _date
from vipcli.cli.state import CURRENT

risk_app = typer.Typer(
    help="Risk assessments (風險測評): record, invalidate, show.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

TIER_HELP = "Card tier: diamond, platinum or gold."




def _emit_or(as_json: bool, document, render) -> None:
    from vipcli.cli.output import emit_json

    if as_json:
        emit_json(document)
    else:
        render(document)


def sign_cmd(
    customer: str = typer.Argument(..., metavar="CUSTOMER"),
    tier: str = typer.Option(..., "--tier", help=TIER_HELP),
    date: str = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Signing date (default today)."),
    as_json: bool = json_option(),
) -> None:
    """Issue the VIP card: needs a valid risk assessment and the qualified tier (or an approved
    special admission); prints the welcome letter (歡迎信). Manager, branch head or teller.

    Example: vip --as T1 sign C00042 --tier gold
    """
    from vipcli.services.lifecycle.signing import sign

    result = sign(CURRENT.context(), customer, tier, _date(date))

    def render(doc):
        from vipcli.cli.output import console, info

        info(f"{doc['customer_id']} signed as {doc['signed_tier']} from {doc['tier_since']}"
             + (f" (special admission #{doc['admission_id']})" if doc["admission_id"] else ""))
        console().print(doc["letter"], markup=False)

    _emit_or(as_json, result, render)


def decline_cmd(
    customer: str = typer.Argument(..., metavar="CUSTOMER"),
    reason: str = typer.Option(..., "--reason", help="Why the customer does not want VIP service."),
    as_json: bool = json_option(),
) -> None:
    """Mark a customer as declining VIP service: it leaves the follow-up lists (終止跟進).

    Example: vip --as M1 decline C00042 --reason "prefers the private bank"
    """
    from vipcli.services.lifecycle.signing import decline

    result = decline(CURRENT.context(), customer, reason)

    def render(doc):
        from vipcli.cli.output import info

        info(f"{doc['customer_id']} declined ({doc['reason']}); removed from follow-up lists")

    _emit_or(as_json, result, render)


def admit_cmd(
    customer: str = typer.Argument(..., metavar="CUSTOMER"),
    tier: str = typer.Option(..., "--tier", help=TIER_HELP),
    reason: str = typer.Option(..., "--reason", help="Why the customer should be admitted."),
    as_json: bool = json_option(),
) -> None:
    """Open a special admission (特殊準入) request for a tier the customer's ADB12 does not reach.

    Example: vip --as M1 admit C00042 --tier platinum --reason "new business owner, large inflow expected"
    """
    from vipcli.services.lifecycle.admission import admit

    result = admit(CURRENT.context(), customer, tier, reason)

    def render(doc):
        from vipcli.cli.output import info

        info(f"request {doc['id']} opened: {doc['customer_id']} for {doc['tier']}; "
             f"to be decided by {doc['to_be_decided_by']}")

    _emit_or(as_json, result, render)


def approvals_cmd(as_json: bool = json_option()) -> None:
    """List the pending special admissions you may decide (branch head: gold; second-level
    approver: platinum; first-level approver: diamond).

    Example: vip --as AP2 approvals --json
    """
    from vipcli.services.lifecycle.admission import approvals

    items = approvals(CURRENT.context())

    def render(rows):
        from vipcli.cli.output import console, table
        from vipcli.domain.money import money_str_display

        cells = [[r["id"], r["customer_id"], r["name"], r["branch_id"], r["tier"],
                  r["qualified_tier"] or "—", money_str_display(r["adb12"]), r["requested_by"],
                  r["reason"]]
                 for r in rows]
        console().print(table(
            f"Special admissions to decide ({len(rows)})",
            [("id", "right"), "customer", "name", "outlet", "tier", "qualified",
             ("ADB12", "right"), "by", "reason"],
            cells,
        ))

    _emit_or(as_json, items, render)


def approve_cmd(
    request_id: int = typer.Argument(..., metavar="ID"),
    as_json: bool = json_option(),
) -> None:
    """Approve a special admission request (not your own; audited).

    Example: vip --as AP2 approve 7
    """
    from vipcli.services.lifecycle.admission import approve

    result = approve(CURRENT.context(), request_id)
    _emit_or(as_json, result, _decided)


def reject_cmd(
    request_id: int = typer.Argument(..., metavar="ID"),
    reason: str = typer.Option(..., "--reason", help="Why the request is rejected."),
    as_json: bool = json_option(),
) -> None:
    """Reject a special admission request (not your own; audited).

    Example: vip --as AP2 reject 7 --reason "no asset plan"
    """
    from vipcli.services.lifecycle.admission import reject

    result = reject(CURRENT.context(), request_id, reason)
    _emit_or(as_json, result, _decided)


def _decided(doc) -> None:
    from vipcli.cli.output import info

    info(f"request {doc['id']} ({doc['customer_id']}, {doc['tier']}) {doc['status']} "
         f"by {doc['decided_by']}")


@risk_app.command("record")
def risk_record(
    customer: str = typer.Argument(..., metavar="CUSTOMER"),
    level: int = typer.Option(..., "--level", help="1 保守型 … 5 激進型."),
    date: str = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Assessment date (default today)."),
    as_json: bool = json_option(),
) -> None:
    """Record a risk assessment: 1 conservative 保守型, 2 cautious 謹慎型, 3 balanced 穩健型,
    4 growth 進取型, 5 aggressive 激進型; valid for the rules' assessment_valid_days.

    Example: vip --as M1 risk record C00042 --level 3
    """
    from vipcli.services.lifecycle.risk import record_risk

    _emit_or(as_json, record_risk(CURRENT.context(), customer, level, _date(date)), _render_risk)


@risk_app.command("invalidate")
def risk_invalidate(
    customer: str = typer.Argument(..., metavar="CUSTOMER"),
    reason: str = typer.Option(..., "--reason", help="What changed (assets, income, appetite, liabilities)."),
    as_json: bool = json_option(),
) -> None:
    """Invalidate the customer's risk assessment: it must be redone before the next sale or signing.

    Example: vip --as M1 risk invalidate C00042 --reason "sold the business"
    """
    from vipcli.services.lifecycle.risk import invalidate_risk

    _emit_or(as_json, invalidate_risk(CURRENT.context(), customer, reason), _render_risk)


@risk_app.command("show")
def risk_show(
    customer: str = typer.Argument(..., metavar="CUSTOMER"),
    as_json: bool = json_option(),
) -> None:
    """Show the customer's valid risk level and its assessment history.

    Example: vip --as M1 risk show C00042 --json
    """
    from vipcli.services.lifecycle.risk import show_risk

    _emit_or(as_json, show_risk(CURRENT.context(), customer), _render_risk)


def _render_risk(doc) -> None:
    from vipcli.cli.output import console, table

    if doc["risk_level"]:
        head = (f"{doc['customer_id']}: level {doc['risk_level']} {doc['risk_level_label']} "
                f"({doc['risk_level_name']}), valid until {doc['valid_until']}")
    else:
        head = f"{doc['customer_id']}: no valid risk assessment ({doc['status']})"
    rows = [[h["assessed_on"], f"{h['level']} {h['level_label']}", h["valid_until"],
             h["recorded_by"], (f"invalidated: {h['invalidated_reason']}" if h["invalidated_at"] else "")]
            for h in doc["history"]]
    console().print(table(head, ["assessed", "level", "valid until", "by", "note"], rows))


def register(app: typer.Typer) -> None:
    app.command("sign")(sign_cmd)
    app.command("decline")(decline_cmd)
    app.command("admit")(admit_cmd)
    app.command("approvals")(approvals_cmd)
    app.command("approve")(approve_cmd)
    app.command("reject")(reject_cmd)
    app.add_typer(risk_app, name="risk")
