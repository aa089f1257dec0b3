"""The first ten minutes with a database (issue 12): a mistyped `--db` leaves no empty
database behind, a read-only command on a path that does not exist says so, an import
into a new file the operator names on purpose still creates it, and on a database with no
staff the unknown acting identity says how to start."""

from __future__ import annotations

import os

import pytest

from tests.factories import write_csv

BRANCHES = (["branch_id", "name", "parent_id", "level"],
            [["B01", "广西分行", "", "1"], ["O001", "民族支行", "B01", "3"]])


def test_a_read_only_command_on_a_missing_path_says_so_and_creates_nothing(vip, tmp_path):
    typo = tmp_path / "outlt.db"
    result = vip("--as", "S005", "due", db=str(typo))
    assert result.code == 1
    assert f"database {typo} does not exist" in result.err and "import branches" in result.err
    assert list(tmp_path.iterdir()) == []


def test_a_path_in_a_missing_folder_creates_neither_folder_nor_file(vip, tmp_path):
    result = vip("--as", "S001", "import", "branches", str(tmp_path / "x.csv"),
                 db=str(tmp_path / "nodir" / "vip.db"))
    assert result.code != 0 and "does not exist" in result.err
    assert not (tmp_path / "nodir").exists()


def test_a_url_typo_leaves_nothing_behind(vip, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = vip("--as", "S005", "due", db="postgresq://localhost/vip")
    assert result.code in (1, 2) and "Traceback" not in result.err
    assert list(tmp_path.iterdir()) == []


def test_an_import_into_a_new_file_creates_it(vip, tmp_path):
    new = tmp_path / "new.db"
    branches = write_csv(tmp_path / "branches.csv", *BRANCHES)
    result = vip("import", "branches", str(branches), "--json", db=str(new))
    assert result.code == 0, result.err
    assert result.json()["inserted"] == 2 and new.is_file()
    assert os.stat(new).st_mode & 0o077 == 0  # §13: owner only


def test_a_failed_first_import_removes_the_file_it_created(vip, tmp_path):
    new = tmp_path / "new.db"
    result = vip("--as", "S001", "import", "assets", str(tmp_path / "missing.csv"), db=str(new))
    assert result.code != 0
    assert not new.exists() and not (tmp_path / "new.db-wal").exists()


def test_a_failed_command_keeps_a_database_that_holds_data(vip, tmp_path):
    new = tmp_path / "new.db"
    branches = write_csv(tmp_path / "branches.csv", *BRANCHES)
    assert vip("import", "branches", str(branches), db=str(new)).code == 0
    assert vip("--as", "NOBODY", "due", db=str(new)).code == 1
    assert new.is_file()


def test_on_a_database_without_staff_the_unknown_identity_says_how_to_start(vip, tmp_path):
    new = tmp_path / "new.db"
    branches = write_csv(tmp_path / "branches.csv", *BRANCHES)
    assert vip("import", "branches", str(branches), db=str(new)).code == 0
    result = vip("--as", "S005", "due", db=str(new))
    assert result.code == 1 and len(result.err.strip().splitlines()) == 1
    assert "no staff yet" in result.err and "vip quickstart" in result.err
    assert "vip import staff FILE" in result.err


def test_the_default_database_is_still_created_on_first_use(vip, _isolated_home, monkeypatch):
    from vipcli.cli.app import run

    monkeypatch.delenv("VIP_DB", raising=False)
    assert run(["db", "upgrade"]) == 0
    assert (_isolated_home / "vip.db").is_file()


def test_the_empty_database_message_is_chinese_by_default(vip, tmp_path, monkeypatch):
    new = tmp_path / "new.db"
    branches = write_csv(tmp_path / "branches.csv", *BRANCHES)
    assert vip("import", "branches", str(branches), db=str(new)).code == 0
    monkeypatch.setenv("VIP_LANG", "zh_CN")
    result = vip("--as", "S005", "due", db=str(new))
    assert result.err.startswith("错误：数据库里还没有员工")


@pytest.mark.parametrize("args", [["--as", "S005", "due"], ["--as", "S004", "customers"]])
def test_a_typo_in_vip_db_is_treated_like_one_in_db(run_env, args):
    code, err, folder = run_env(args)
    assert code == 1 and "does not exist" in err and list(folder.iterdir()) == []


@pytest.fixture
def run_env(tmp_path, monkeypatch, capsys):
    from vipcli.cli.app import run

    def go(args: list[str]):
        monkeypatch.setenv("VIP_DB", str(tmp_path / "typo.db"))
        code = run(args)
        return code, capsys.readouterr().err, tmp_path

    return go
