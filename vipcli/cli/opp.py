"""`vip opp add|list|show|move|close`: opportunities (商機, SPEC §7)."""

import typer

from vipcli.cli.options import MAX_ID, json_option, plain_text, whole_number
from vipcli.cli.options import parse_date as _date
from vipcli.cli.options import parse_yuan as _fen
from vipcli.cli.state import CURRENT

app = typer.Typer(help="Opportunities (商機): lead → contacted → needs_identified → proposal → won | lost.",
                  no_args_is_help=True, rich_markup_mode=None)


@app.command("add")
def add(
    customer: str = typer.Argument(..., metavar="CUSTOMER"),
    product: str = typer.Option(None, "--product", metavar="CODE", help="Product code."),
    amount: str = typer.Option(None, "--amount", metavar="YUAN", help="Expected amount in CNY."),
    next_action: str = typer.Option(None, "--next-action", callback=plain_text, help="What to do next."),
    next_date: str = typer.Option(None, "--next-date", metavar="DATE", help="When (feeds vip due)."),
    stage: str = typer.Option("lead", "--stage", help="Starting stage."),
    as_json: bool = json_option(),
) -> None:
    """Open an opportunity for a customer you look after (owner: you, or its manager).

    Example: vip --as M1 opp add C000123 --product P_DECD --amount 500000 --next-date 2026-12-02
    """
    from vipcli.cli.output import present
    from vipcli.cli.views import opp as view
    from vipcli.services.sales import opportunities

    doc = opportunities.add(CURRENT.context(), customer, product_code=product,
                            expected_amount_fen=_fen(amount, "--amount"), next_action=next_action,
                            next_date=_date(next_date, "--next-date"), stage=stage)
    present(doc, as_json=as_json, render=view.render_opportunity)


@app.command("list")
def list_opportunities(
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
    from vipcli.cli.output import present
    from vipcli.cli.views import opp as view
    from vipcli.services.sales import opportunities

    if by_kind:
        present(opportunities.conversion(CURRENT.context(), staff_id=staff, outlet=outlet),
                as_json=as_json, render=view.render_conversion)
        return
    rows = opportunities.list_opportunities(CURRENT.context(), staff_id=staff, stage=stage,
                                            open_only=open_only, outlet=outlet)
    present(rows, as_json=as_json, render=lambda listed: view.render_list(listed, outlet=outlet))


@app.command("show")
def show(opportunity: int = typer.Argument(..., metavar="ID", callback=whole_number(1, MAX_ID)), as_json: bool = json_option()) -> None:
    """Show one opportunity with its full stage history.

    Example: vip --as M1 opp show 12
    """
    from vipcli.cli.output import present
    from vipcli.cli.views import opp as view
    from vipcli.services.sales import opportunities

    present(opportunities.detail(CURRENT.context(), opportunity), as_json=as_json,
            render=view.render_opportunity)


@app.command("move")
def move(
    opportunity: int = typer.Argument(..., metavar="ID", callback=whole_number(1, MAX_ID)),
    stage: str = typer.Argument(..., metavar="STAGE", help="contacted, needs_identified, proposal."),
    note: str = typer.Option(None, "--note", callback=plain_text),
    next_action: str = typer.Option(None, "--next-action", callback=plain_text),
    next_date: str = typer.Option(None, "--next-date", metavar="DATE"),
    as_json: bool = json_option(),
) -> None:
    """Move an opportunity forward (stages never go back; closed ones do not move).

    Example: vip --as M1 opp move 12 proposal --next-action "send the proposal" --next-date 2026-12-03
    """
    from vipcli.cli.output import present
    from vipcli.cli.views import opp as view
    from vipcli.errors import InvalidInput
    from vipcli.services.sales import opportunities

    if stage in ("won", "lost"):
        raise InvalidInput("use `vip opp close ID --won` or `--lost --reason …` to close")
    doc = opportunities.move(CURRENT.context(), opportunity, stage, note=note,
                             next_action=next_action, next_date=_date(next_date, "--next-date"))
    present(doc, as_json=as_json, render=view.render_opportunity)


@app.command("close")
def close(
    opportunity: int = typer.Argument(..., metavar="ID", callback=whole_number(1, MAX_ID)),
    won: bool = typer.Option(False, "--won", help="Won (the sale is made)."),
    lost: bool = typer.Option(False, "--lost", help="Lost (needs --reason)."),
    amount: str = typer.Option(None, "--amount", metavar="YUAN", help="Won amount (default: expected)."),
    reason: str = typer.Option(None, "--reason", callback=plain_text, help="Why it was lost."),
    note: str = typer.Option(None, "--note", callback=plain_text),
    as_json: bool = json_option(),
) -> None:
    """Close an opportunity as won or lost.

    Example: vip --as M1 opp close 12 --lost --reason "chose another bank's rate"
    """
    from vipcli.cli.output import present
    from vipcli.cli.views import opp as view
    from vipcli.errors import InvalidInput
    from vipcli.services.sales import opportunities

    if won == lost:
        raise InvalidInput("give exactly one of --won or --lost")
    doc = opportunities.close(CURRENT.context(), opportunity, won=won, lost_reason=reason,
                              won_amount_fen=_fen(amount, "--amount"), note=note)
    present(doc, as_json=as_json, render=view.render_opportunity)
