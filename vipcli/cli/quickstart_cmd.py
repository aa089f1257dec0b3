"""`vip quickstart`: the bundled sample outlet, built and shown, with no setup at all."""

from __future__ import annotations

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT


def quickstart(
    force: bool = typer.Option(False, "--force", help="Rebuild the demo database from scratch."),
    as_json: bool = json_option(),
) -> None:
    """Build a demo database from the bundled sample outlet and show its morning.

    Needs no configuration and no identity. The demo lives in the user data
    directory (VIP_HOME or ~/.local/share/vip); the command says how to use it.

    Example: vip quickstart --force
    """
    from vipcli import paths
    from vipcli.cli.output import emit_json, info
    from vipcli.cli.render_morning import render_morning
    from vipcli.services import demo as demo_service

    path = paths.demo_db_path()
    if not as_json:
        info(("Rebuilding" if force or not path.exists() else "Opening") + f" the demo outlet at {path} …")
    demo, ctx = demo_service.build_demo(path, CURRENT.loaded_rules(), force=force)
    try:
        view = demo_service.morning(ctx, demo)
    finally:
        ctx.close()
    if as_json:
        emit_json({"database": str(path), "built": demo.built, "imported": demo.imported, **view})
        return
    render_morning(demo, view)


def register(app: typer.Typer) -> None:
    app.command("quickstart")(quickstart)
