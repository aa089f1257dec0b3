"""`vip lead add|list`: leads (销售线索, SPEC §18), walk-ins and referrals any outlet staff
member records; `vip assign` allocates them, `vip import leads` loads an outlet's list."""

import typer

from vipcli.cli.options import json_option, plain_text
from vipcli.cli.options import parse_yuan as _fen
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer(help=_("Leads: walk-ins and referrals who may become VIP customers."),
                  no_args_is_help=True, rich_markup_mode=None)


@app.command("add", help=_(
    "Record a walk-in or a referral as a lead of your outlet (any outlet staff member). "
    "The phone is stored sealed and shown masked; a phone that is already a customer of "
    "the outlet links the lead to that customer.\n\n"
    "Example: vip --as S015 lead add --name 张伟 --phone 13900001111 --est-assets 300000 "
    "--note \"到店咨询大额存单\""))
def add(
    name: str = typer.Option(..., "--name", callback=plain_text, help=_("The person's name.")),
    phone: str = typer.Option(..., "--phone", help=_("Full phone number.")),
    note: str = typer.Option(None, "--note", callback=plain_text, help=_("What they asked about.")),
    source: str = typer.Option(None, "--source", help=_(
        "walk_in (default), referral, activity, department, pcrm_screening or other "
        "(or 到店, 转介绍, 营销活动, 其他部门, PCRM筛选, 其他).")),
    est_assets: str = typer.Option(None, "--est-assets", metavar="YUAN",
                                   help=_("Estimated financial assets in CNY.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import lead as view
    from vipcli.services.routine.leads import add_lead

    doc = add_lead(CURRENT.context(), name=name, phone=phone, note=note, source=source,
                   est_assets_fen=_fen(est_assets, "--est-assets"))
    present(doc, as_json=as_json, render=view.render_added)


@app.command("list", help=_(
    "The outlet's leads, phones masked: the branch head sees them all; everyone else the "
    "leads it recorded or holds and those nobody holds yet.\n\n"
    "Example: vip --as S004 lead list --unassigned"))
def list_leads(
    mine: bool = typer.Option(False, "--mine", help=_("Only leads you recorded or hold.")),
    unassigned: bool = typer.Option(False, "--unassigned",
                                    help=_("Only leads nobody holds yet and not yet customers.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import lead as view
    from vipcli.services.routine import leads

    present(leads.list_leads(CURRENT.context(), mine=mine, unassigned=unassigned),
            as_json=as_json, render=view.render_list)
