"""Text from the data is printed as it is: never read as Rich markup, never a control
sequence on the terminal. A customer named "[/bold]王" once crashed `vip customers`."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from tests import factories
from vipcli.cli import output
from vipcli.db import models

NAME = "[/bold]王\x1b[31m"  # a closing tag with nothing open, then an ESC starting a colour
SHOWN = "[/bold]王[31m"  # what a person sees: the name, the ESC dropped
NOTE = "[red]call back[/red] about [link=http://x]fund[/link]"


@pytest.fixture
def book(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    monkeypatch.setenv("COLUMNS", "200")  # wide enough that no table folds the name
    monkeypatch.setattr(output, "_console", None)
    monkeypatch.setattr(output, "_err_console", None)
    factories.org(engine)
    factories.customer(engine, "C1", name=NAME, manager_id="M1", signed_tier="gold",
                       qualified_tier="gold", adb12_fen=60_000_000, status="signed",
                       tier_since=dt.date(2024, 1, 1))
    factories.rows(engine, models.Contact, dict(customer_id="C1", staff_id="M1", channel="phone",
                                           contacted_at=dt.datetime(2026, 8, 3, 10, 0),
                                           summary=NOTE))
    factories.rows(engine, models.Opportunity, dict(customer_id="C1", owner_id="M1", stage="lead",
                                               next_action=NOTE, next_date=dt.date(2026, 12, 1),
                                               opened_at=dt.datetime(2026, 11, 2, 9, 0)))
    return engine


def shown_literally(result) -> None:
    assert result.code == 0, result.err
    assert SHOWN in result.out + result.err  # `opp show` names the customer on stderr
    assert "\x1b" not in result.out + result.err


@pytest.mark.parametrize("args", [
    ("--as", "M1", "customers"),
    ("--as", "M1", "due"),
    ("--as", "M1", "show", "C1"),
    ("--as", "H1", "segment"),
    ("--as", "M1", "opp", "list"),
    ("--as", "M1", "opp", "show", "1"),
])
def test_a_name_that_looks_like_markup_is_printed_as_it_is(book, vip, args):
    shown_literally(vip(*args))


def test_notes_that_look_like_markup_are_printed_as_they_are(book, vip):
    profile = vip("--as", "M1", "show", "C1")
    assert profile.code == 0, profile.err
    assert "[red]call back[/red]" in profile.out
    opportunities = vip("--as", "M1", "opp", "list")
    assert "[link=http://x]fund[/link]" in opportunities.out


def test_the_json_keeps_the_name_exactly(book, vip):
    listed = vip("--as", "M1", "customers", "--json")
    assert listed.code == 0, listed.err
    assert listed.json()[0]["name"] == NAME


def test_the_lobby_names_the_staff_member_as_text(book, vip):
    with book.begin() as conn:  # staff names are data too: they come from the staff extract
        conn.execute(update(models.Staff).where(models.Staff.staff_id == "M1").values(name=NAME))
    doc = vip("--as", "L1", "lobby", "C1", "--json").json()
    assert doc["route_to"]["name"] == NAME
    result = vip("--as", "L1", "lobby", "C1")
    shown_literally(result)
    assert f"Hand to: {SHOWN} M1" in result.out and doc["address_as"] in result.out


def test_an_imported_name_is_printed_as_it_is(vip, engine, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(output, "_console", None)
    factories.org(engine)
    # §13: an ESC is refused on import (tests/e2e/test_hygiene_cli.py); markup is plain text.
    path = factories.write_csv(tmp_path / "c.csv", ["customer_id", "name", "branch_id"],
                               [["C9", "[/bold]王[31m", "O001"]])
    imported = vip("--as", "OP1", "import", "customers", str(path))
    assert imported.code == 0, imported.err
    shown_literally(vip("--as", "H1", "customers"))
