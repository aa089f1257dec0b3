"""`vip export KIND`: a listing written to a file, masked and audited (SPEC §12, §13)."""

import typer

from vipcli.cli.options import MAX_LIMIT, whole_number
from vipcli.cli.options import parse_date as _date
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("export", help=_(
    "Export a listing to a file, personal data masked, audited per customer. Column headings "
    "are in the screen's language; with VIP_LANG=en they are the stable English names of "
    "the JSON keys (customer_id, adb12 …), for scripts.\n\n"
    "Example: vip --as S004 export opportunities --outlet --format xlsx --output opps.xlsx"))
def export(
    kind: str = typer.Argument(..., metavar="KIND",
                               help=_("opportunities, weekly, due or customers.")),
    fmt: str = typer.Option("csv", "--format", help=_("csv (UTF-8 with BOM), xlsx or json.")),
    output: str = typer.Option(..., "--output", metavar="FILE",
                               help=_("File to write (mode 0600; missing folders made 0700).")),
    force: bool = typer.Option(False, "--force",
                               help=_("Replace FILE if it exists (never the database).")),
    staff: str = typer.Option(None, "--staff", metavar="ID",
                              help=_("opportunities, due, customers: one staff member's.")),
    stage: str = typer.Option(None, "--stage", help=_("opportunities: only this stage.")),
    open_only: bool = typer.Option(False, "--open", help=_("opportunities: only open ones.")),
    outlet: bool = typer.Option(False, "--outlet", help=_("opportunities: the whole outlet.")),
    week: str = typer.Option(None, "--week", metavar="YYYY-Www", help=_("weekly: the ISO week.")),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help=_("due: evaluate on this day.")),
    limit: int = typer.Option(None, "--limit", callback=whole_number(1, MAX_LIMIT),
                              help=_("due: at most this many customers.")),
    tier: str = typer.Option(None, "--tier", help=_("customers: only this signed tier.")),
) -> None:
    from vipcli.cli.output import info
    from vipcli.services.export import export as write_export

    done = write_export(CURRENT.context(), kind, fmt, output, force=force, staff_id=staff, stage=stage,
                        open_only=open_only, outlet=outlet, week=week, as_of=_date(as_of, "--as-of"),
                        limit=limit, tier=tier)
    info(_("wrote {rows} rows to {file} ({format}, masked, audited)").format(
        rows=done["rows"], file=done["file"], format=done["format"]))
