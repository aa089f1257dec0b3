"""`vip due` as today's plan (§5) through the real command: the default 15, the line for
the rest, --all, --limit, JSON total/shown, Chinese by default, 80/120/200 columns (§16)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from rich.cells import cell_len

from tests import factories
from vipcli.db import models

NAMES = ["欧阳明", "王芳", "李白", "张三丰", "赵敏", "周芷若", "司马相如", "黄蓉", "郭靖", "杨过",
         "小龙女", "令狐冲", "任盈盈", "岳灵珊", "林平之", "东方不败", "段誉", "王语嫣", "虚竹", "乔峰"]


@pytest.fixture
def book(engine, monkeypatch):
    """M1's 20 Diamond customers, none called yet (each due today); C01 also lost money."""
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    for n, name in enumerate(NAMES, start=1):
        cid = f"C{n:02d}"
        factories.customer(engine, cid, name=name, manager_id="M1", signed_tier="diamond",
                           status="signed", birth_date=dt.date(1970, 6, 15))
        factories.rows(engine, models.RiskAssessment, dict(
            customer_id=cid, level=3, assessed_on=dt.date(2026, 6, 1),
            valid_until=dt.date(2027, 6, 1), recorded_at=dt.datetime(2026, 6, 1, 9)))
    factories.rows(engine, models.Transaction, dict(customer_id="C01", txn_id="T1",
                                                    date=dt.date(2026, 11, 26),
                                                    amount_fen=-62_000_000, channel="online"))
    return engine


def test_the_terminal_shows_the_first_15_then_one_line_for_the_rest(vip, book):
    result = vip("--as", "M1", "due")
    assert result.code == 0, result.err
    assert "The 15 most urgent of 20 customers" in result.out
    assert "C15" in result.out and "C16" not in result.out
    assert result.out.rstrip().splitlines()[-1] == (
        "5 more customers waiting: `vip due --all` shows all, `--limit N` the first N.")


def test_all_shows_every_customer_and_no_more_line(vip, book):
    result = vip("--as", "M1", "due", "--all")
    assert result.code == 0 and "C20" in result.out and "more customer" not in result.out
    assert "20 customers to contact, most urgent first" in result.out


def test_limit_shows_any_number(vip, book):
    result = vip("--as", "M1", "due", "--limit", "3")
    assert "The 3 most urgent of 20 customers" in result.out and "C04" not in result.out
    assert "17 more customers waiting" in result.out


def test_json_holds_every_item_unless_limited(vip, book):
    doc = vip("--as", "M1", "due", "--json").json()
    assert (doc["total"], doc["shown"], len(doc["items"])) == (20, 20, 20)
    assert doc["missing_extract"] == "2026-10"  # no asset extract at all in this database
    first = doc["items"][0]
    assert first["customer_id"] == "C01" and first["priority"] == "retention"
    assert first["cadence_tier"] == "diamond" and first["suggested_channel"] == "meeting"
    limited = vip("--as", "M1", "due", "--json", "--limit", "2").json()
    assert (limited["total"], limited["shown"], len(limited["items"])) == (20, 2, 2)


@pytest.mark.parametrize("args, message", [
    (("--limit", "0"), "--limit must be a whole number in 1..1000000, got 0"),
    (("--all", "--limit", "5"), "--all and --limit cannot be used together"),
])
def test_bad_limits_are_one_line_and_exit_1(vip, book, args, message):
    result = vip("--as", "M1", "due", *args)
    assert result.code == 1 and message in result.err and result.out == ""
    assert "Traceback" not in result.err


def test_the_header_says_who_the_week_and_the_missing_extract(vip, book):
    out = vip("--as", "M1", "due").out
    assert "Today's plan for" in out and "M1, 2026-11-27" in out
    assert "This week: 0 of 10 customers contacted, 10 to go" in out
    assert "The 2026-10 asset extract is missing" in out


def _run(db_url: str, columns: int, lang: str = "en", *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, COLUMNS=str(columns), VIP_LANG=lang, VIP_DB=db_url,
               VIP_TODAY="2026-11-27")
    env.pop("LINES", None)
    return subprocess.run([sys.executable, "-m", "vipcli", "--as", "M1", "due", *args],
                          capture_output=True, text=True, env=env, timeout=60)


def test_chinese_by_default_header_and_reasons(book, db_url):
    done = _run(db_url, 100, "zh_CN", "--limit", "2")
    assert done.returncode == 0, done.stderr
    assert "今日联系计划（2026-11-27）" in done.stdout
    assert "本周已联系 0 位客户，目标 10 位，还差 10 位" in done.stdout
    assert "11月26日大额转出 ¥620,000.00" in done.stdout
    assert "钻石卡定期联系今天到期，尚未电话或面见" in done.stdout
    assert "还有 18 位客户待联系" in done.stdout
    assert "2026-10 月度资产数据缺失" in done.stdout


@pytest.mark.parametrize("columns", [80, 120, 200])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_no_line_wider_than_the_terminal_and_nothing_cut(book, db_url, columns, lang):
    done = _run(db_url, columns, lang, "--all")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= columns
    assert "…" not in done.stdout
    for n, name in enumerate(NAMES, start=1):
        assert f"C{n:02d}" in done.stdout and name in done.stdout
    assert "620,000.00" in done.stdout
    # A wide terminal gets the table, a narrow one a block per customer (at 120 either,
    # by what fits: Chinese labels are narrower than English ones).
    if columns != 120:
        assert ("┃" in done.stdout) is (columns == 200)
