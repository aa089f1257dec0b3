"""`vip segment`: filtered customer lists and cross-tab counts (SPEC §4)."""

import typer

from vipcli.cli.options import MAX_LIMIT, json_option, whole_number
from vipcli.cli.state import CURRENT

app = typer.Typer()


@app.command("segment")
def segment(
    tier: str = typer.Option(None, "--tier", help="Signed tier (diamond, platinum, gold, none)."),
    occupation: str = typer.Option(None, "--occupation", help="Occupation code (or none)."),
    orientation: str = typer.Option(None, "--orientation", help="Orientation (or none)."),
    by: str = typer.Option(None, "--by", metavar="FIELD,FIELD",
                           help="Cross-tab fields (default tier,occupation,orientation)."),
    limit: int = typer.Option(None, "--limit", callback=whole_number(1, MAX_LIMIT), help="List at most this many customers."),
    as_json: bool = json_option(),
) -> None:
    """Segments: filtered customer lists (masked) and cross-tab counts.

    Example: vip --as H1 segment --tier platinum --by occupation,orientation
    """
    from vipcli.cli.output import present
    from vipcli.cli.views import segment as view
    from vipcli.services.routine.segments import segment as build

    doc = build(CURRENT.context(), tier=tier, occupation=occupation, orientation=orientation,
                by=by, limit=limit)
    present(doc, as_json=as_json, render=view.render)
