"""`vip export KIND`: a listing written to a file, masked and audited (SPEC §12, §13)."""

import typer

from vipcli.cli.options import MAX_LIMIT, whole_number
from vipcli.cli.options import parse_date as _date
from vipcli.cli.state import CURRENT

app = typer.Typer()


@app.command("export")
def export(
    kind: str = typer.Argument(..., metavar="KIND", help="opportunities, weekly, due or customers."),
    fmt: str = typer.Option("csv", "--format", help="csv (UTF-8 with BOM), xlsx or json."),
    output: str = typer.Option(..., "--output", metavar="FILE",
                               help="File to write (mode 0600; missing folders made 0700)."),
    force: bool = typer.Option(False, "--force",
                               help="Replace FILE if it exists (never the database)."),
    staff: str = typer.Option(None, "--staff", metavar="ID"),
    stage: str = typer.Option(None, "--stage", help="opportunities: only this stage."),
    open_only: bool = typer.Option(False, "--open", help="opportunities: only open ones."),
    outlet: bool = typer.Option(False, "--outlet", help="opportunities: the whole outlet."),
    week: str = typer.Option(None, "--week", metavar="YYYY-Www", help="weekly: the ISO week."),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="due: evaluate on this day."),
    limit: int = typer.Option(None, "--limit", callback=whole_number(1, MAX_LIMIT), help="due: at most this many customers."),
    tier: str = typer.Option(None, "--tier", help="customers: only this signed tier."),
) -> None:
    """Export a listing to a file, personal data masked, audited per customer.

    Example: vip --as H1 export opportunities --outlet --format xlsx --output opps.xlsx
    """
    from vipcli.cli.output import info
    from vipcli.services.export import export as write_export

    done = write_export(CURRENT.context(), kind, fmt, output, force=force, staff_id=staff, stage=stage,
                        open_only=open_only, outlet=outlet, week=week, as_of=_date(as_of, "--as-of"),
                        limit=limit, tier=tier)
    info(f"wrote {done['rows']} rows to {done['file']} ({done['format']}, masked, audited)")
