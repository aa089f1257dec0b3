"""`vip quickstart`: the bundled sample outlet, built and shown, with no setup at all."""

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT

app = typer.Typer()


@app.command("quickstart")
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
    from vipcli.cli.output import info, present
    from vipcli.cli.views import quickstart as view
    from vipcli.services import demo as demo_service

    path = paths.demo_db_path()
    if not as_json:
        info(("Rebuilding" if force or not path.exists() else "Opening") + f" the demo outlet at {path} …")
    demo, ctx = demo_service.build_demo(path, CURRENT.loaded_rules(), force=force)
    try:
        morning = demo_service.morning(ctx, demo)
    finally:
        ctx.close()
    present(morning, as_json=as_json, render=lambda shown: view.render(demo, shown),
            document=lambda shown: {"database": str(path), "built": demo.built,
                                    "imported": demo.imported, **shown})
