"""`vip due`: the morning list, who to contact today and why (SPEC §5)."""

import typer

from vipcli.cli.options import MAX_LIMIT, json_option, whole_number
from vipcli.cli.options import parse_date as _date
from vipcli.cli.state import CURRENT

app = typer.Typer()


@app.command("due")
def due(
    staff: str = typer.Option(None, "--staff", metavar="ID", help="One staff member's list (branch head)."),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="Evaluate the list on another day."),
    limit: int = typer.Option(None, "--limit", callback=whole_number(1, MAX_LIMIT), help="At most this many customers."),
    as_json: bool = json_option(),
) -> None:
    """Who to contact today, most urgent first, with every reason (§5).

    Example: vip --as M1 due --limit 20
    """
    import gc

    # Every morning, so start-up counts: the cyclic GC only costs time in this short,
    # read-only command (≈ 60 ms of collections over SQLAlchemy's and the models' objects);
    # frozen before re-enabling, so no full collection follows.
    gc.disable()
    try:
        _due(staff, as_of, limit, as_json)
    finally:
        gc.freeze()
        gc.enable()


def _due(staff: str | None, as_of: str | None, limit: int | None, as_json: bool) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import due as view
    from vipcli.services.contact.due import due_list

    doc = due_list(CURRENT.context(), staff_id=staff, as_of=_date(as_of, "--as-of"), limit=limit)
    present(doc, as_json=as_json, render=view.render)
