"""`vip diagnose CUSTOMER [--output FILE.xlsx]`: wealth diagnosis (财富诊断, SPEC §18)."""

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("diagnose", help=_(
    "Wealth diagnosis: the customer's holdings by category against the model allocation of "
    "its risk level, the gaps and the suitable products that fill them; --output also writes "
    "an xlsx file with a chart.\n\n"
    "Example: vip --as S005 diagnose C0000325 --output diagnosis.xlsx"))
def diagnose(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help=_("Customer number.")),
    output: str = typer.Option(None, "--output", metavar="FILE.xlsx",
                               help=_("Also write the diagnosis as an xlsx file with a chart "
                                      "(mode 0600; missing folders made 0700).")),
    force: bool = typer.Option(False, "--force",
                               help=_("Replace FILE if it exists (never the database).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import diagnose as view
    from vipcli.services.sales.diagnosis import diagnose as run

    present(run(CURRENT.context(), customer, output=output, force=force), as_json=as_json,
            render=view.render)
