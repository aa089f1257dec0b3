"""`vip segment`: filtered customer lists and cross-tab counts (SPEC §4)."""

import typer

from vipcli.cli.options import (
    MAX_LIMIT,
    SEGMENT_OCCUPATION,
    SEGMENT_ORIENTATION,
    SEGMENT_TIER,
    json_option,
    whole_number,
)
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("segment", help=_(
    "Segments: filtered customer lists (masked) and cross-tab counts.\n\n"
    "Example: vip --as S004 segment --tier platinum --by occupation,orientation"))
def segment(
    tier: str = SEGMENT_TIER,
    occupation: str = SEGMENT_OCCUPATION,
    orientation: str = SEGMENT_ORIENTATION,
    by: str = typer.Option(None, "--by", metavar="FIELD,FIELD", help=_(
        "Cross-tab fields: tier, qualified_tier, occupation, orientation, gender, status "
        "(default tier,occupation,orientation).")),
    limit: int = typer.Option(None, "--limit", callback=whole_number(1, MAX_LIMIT),
                              help=_("List at most this many customers.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import segment as view
    from vipcli.services.routine.segments import segment as build

    doc = build(CURRENT.context(), tier=tier, occupation=occupation, orientation=orientation,
                by=by, limit=limit)
    present(doc, as_json=as_json, render=view.render)
