"""§18 leads on a real database: recording, linking by phone, the leads import, allocation."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select

from tests import factories
from vipcli.db.models import AuditLog, Lead
from vipcli.errors import ImportRejected, InvalidInput, PermissionDenied
from vipcli.services.allocation.assignment import assign
from vipcli.services.imports.importer import import_file
from vipcli.services.routine.leads import add_lead, link_leads, list_leads

HEADER = ["lead_id", "name", "phone", "source", "recorded_by", "branch_id", "note", "est_assets"]


@pytest.fixture
def org(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    return engine


def _lead(engine, lead_id: str) -> Lead:
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        found = session.get(Lead, lead_id)
        assert found is not None
        return found


def test_a_teller_records_a_lead_with_its_phone_sealed_and_masked(org, ctx):
    doc = add_lead(ctx("T1"), name="張偉", phone="139-0000-1111", est_assets_fen=30_000_000,
                   note="到店咨询")
    assert (doc["lead_id"], doc["phone"], doc["source"], doc["recorded_by"]) == (
        "L0000001", "139****1111", "walk_in", "T1")
    assert doc["est_assets"] == "300000.00" and doc["customer_id"] is None
    stored = _lead(org, "L0000001")
    assert stored.branch_id == "O001" and b"13900001111" not in bytes(stored.phone_sealed)
    assert stored.phone_masked == "139****1111" and stored.phone_hmac is not None
    with org.connect() as conn:
        actions = conn.execute(select(AuditLog.action, AuditLog.detail)).all()
    assert any(a == "lead_add" and "L0000001" in d and "1111" not in d for a, d in actions)


def test_ids_follow_the_highest_of_their_form(org, ctx):
    at = dt.datetime(2026, 11, 1, 9, 0)
    factories.rows(org, Lead, dict(lead_id="L0000041", name="甲", source="other", recorded_by="M1",
                                   branch_id="O001", created_at=at),
                   dict(lead_id="LX99", name="乙", source="other", recorded_by="M1", branch_id="O001",
                        created_at=at))
    assert add_lead(ctx("L1"), name="丙", phone="13900002222")["lead_id"] == "L0000042"


def test_a_customer_phone_links_the_lead_at_once(org, ctx):
    factories.customer(org, "C1", name="歐陽明", phone="13812345678")
    doc = add_lead(ctx("L1"), name="歐陽先生", phone="13812345678")
    assert doc["customer_id"] == "C1" and doc["customer_name"] == "歐**"


def test_another_outlets_customer_is_not_linked(org, ctx):
    factories.customer(org, "C2", phone="13812345678", branch_id="O002")
    assert add_lead(ctx("L1"), name="某人", phone="13812345678")["customer_id"] is None


def test_one_lead_per_phone_per_outlet(org, ctx):
    add_lead(ctx("L1"), name="張偉", phone="13900001111")
    with pytest.raises(InvalidInput, match="already lead L0000001"):
        add_lead(ctx("M1"), name="張偉", phone="139 0000 1111")
    assert add_lead(ctx("L2"), name="張偉", phone="13900001111")["branch_id"] == "O002"


@pytest.mark.parametrize("staff", ["OP1", "AP1", "AP2"])
def test_staff_of_no_outlet_may_not_record_a_lead(org, ctx, staff):
    with pytest.raises(PermissionDenied):
        add_lead(ctx(staff), name="張偉", phone="13900001111")


@pytest.mark.parametrize("phone", ["12ab", "1234", "+86 138 0000 00001 2345678"])
def test_a_bad_phone_is_refused(org, ctx, phone):
    with pytest.raises(InvalidInput, match="--phone"):
        add_lead(ctx("L1"), name="張偉", phone=phone)


def test_negative_assets_and_unknown_source_are_refused(org, ctx):
    with pytest.raises(InvalidInput, match="--est-assets"):
        add_lead(ctx("L1"), name="張偉", phone="13900001111", est_assets_fen=-1)
    with pytest.raises(InvalidInput, match="--source"):
        add_lead(ctx("L1"), name="張偉", phone="13900001111", source="radio")
    assert add_lead(ctx("L1"), name="張偉", phone="13900001111", source="转介绍")["source"] == "referral"


def test_list_scope_head_sees_all_others_own_and_free(org, ctx):
    add_lead(ctx("L1"), name="甲", phone="13900000001")
    add_lead(ctx("T1"), name="乙", phone="13900000002")
    add_lead(ctx("L2"), name="丙", phone="13900000003")
    from sqlalchemy import update

    with org.begin() as conn:
        conn.execute(update(Lead).where(Lead.lead_id == "L0000002").values(manager_id="M2"))
    ids = lambda docs: [d["lead_id"] for d in docs]  # noqa: E731
    assert ids(list_leads(ctx("H1"))) == ["L0000001", "L0000002"]
    assert ids(list_leads(ctx("M1"))) == ["L0000001"]  # M2's lead is not M1's to see
    assert ids(list_leads(ctx("M2"), mine=True)) == ["L0000002"]
    assert ids(list_leads(ctx("T1"))) == ["L0000001", "L0000002"]  # recorded it
    assert ids(list_leads(ctx("H1"), unassigned=True)) == ["L0000001"]
    with pytest.raises(PermissionDenied):
        list_leads(ctx("OP1"))


def test_concurrent_recorders_get_distinct_ids(org, ctx):
    made: list[str] = []
    errors: list[Exception] = []

    def record(n: int) -> None:
        try:
            made.append(add_lead(ctx("L1"), name=f"客{n}", phone=f"1390000{n:04d}")["lead_id"])
        except Exception as exc:  # pragma: no cover - the failure shows in the assert
            errors.append(exc)

    threads = [threading.Thread(target=record, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and sorted(made) == [f"L{n:07d}" for n in range(1, 7)]


def test_a_customers_import_links_the_lead_with_that_phone(org, ctx, tmp_path):
    add_lead(ctx("L1"), name="李娜", phone="13900001111")
    path = factories.write_csv(tmp_path / "customers.csv", ["customer_id", "name", "phone", "branch_id"],
                               [["C7", "李娜", "139-0000-1111", "O001"]])
    import_file(ctx("OP1"), "customers", path)
    assert _lead(org, "L0000001").customer_id == "C7"
    with org.connect() as conn:
        assert conn.execute(select(AuditLog.id).where(AuditLog.action == "lead_link")).first()
    with org.begin() as conn:
        assert link_leads(conn, None) == 0  # nothing left to link


def test_leads_import_seals_links_and_upserts(org, ctx, tmp_path):
    factories.customer(org, "C1", phone="13812345678")
    path = factories.write_csv(tmp_path / "leads.csv", HEADER, [
        ["L0000101", "覃志强", "13977120481", "到店", "L1", "O001", "咨询大额存单", "800000.00"],
        ["L0000102", "黄桂", "13812345678", "", "T1", "O001", "", ""],
    ])
    first = import_file(ctx("OP1"), "leads", path)
    assert (first["inserted"], first["updated"]) == (2, 0)
    assert import_file(ctx("OP1"), "leads", path)["updated"] == 2
    one, two = _lead(org, "L0000101"), _lead(org, "L0000102")
    assert (one.source, one.est_assets_fen, one.phone_masked) == ("walk_in", 80_000_000, "139****0481")
    assert (two.source, two.customer_id) == ("other", "C1")
    assert add_lead(ctx("L1"), name="新", phone="13900009999")["lead_id"] == "L0000103"


def test_leads_import_chinese_headers(org, ctx, tmp_path):
    path = factories.write_csv(tmp_path / "leads.csv",
                               ["线索号", "姓名", "手机号", "线索来源", "录入人", "网点号", "备注", "预估资产"],
                               [["L1", "覃志强", "13977120481", "转介绍", "M1", "O001", "", "1000"]])
    assert import_file(ctx("H1"), "leads", path)["inserted"] == 1
    assert _lead(org, "L1").source == "referral"


def test_leads_import_refuses_bad_rows_by_row_and_column(org, ctx, tmp_path):
    add_lead(ctx("L1"), name="張偉", phone="13900001111")
    path = factories.write_csv(tmp_path / "leads.csv", HEADER, [
        ["L0000201", "好", "13900002222", "walk_in", "L1", "O001", "", "100.00"],
        ["L0000202", "坏", "12ab", "walk_in", "L1", "O001", "", "-5"],
        ["L0000203", "重", "13900001111", "walk_in", "L1", "O001", "", ""],
        ["L0000204", "外", "13900003333", "walk_in", "L2", "O001", "", ""],
        ["L0000205", "复", "13900002222", "walk_in", "L1", "O001", "", ""],
    ])
    with pytest.raises(ImportRejected) as caught:
        import_file(ctx("OP1"), "leads", path)
    found = {(e["row"], e["column"]) for e in caught.value.details}
    assert found == {(3, "phone"), (3, "est_assets"), (4, "phone"), (5, "recorded_by"), (6, "phone")}
    with org.connect() as conn:
        assert conn.execute(select(Lead.lead_id)).scalars().all() == ["L0000001"]


def test_a_branch_head_imports_only_its_outlets_leads(org, ctx, tmp_path):
    path = factories.write_csv(tmp_path / "leads.csv", HEADER,
                               [["L1", "外", "13900003333", "walk_in", "L2", "O002", "", ""]])
    with pytest.raises(ImportRejected) as caught:
        import_file(ctx("H1"), "leads", path)
    assert [(e["row"], e["column"]) for e in caught.value.details] == [(2, "branch_id")]


def test_assign_allocates_free_leads_at_gold_load(org, ctx):
    add_lead(ctx("L1"), name="甲", phone="13900000001", est_assets_fen=50_000_000)
    add_lead(ctx("L1"), name="乙", phone="13900000002")
    factories.customer(org, "C9", phone="13900000003")
    add_lead(ctx("L1"), name="丙", phone="13900000003")  # linked: the customer, not the lead
    plan = assign(ctx("H1"), dry_run=True)
    moves = {m["lead_id"]: m for m in plan["assignments"] if m["lead_id"]}
    assert set(moves) == {"L0000001", "L0000002"}
    first = moves["L0000001"]
    assert first["customer_id"] is None and first["role"] == "primary"
    assert (first["tier"], first["adb12"], first["est_assets"]) == (None, None, "500000.00")
    assert _lead(org, "L0000001").manager_id is None  # dry run
    loads = {x["staff_id"]: x["load"] for x in plan["loads"]}
    assert loads[first["staff_id"]] == "0.005"  # 1/200: one Gold customer's load
    done = assign(ctx("H1"))
    held = _lead(org, "L0000001")
    assert held.manager_id == first["staff_id"] and str(held.assigned_on) == "2026-11-27"
    assert [m for m in done["assignments"] if m["lead_id"]] != []
    assert [m for m in assign(ctx("H1"))["assignments"] if m["lead_id"]] == []  # kept
