"""`vip log-contact` and `vip report list|review` (and the old `vip reports`) through the real
command line."""

from __future__ import annotations

import sys

import pytest

from tests import factories


@pytest.fixture
def data(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.customer(engine, "C1", manager_id="M1", signed_tier="diamond", status="signed")
    return engine


def no_prompt(*_args, **_kwargs):
    raise AssertionError("prompted without a terminal")


def test_log_contact_json_follows_the_contract(vip, data, monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    monkeypatch.setattr("typer.prompt", no_prompt)
    result = vip("--as", "M1", "log-contact", "C1", "--channel", "電話", "--at", "2026-11-26T15:30",
                 "--summary", "care call", "--next", "send fact sheet", "--next-date", "2026-12-01",
                 "--json")
    assert result.code == 0, result.err
    doc = result.json()
    assert {k: doc[k] for k in ("customer_id", "staff_id", "at", "channel")} == {
        "customer_id": "C1", "staff_id": "M1", "at": "2026-11-26T15:30:00", "channel": "phone"}
    assert isinstance(doc["contact_id"], int)


def test_no_prompts_without_a_terminal(vip, data, monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    monkeypatch.setattr("typer.prompt", no_prompt)
    result = vip("--as", "M1", "log-contact", "C1", "--channel", "sms")
    assert result.code == 0, result.err
    assert "Contact 1 logged for C1" in result.err


def test_missing_report_fields_are_asked_on_a_terminal(vip, data, monkeypatch):
    asked = []
    answers = {"Next-step plan": "visit", "Next-step date (YYYY-MM-DD)": "2026-12-03"}

    def prompt(question, **kwargs):
        assert kwargs.get("err") is True  # questions on stderr: stdout stays one JSON document
        asked.append(question)
        return answers.get(question, "")

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("typer.prompt", prompt)
    result = vip("--as", "M1", "log-contact", "C1", "--channel", "meeting", "--summary", "s", "--json")
    assert result.code == 0, result.err
    assert asked == ["Key points", "Needs or problems raised", "Next-step plan",
                     "Next-step date (YYYY-MM-DD)"]
    reports = vip("--as", "M1", "reports", "--json").json()
    assert reports[0]["next_plan"] == "visit" and reports[0]["next_date"] == "2026-12-03"


@pytest.mark.parametrize("args, message", [
    (("--at", "2026-11-28T09:00"), "in the future"),
    (("--at", "2026-11-26", "--next", "x", "--next-date", "2026-11-25"), "before the contact"),
    (("--next", "x"), "--next needs --next-date"),
    (("--at", "yesterday"), "--at must be a date"),
])
def test_log_contact_refusals_exit_1(vip, data, monkeypatch, args, message):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    result = vip("--as", "M1", "log-contact", "C1", "--channel", "phone", *args)
    assert result.code == 1 and message in result.err


def test_unknown_channel_and_invisible_customer(vip, data, monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    assert "Unknown channel" in vip("--as", "M1", "log-contact", "C1", "--channel", "fax").err
    assert vip("--as", "M2", "log-contact", "C1", "--channel", "phone").code == 1


def test_reports_review_flow(vip, data, monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    report = vip("--as", "M1", "log-contact", "C1", "--channel", "phone", "--key-points",
                 "kp [bold]rates[/bold]", "--json")
    assert report.code == 0, report.err
    listing = vip("--as", "H1", "reports", "--unreviewed")
    assert listing.code == 0 and "[bold]" in listing.out  # free text is shown literally
    rid = vip("--as", "H1", "reports", "--json").json()[0]["report_id"]
    assert vip("--as", "M1", "reports", "review", str(rid), "--comment", "ok").code == 1
    done = vip("--as", "H1", "reports", "review", str(rid), "--comment", "well prepared", "--json")
    assert done.code == 0 and done.json()["reviewed_by"] == "H1"
    again = vip("--as", "H1", "reports", "review", str(rid), "--comment", "twice")
    assert again.code == 1 and "already reviewed" in again.err
    assert vip("--as", "H1", "reports", "--unreviewed", "--json").json() == []


def test_report_list_and_review_are_in_the_one_report_group(vip, data, monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    assert vip("--as", "M1", "log-contact", "C1", "--channel", "phone", "--json").code == 0
    listed = vip("--as", "H1", "report", "list", "--unreviewed", "--json").json()
    assert listed == vip("--as", "H1", "reports", "--unreviewed", "--json").json()
    assert len(listed) == 1
    table = vip("--as", "H1", "report", "list")
    assert table.code == 0 and "Communication reports: 1" in table.out
    done = vip("--as", "H1", "report", "review", str(listed[0]["report_id"]), "--comment", "ok")
    assert done.code == 0 and f"Report {listed[0]['report_id']} reviewed by H1" in done.err
    assert vip("--as", "H1", "report", "list", "--unreviewed", "--json").json() == []


def test_reports_is_a_hidden_alias_and_report_alone_shows_its_help(vip):
    top = vip("--help").out
    assert "\n  report " in top and "\n  reports " not in top
    alone = vip("report")
    assert alone.out == "" and "Usage:" in alone.err
    for name in ("compliance", "weekly", "retention", "list", "show", "review"):
        assert f"\n  {name} " in alone.err
        assert f"\n  {name} " in vip("reports", "--help").out


@pytest.mark.parametrize("args", [("due",), ("log-contact",), ("reports",), ("reports", "review"),
                                  ("reports", "show"), ("report", "compliance"), ("report", "list"),
                                  ("report", "show"), ("report", "review"), ("report", "weekly"),
                                  ("report", "retention")])
def test_every_command_help_has_an_example(vip, args):
    result = vip(*args, "--help")
    assert result.code == 0 and "Example:" in result.out
