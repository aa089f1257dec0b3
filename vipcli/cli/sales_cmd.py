"""Raising customer value (SPEC §7, §8): `vip recommend`, `vip opp`, `vip target`,
`vip report weekly`, `vip export`. Thin commands: parse, call one service, render."""

from __future__ import annotations

import typer

from vipcli.cli.groups import report_app
from vipcli.cli.options import json_option
from vipcli.cli.options import parse_date as _date
from vipcli.cli.state import CURRENT
from vipcli.domain.money import money_str_display as _money

opp_app = typer.Typer(help="Opportunities (商機): lead → contacted → needs_identified → proposal → won | lost.",
                      no_args_is_help=True, rich_markup_mode=None)
target_app = typer.Typer(help="Weekly and monthly targets of the outlet and its managers.",
                         no_args_is_help=True, rich_markup_mode=None)




def _fen(text: str | None, option: str) -> int | None:
    from vipcli.domain.money import parse_yuan
    from vipcli.errors import InvalidInput

    if text is None:
        return None
    try:
        return parse_yuan(text)
    except ValueError as exc:
        raise InvalidInput(f"{option}: {exc}") from None


def recommend_cmd(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help="Customer id."),
    accept: str = typer.Option(None, "--accept", metavar="CODE",
                               help="Open an opportunity from this idea (a product code, or "
                                    "portfolio / circle)."),
    as_json: bool = json_option(),
) -> None:
    """Rank product ideas (repeat, cross, up, portfolio, circle) with reasons and suitability.

    Example: vip --as M1 recommend C000123 --accept P_WSYH
    """
    from vipcli.cli.output import console, emit_json, info, table
    from vipcli.services.sales.recommend import recommend

    doc = recommend(CURRENT.context(), customer, accept=accept)
    if as_json:
        emit_json(doc)
        return
    risk = (f"risk level {doc['risk_level_label']}, valid until {doc['risk_valid_until']}"
            if doc["risk_level"] else "no valid risk assessment")
    rows = [[i["rank"], i["kind"], i["product_code"] or "—", i["name"] or "", i["reason"]]
            for i in doc["ideas"]]
    console().print(table(f"Ideas for {doc['customer_id']} {doc['name']} ({risk})",
                          ["#", "kind", "product", "name", "reason"], rows))
    if doc["blocked"]:
        rows = [[b["product_code"], b["name"], b["kind"], b["reason"]] for b in doc["blocked"]]
        console().print(table("Held back (suitability)", ["product", "name", "kind", "reason"], rows))
    if "accepted" in doc:
        a = doc["accepted"]
        info(f"opened opportunity {a['opportunity_id']} ({a['kind']}"
             f"{', ' + a['product_code'] if a['product_code'] else ''}) owned by {a['owner_id']}")


def _print_opportunity(doc: dict) -> None:
    from vipcli.cli.output import console, info, table

    info(f"opportunity {doc['id']}: {doc['customer_id']} {doc['customer_name']} — {doc['stage']}"
         f" (owner {doc['owner_id']})")
    rows = [[h["at"], h["from"] or "", h["to"], h["by"] or "", h["note"] or ""]
            for h in doc.get("history", [])]
    console().print(table("Stage history", ["at", "from", "to", "by", "note"], rows))


@opp_app.command("add")
def opp_add(
    customer: str = typer.Argument(..., metavar="CUSTOMER"),
    product: str = typer.Option(None, "--product", metavar="CODE", help="Product code."),
    amount: str = typer.Option(None, "--amount", metavar="YUAN", help="Expected amount in CNY."),
    next_action: str = typer.Option(None, "--next-action", help="What to do next."),
    next_date: str = typer.Option(None, "--next-date", metavar="DATE", help="When (feeds vip due)."),
    stage: str = typer.Option("lead", "--stage", help="Starting stage."),
    as_json: bool = json_option(),
) -> None:
    """Open an opportunity for a customer you look after (owner: you, or its manager).

    Example: vip --as M1 opp add C000123 --product P_DECD --amount 500000 --next-date 2026-12-02
    """
    from vipcli.cli.output import emit_json
    from vipcli.services.sales import opportunities

    doc = opportunities.add(CURRENT.context(), customer, product_code=product,
                            expected_amount_fen=_fen(amount, "--amount"), next_action=next_action,
                            next_date=_date(next_date, "--next-date"), stage=stage)
    emit_json(doc) if as_json else _print_opportunity(doc)


@opp_app.command("list")
def opp_list(
    staff: str = typer.Option(None, "--staff", metavar="ID", help="One manager's (branch head)."),
    stage: str = typer.Option(None, "--stage", help="Only this stage."),
    open_only: bool = typer.Option(False, "--open", help="Only open opportunities."),
    outlet: bool = typer.Option(False, "--outlet", help="The outlet's VIP opportunity table (branch head)."),
    by_kind: bool = typer.Option(False, "--by-kind", help="Conversion by idea kind instead of the list."),
    as_json: bool = json_option(),
) -> None:
    """Your progress table (客戶經理商機進程表), or the outlet's table (支行貴賓客戶商機表).

    Example: vip --as H1 opp list --outlet --open
    """
    from vipcli.cli.output import console, emit_json, table
    from vipcli.services.sales.opportunities import conversion, list_opportunities

    if by_kind:
        kinds = conversion(CURRENT.context(), staff_id=staff, outlet=outlet)
        emit_json(kinds) if as_json else _print_conversion(kinds)
        return
    rows = list_opportunities(CURRENT.context(), staff_id=staff, stage=stage, open_only=open_only,
                              outlet=outlet)
    if as_json:
        emit_json(rows)
        return
    title = "支行貴賓客戶商機表 — outlet opportunities" if outlet else "客戶經理商機進程表 — opportunities"
    cols = ["id", "customer", "name", "owner", "product", "stage", ("expected", "right"),
            ("won", "right"), "next action", "next date", "idea"]
    console().print(table(title, cols, [
        [r["id"], r["customer_id"], r["customer_name"], r["owner_id"], r["product_name"] or "",
         r["stage"], _money(r["expected_amount"]), _money(r["won_amount"]), r["next_action"],
         r["next_date"], r["idea_kind"]] for r in rows]))


@opp_app.command("show")
def opp_show(opportunity: int = typer.Argument(..., metavar="ID"), as_json: bool = json_option()) -> None:
    """Show one opportunity with its full stage history.

    Example: vip --as M1 opp show 12
    """
    from vipcli.cli.output import emit_json
    from vipcli.services.sales import opportunities

    doc = opportunities.detail(CURRENT.context(), opportunity)
    emit_json(doc) if as_json else _print_opportunity(doc)


@opp_app.command("move")
def opp_move(
    opportunity: int = typer.Argument(..., metavar="ID"),
    stage: str = typer.Argument(..., metavar="STAGE", help="contacted, needs_identified, proposal."),
    note: str = typer.Option(None, "--note"),
    next_action: str = typer.Option(None, "--next-action"),
    next_date: str = typer.Option(None, "--next-date", metavar="DATE"),
    as_json: bool = json_option(),
) -> None:
    """Move an opportunity forward (stages never go back; closed ones do not move).

    Example: vip --as M1 opp move 12 proposal --next-action "send the proposal" --next-date 2026-12-03
    """
    from vipcli.cli.output import emit_json
    from vipcli.errors import InvalidInput
    from vipcli.services.sales import opportunities

    if stage in ("won", "lost"):
        raise InvalidInput("use `vip opp close ID --won` or `--lost --reason …` to close")
    doc = opportunities.move(CURRENT.context(), opportunity, stage, note=note,
                             next_action=next_action, next_date=_date(next_date, "--next-date"))
    emit_json(doc) if as_json else _print_opportunity(doc)


@opp_app.command("close")
def opp_close(
    opportunity: int = typer.Argument(..., metavar="ID"),
    won: bool = typer.Option(False, "--won", help="Won (the sale is made)."),
    lost: bool = typer.Option(False, "--lost", help="Lost (needs --reason)."),
    amount: str = typer.Option(None, "--amount", metavar="YUAN", help="Won amount (default: expected)."),
    reason: str = typer.Option(None, "--reason", help="Why it was lost."),
    note: str = typer.Option(None, "--note"),
    as_json: bool = json_option(),
) -> None:
    """Close an opportunity as won or lost.

    Example: vip --as M1 opp close 12 --lost --reason "chose another bank's rate"
    """
    from vipcli.cli.output import emit_json
    from vipcli.errors import InvalidInput
    from vipcli.services.sales import opportunities

    if won == lost:
        raise InvalidInput("give exactly one of --won or --lost")
    doc = opportunities.close(CURRENT.context(), opportunity, won=won, lost_reason=reason,
                              won_amount_fen=_fen(amount, "--amount"), note=note)
    emit_json(doc) if as_json else _print_opportunity(doc)


@target_app.command("set")
def target_set(
    staff: str = typer.Option(None, "--staff", metavar="ID", help="A manager (default: the outlet)."),
    week: str = typer.Option(None, "--week", metavar="YYYY-Www"),
    month: str = typer.Option(None, "--month", metavar="YYYY-MM"),
    contacts: int = typer.Option(None, "--contacts", help="Distinct customers contacted."),
    signings: int = typer.Option(None, "--signings", help="New VIP signings."),
    opps_won: int = typer.Option(None, "--opps-won", help="Opportunities won."),
    won_amount: str = typer.Option(None, "--won-amount", metavar="YUAN", help="Amount won (CNY)."),
    as_json: bool = json_option(),
) -> None:
    """Set targets for a week or a month (branch head); the outlet's when no --staff.

    Example: vip --as H1 target set --week 2026-W48 --contacts 40 --opps-won 6 --won-amount 3000000
    """
    from vipcli.services.sales.targets import set_targets

    rows = set_targets(CURRENT.context(), staff_id=staff, week=week, month=month,
                       values={"contacts": contacts, "signings": signings, "opps_won": opps_won,
                               "won_amount": _fen(won_amount, "--won-amount")})
    _print_targets(rows, as_json)


@target_app.command("list")
def target_list(
    period: str = typer.Option(None, "--period", metavar="YYYY-Www|YYYY-MM", help="Only this period."),
    as_json: bool = json_option(),
) -> None:
    """List targets (the branch head sees the outlet's; others their own and the outlet's).

    Example: vip --as H1 target list --period 2026-W48
    """
    from vipcli.services.sales.targets import list_targets

    _print_targets(list_targets(CURRENT.context(), period=period), as_json)


def _print_targets(rows: list[dict], as_json: bool) -> None:
    from vipcli.cli.output import console, emit_json, table

    if as_json:
        emit_json(rows)
        return
    console().print(table("Targets", ["period", "staff", "metric", ("value", "right"), "set by"], [
        [r["period"], r["staff_id"] or "(outlet)", r["metric"], r["value"], r["set_by"]] for r in rows]))


def weekly_cmd(
    week: str = typer.Option(None, "--week", metavar="YYYY-Www", help="ISO week (default: this week)."),
    as_json: bool = json_option(),
) -> None:
    """The weekly review: per manager opportunities, contacts vs the rule, overdue follow-ups.

    Example: vip --as H1 report weekly --week 2026-W48
    """
    from vipcli.cli.output import emit_json
    from vipcli.services.sales.weekly import weekly_report

    doc = weekly_report(CURRENT.context(), week=week)
    emit_json(doc) if as_json else _print_weekly(doc)


def _print_weekly(doc: dict) -> None:
    from vipcli.cli.output import console, table

    cols = ["staff", "name", ("opened", "right"), ("amount", "right"), ("advanced", "right"),
            ("won", "right"), ("won amount", "right"), ("lost", "right"), ("lost amount", "right"),
            ("contacts", "right"), ("signings", "right"), ("overdue", "right"), "targets"]
    people = [dict(p, rule=f"{p['contacts']}/{p['contact_rule']}" if p["contact_rule"] else
                   str(p["contacts"])) for p in doc["managers"]]
    if doc["outlet"]:
        people.append(dict(doc["outlet"], staff_id=doc["outlet"]["branch_id"], name="outlet total",
                           rule=str(doc["outlet"]["contacts"])))
    rows = [[p["staff_id"], p["name"], p["opened"], _money(p["opened_amount"]), p["advanced"],
             p["won"], _money(p["won_amount"]), p["lost"], _money(p["lost_amount"]), p["rule"],
             p["signings"], p["overdue_followups"],
             ", ".join(f"{k} {t['actual']}/{t['target']}{'' if t['met'] else ' ✗'}"
                       for k, t in p["targets"].items())] for p in people]
    console().print(table(f"Weekly review {doc['week']} ({doc['from']} – {doc['to']})", cols, rows))
    _print_conversion(doc["conversion_by_kind"])


def _print_conversion(kinds: list[dict]) -> None:
    from vipcli.cli.output import console, table

    rows = [[c["kind"], c["opened"], c["won"], c["lost"], c["open"], _money(c["won_amount"]),
             f"{c['conversion']:.0%}"] for c in kinds]
    console().print(table("Conversion by idea kind", ["kind", ("opened", "right"), ("won", "right"),
                                                       ("lost", "right"), ("open", "right"),
                                                       ("won amount", "right"),
                                                       ("conversion", "right")], rows))


def export_cmd(
    kind: str = typer.Argument(..., metavar="KIND", help="opportunities, weekly, due or customers."),
    fmt: str = typer.Option("csv", "--format", help="csv (UTF-8 with BOM), xlsx or json."),
    output: str = typer.Option(..., "--output", metavar="FILE", help="File to write (mode 0600)."),
    staff: str = typer.Option(None, "--staff", metavar="ID"),
    stage: str = typer.Option(None, "--stage", help="opportunities: only this stage."),
    open_only: bool = typer.Option(False, "--open", help="opportunities: only open ones."),
    outlet: bool = typer.Option(False, "--outlet", help="opportunities: the whole outlet."),
    week: str = typer.Option(None, "--week", metavar="YYYY-Www", help="weekly: the ISO week."),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="due: evaluate on this day."),
    limit: int = typer.Option(None, "--limit", min=1, help="due: at most this many customers."),
    tier: str = typer.Option(None, "--tier", help="customers: only this signed tier."),
) -> None:
    """Export a listing to a file, personal data masked, audited per customer.

    Example: vip --as H1 export opportunities --outlet --format xlsx --output opps.xlsx
    """
    from vipcli.cli.output import info
    from vipcli.services.sales.export import export

    done = export(CURRENT.context(), kind, fmt, output, staff_id=staff, stage=stage,
                  open_only=open_only, outlet=outlet, week=week, as_of=_date(as_of, "--as-of"),
                  limit=limit, tier=tier)
    info(f"wrote {done['rows']} rows to {done['file']} ({done['format']}, masked, audited)")


def register(app: typer.Typer) -> None:
    app.command("recommend")(recommend_cmd)
    app.add_typer(opp_app, name="opp")
    app.add_typer(target_app, name="target")
    report_app.command("weekly")(weekly_cmd)
    app.command("export")(export_cmd)
