"""`vip opp add|list|show|move|close`: opportunities (商机, SPEC §7)."""

import typer

from vipcli.cli.options import MAX_ID, json_option, plain_text, whole_number
from vipcli.cli.options import parse_date as _date
from vipcli.cli.options import parse_yuan as _fen
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer(help=_("Opportunities: lead → contacted → needs_identified → proposal → won | lost."),
                  no_args_is_help=True, rich_markup_mode=None)


@app.command("add", help=_(
    "Open an opportunity for a customer you look after (owner: you, or its manager).\n\n"
    "Example: vip --as S005 opp add C0000325 --product P_DECD --amount 500000 "
    "--next-date 2026-12-02"))
def add(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help=_("Customer number.")),
    product: str = typer.Option(None, "--product", metavar="CODE", help=_("Product code.")),
    amount: str = typer.Option(None, "--amount", metavar="YUAN", help=_("Expected amount in CNY.")),
    next_action: str = typer.Option(None, "--next-action", callback=plain_text,
                                    help=_("What to do next.")),
    next_date: str = typer.Option(None, "--next-date", metavar="DATE",
                                  help=_("When (feeds vip due).")),
    stage: str = typer.Option("lead", "--stage",
                              help=_("Starting stage: lead, contacted, needs_identified, proposal.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import opp as view
    from vipcli.services.sales import opportunities

    doc = opportunities.add(CURRENT.context(), customer, product_code=product,
                            expected_amount_fen=_fen(amount, "--amount"), next_action=next_action,
                            next_date=_date(next_date, "--next-date"), stage=stage)
    present(doc, as_json=as_json, render=view.render_opportunity)


@app.command("list", help=_(
    "Your opportunity progress table, or the outlet's VIP opportunity table (--outlet).\n\n"
    "Example: vip --as S004 opp list --outlet --open"))
def list_opportunities(
    staff: str = typer.Option(None, "--staff", metavar="ID",
                              help=_("One manager's opportunities (branch head).")),
    stage: str = typer.Option(None, "--stage", help=_("Only this stage.")),
    open_only: bool = typer.Option(False, "--open", help=_("Only open opportunities.")),
    outlet: bool = typer.Option(False, "--outlet",
                                help=_("The outlet's VIP opportunity table (branch head).")),
    by_kind: bool = typer.Option(False, "--by-kind",
                                 help=_("Conversion by idea kind instead of the list.")),
    as_json: bool = json_option(),
) -> None:
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


@app.command("show", help=_("Show one opportunity with its full stage history.\n\n"
                             "Example: vip --as S005 opp show 1"))
def show(
    opportunity: int = typer.Argument(..., metavar="ID", callback=whole_number(1, MAX_ID),
                                      help=_("Opportunity id.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import opp as view
    from vipcli.services.sales import opportunities

    present(opportunities.detail(CURRENT.context(), opportunity), as_json=as_json,
            render=view.render_opportunity)


@app.command("move", help=_(
    "Move an opportunity forward (stages never go back; closed ones do not move).\n\n"
    "Example: vip --as S005 opp move 1 proposal --next-action \"send the proposal\" "
    "--next-date 2026-12-03"))
def move(
    opportunity: int = typer.Argument(..., metavar="ID", callback=whole_number(1, MAX_ID),
                                      help=_("Opportunity id.")),
    stage: str = typer.Argument(..., metavar="STAGE",
                                help=_("contacted, needs_identified or proposal.")),
    note: str = typer.Option(None, "--note", callback=plain_text, help=_("A note on the move.")),
    next_action: str = typer.Option(None, "--next-action", callback=plain_text,
                                    help=_("What to do next.")),
    next_date: str = typer.Option(None, "--next-date", metavar="DATE",
                                  help=_("When (feeds vip due).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import opp as view
    from vipcli.errors import InvalidInput
    from vipcli.services.sales import opportunities

    if stage in ("won", "lost"):
        raise InvalidInput(_("use `vip opp close ID --won` or `--lost --reason …` to close"))
    doc = opportunities.move(CURRENT.context(), opportunity, stage, note=note,
                             next_action=next_action, next_date=_date(next_date, "--next-date"))
    present(doc, as_json=as_json, render=view.render_opportunity)


@app.command("close", help=_(
    "Close an opportunity as won or lost. Winning a product rated PR3 or above needs the risk "
    "disclosure (--disclosed); the sale keeps the product's rating and the customer's risk "
    "level of the day.\n\n"
    "Example: vip --as S005 opp close 1 --won --disclosed"))
def close(
    opportunity: int = typer.Argument(..., metavar="ID", callback=whole_number(1, MAX_ID),
                                      help=_("Opportunity id.")),
    won: bool = typer.Option(False, "--won", help=_("Won (the sale is made).")),
    lost: bool = typer.Option(False, "--lost", help=_("Lost (needs --reason).")),
    amount: str = typer.Option(None, "--amount", metavar="YUAN",
                               help=_("Won amount in CNY (default: the expected amount).")),
    reason: str = typer.Option(None, "--reason", callback=plain_text, help=_("Why it was lost.")),
    note: str = typer.Option(None, "--note", callback=plain_text, help=_("A note on the close.")),
    disclosed: bool = typer.Option(False, "--disclosed",
                                   help=_("With --won: the product's risk was disclosed to the "
                                          "customer (needed from PR3).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import opp as view
    from vipcli.errors import InvalidInput
    from vipcli.services.sales import opportunities

    if won == lost:
        raise InvalidInput(_("give exactly one of --won or --lost"))
    doc = opportunities.close(CURRENT.context(), opportunity, won=won, lost_reason=reason,
                              won_amount_fen=_fen(amount, "--amount"), note=note,
                              disclosed=disclosed)
    present(doc, as_json=as_json, render=view.render_opportunity)
