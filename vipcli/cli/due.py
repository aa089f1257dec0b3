"""`vip due`: the morning list, today's plan — who to contact and why (SPEC §5)."""

import typer

from vipcli.cli.options import MAX_LIMIT, json_option, whole_number
from vipcli.cli.options import parse_date as _date
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("due", help=_(
    "Today's plan: the most urgent customers to contact, with why, how and what to say "
    "(§5). Shows the rules' due_list_size (15) first; --all shows every one; --json "
    "holds every one unless --limit is given.\n\nExample: vip --as S005 due --limit 20"))
def due(
    staff: str = typer.Option(None, "--staff", metavar="ID",
                              help=_("One staff member's list (branch head).")),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE",
                              help=_("Evaluate the list on another day.")),
    limit: int = typer.Option(None, "--limit", metavar="N", callback=whole_number(1, MAX_LIMIT),
                              help=_("Show the N most urgent customers.")),
    show_all: bool = typer.Option(False, "--all", help=_("Show every customer waiting.")),
    as_json: bool = json_option(),
) -> None:
    import gc

    # Every morning, so start-up counts: the cyclic GC only costs time in this short,
    # read-only command (≈ 30 ms of collections over SQLAlchemy's objects, issue 12's
    # bench); frozen before re-enabling, so no full collection follows.
    gc.disable()
    try:
        _due(staff, as_of, limit, show_all, as_json)
    finally:
        gc.freeze()
        gc.enable()


def _due(staff: str | None, as_of: str | None, limit: int | None, show_all: bool,
         as_json: bool) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import due as view
    from vipcli.errors import InvalidInput
    from vipcli.services.contact.due import due_list

    if show_all and limit is not None:
        raise InvalidInput(_("--all and --limit cannot be used together"))
    day = _date(as_of, "--as-of")
    ctx = CURRENT.context()
    if limit is None and not show_all and not as_json:
        # §5: the terminal shows today's plan; the JSON document holds every item.
        limit = ctx.rules.contact.due_list_size
    doc = due_list(ctx, staff_id=staff, as_of=day, limit=limit)
    present(doc, as_json=as_json, render=view.render)
