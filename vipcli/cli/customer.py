"""`vip customer edit|lost|reactivate`: the customer file and loss (客户档案、流失, SPEC §18)."""

import typer

from vipcli.cli.options import json_option, plain_text
from vipcli.cli.options import parse_date as _date
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer(help=_("The customer file its manager keeps, and customers lost."),
                  no_args_is_help=True, rich_markup_mode=None)


@app.command("edit", help=_(
    "Keep a customer's file: orientation, channel, interests, anniversaries, a special "
    "period, notes (its manager or the branch head; every change is audited).\n\n"
    "Example: vip --as S005 customer edit C0000325 --interests \"宠物、子女教育\" "
    "--anniversary 结婚纪念日=2001-05-20 --special-period \"住院\" --until 2026-12-31"))
def edit(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help=_("Customer number.")),
    orientation: str = typer.Option(None, "--orientation", help=_(
        "relationship, value or service (or 关系取向, 价值取向, 服务取向).")),
    channel: str = typer.Option(None, "--channel", help=_(
        "Preferred channel: phone, meeting, sms, email or wechat (or 电话, 面见, 短信, 邮件, 微信).")),
    interests: str = typer.Option(None, "--interests", metavar="TEXT", callback=plain_text,
                                  help=_("Interests (餐饮、宠物、子女教育…); \"\" clears them.")),
    anniversary: list[str] = typer.Option(None, "--anniversary", metavar="NAME=YYYY-MM-DD",
                                          callback=plain_text, help=_(
        "An anniversary (repeatable); a name already on file gets the new date.")),
    remove_anniversary: list[str] = typer.Option(None, "--remove-anniversary", metavar="NAME",
                                                 callback=plain_text,
                                                 help=_("Remove the anniversary of this name.")),
    special_period: str = typer.Option(None, "--special-period", metavar="TEXT",
                                       callback=plain_text, help=_(
        "A special period (illness, bereavement, a child's exam…); needs --until.")),
    until: str = typer.Option(None, "--until", metavar="DATE",
                              help=_("The day the special period ends.")),
    end_special_period: bool = typer.Option(False, "--end-special-period",
                                            help=_("End the special period now.")),
    notes: str = typer.Option(None, "--notes", metavar="TEXT", callback=plain_text,
                              help=_("Notes on the customer; \"\" clears them.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import customer_file as view
    from vipcli.services.routine import customer_file

    wanted = customer_file.FileEdit(
        orientation=orientation, channel=channel, interests=interests,
        anniversaries=list(anniversary or []), remove_anniversaries=list(remove_anniversary or []),
        special_period=special_period, until=_date(until, "--until"),
        end_special_period=end_special_period, notes=notes)
    present(customer_file.edit(CURRENT.context(), customer, wanted), as_json=as_json,
            render=view.render_edit)


@app.command("lost", help=_(
    "Record a customer as lost: it leaves the lists and counts in `vip report retention` "
    "(its manager or the branch head).\n\n"
    "Example: vip --as S005 customer lost C0000325 --reason \"moved to another bank\""))
def lost(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help=_("Customer number.")),
    reason: str = typer.Option(..., "--reason", callback=plain_text,
                               help=_("Why the customer was lost.")),
    date: str = typer.Option(None, "--date", metavar="YYYY-MM-DD",
                             help=_("When it was lost (default: today).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import customer_file as view
    from vipcli.services.routine import customer_file

    present(customer_file.mark_lost(CURRENT.context(), customer, reason, _date(date, "--date")),
            as_json=as_json, render=view.render_status)


@app.command("reactivate", help=_(
    "Undo a loss: the customer gets back the status it had and returns to the lists.\n\n"
    "Example: vip --as S005 customer reactivate C0000325"))
def reactivate(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help=_("Customer number.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import customer_file as view
    from vipcli.services.routine import customer_file

    present(customer_file.reactivate(CURRENT.context(), customer), as_json=as_json,
            render=view.render_status)
