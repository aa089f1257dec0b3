"""`vip lobby`: recognise a walk-in and route them (SPEC §9)."""

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("lobby", help=_(
    "Recognise a walk-in: how to address them, priority, who serves them, where and how. "
    "Shows no phone, ID number or balance; the visit is recorded and audited.\n\n"
    "Example: vip --as S015 lobby C0000467"))
def lobby(
    key: str = typer.Argument(..., metavar="CUSTOMER_OR_PHONE",
                              help=_("Customer number or full phone number.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import lobby as view
    from vipcli.services.routine.lobby import UnknownWalkIn
    from vipcli.services.routine.lobby import lobby as recognise

    ctx = CURRENT.context()
    try:
        doc = recognise(ctx, key)
    except UnknownWalkIn as unknown:
        if as_json or not _interactive():
            raise
        _offer_lead(ctx, unknown)
        return
    present(doc, as_json=as_json, render=view.render)


def _interactive() -> bool:
    import sys

    return sys.stdin.isatty() and sys.stdout.isatty()


def _offer_lead(ctx, unknown) -> None:  # noqa: ANN001 (Typer reads no signature here)
    """§9, §18: an unknown phone on a terminal: say so, then ask for the name and record
    the walk-in as a lead (an empty name records nothing)."""
    from vipcli.cli.output import info
    from vipcli.cli.views import lead as lead_view
    from vipcli.services.routine.leads import add_lead

    info(unknown.message, soft_wrap=True)  # the command on one line, to copy
    name = typer.prompt(_("Record them as a lead now? Their name (empty: no)"), default="",
                        show_default=False).strip()
    if not name:
        info(_("No lead recorded."))
        raise typer.Exit(1)
    lead_view.render_added(add_lead(ctx, name=name, phone=unknown.phone, source="walk_in"))
