"""§18 reasons on `due_list`: the appointment on the list of everyone taking part (a joint
visit outside one's book shows that reason only), the complaint's deadlines on its owner's
list (serious ones on the branch head's too), the loss-risk retention alert, the special
period while it lasts, and a lost customer leaving the list (the branch head's header
counts it)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from tests import factories
from vipcli.db import models
from vipcli.services.contact.due import due_list

AS_OF = dt.date(2026, 11, 27)  # a Friday; no Chinese holiday within 3 days
MET = dt.datetime(2026, 11, 20, 10, 0)  # a meeting a week ago: no cadence reason for 30 days


@pytest.fixture
def book(engine):
    factories.org(engine)
    for cid, manager in (("C1", "M1"), ("C2", "M2")):
        factories.customer(engine, cid, manager_id=manager, signed_tier="diamond",
                           status="signed", birth_date=dt.date(1970, 6, 15))
        factories.rows(engine, models.RiskAssessment, dict(
            customer_id=cid, level=3, assessed_on=dt.date(2026, 6, 1),
            valid_until=dt.date(2027, 6, 1), recorded_at=MET))
        factories.rows(engine, models.Contact, dict(customer_id=cid, staff_id=manager,
                                                    contacted_at=MET, channel="meeting"))
    return engine


def reasons(ctx, actor: str, customer: str = "C1", as_of=AS_OF, **kw) -> list[dict]:
    doc = due_list(ctx(actor), as_of=as_of, **kw)
    item = next((i for i in doc["items"] if i["customer_id"] == customer), None)
    return item["reasons"] if item else []


def kinds(ctx, actor, customer="C1", as_of=AS_OF, **kw) -> list[str]:
    return [r["kind"] for r in reasons(ctx, actor, customer, as_of, **kw)]


def test_nothing_is_due_in_the_quiet_book(ctx, book):
    assert kinds(ctx, "M1") == [] and kinds(ctx, "M2", "C2") == []


def appointment(engine, customer: str, at: dt.datetime, *staff: str, cancelled=None) -> None:
    with engine.begin() as conn:
        new_id = conn.execute(models.Appointment.__table__.insert().values(
            customer_id=customer, at=at, place="贵宾室", purpose="资产配置",
            created_by=staff[0], created_at=MET, cancelled_at=cancelled)
            .returning(models.Appointment.id)).scalar_one()
        conn.execute(models.AppointmentStaff.__table__.insert(),
                     [dict(appointment_id=new_id, staff_id=s) for s in staff])


def test_an_appointment_is_on_every_list_involved_from_the_day_before(ctx, book):
    appointment(book, "C1", dt.datetime(2026, 11, 30, 14, 30), "M1", "M2")
    assert "appointment" not in kinds(ctx, "M1", as_of=dt.date(2026, 11, 28))  # two days ahead
    for day in (dt.date(2026, 11, 29), dt.date(2026, 11, 30)):
        mine = reasons(ctx, "M1", as_of=day)
        assert [r["kind"] for r in mine] == ["appointment"]
        assert "14:30" in mine[0]["detail"] and "張經理 M2" in mine[0]["detail"]
        joint = reasons(ctx, "M2", as_of=day)  # C1 is not in M2's book: the visit only
        assert [r["kind"] for r in joint] == ["appointment"]
        assert "李經理 M1" in joint[0]["detail"] and "貴賓室" not in joint[0]["detail"]
    assert kinds(ctx, "M1", as_of=dt.date(2026, 12, 1)) == []
    assert kinds(ctx, "M3", as_of=dt.date(2026, 11, 30)) == []  # not taking part


def test_a_cancelled_appointment_is_on_no_list(ctx, book):
    appointment(book, "C1", dt.datetime(2026, 11, 27, 15), "M1", "M2", cancelled=MET)
    assert kinds(ctx, "M1") == [] and kinds(ctx, "M2") == []


def complaint(engine, customer="C1", owner="M1", severity="normal", acknowledged=None) -> None:
    factories.rows(engine, models.Complaint, dict(
        customer_id=customer, owner_id=owner, recorded_by="T1", text="排队太久",
        severity=severity, status="open", opened_at=dt.datetime(2026, 11, 26, 9),
        ack_due=dt.date(2026, 11, 27), resolve_due=dt.date(2026, 12, 1),
        acknowledged_at=acknowledged))


def test_a_complaint_is_due_for_acknowledgement_then_resolution(ctx, book):
    complaint(book)
    first = reasons(ctx, "M1")
    assert [(r["kind"], r["due_date"]) for r in first] == [("complaint", "2026-11-27")]
    assert "acknowledge by" in first[0]["detail"]
    late = reasons(ctx, "M1", as_of=dt.date(2026, 11, 29))
    assert late[0]["overdue_days"] == 2
    with book.begin() as conn:
        conn.execute(update(models.Complaint).values(acknowledged_at=dt.datetime(2026, 11, 27, 11)))
    after = reasons(ctx, "M1")
    assert [(r["kind"], r["due_date"]) for r in after] == [("complaint", "2026-12-01")]
    assert "resolve by" in after[0]["detail"]
    # a normal complaint is its owner's: not on the branch head's outlet list
    assert kinds(ctx, "H1") == []


def test_a_serious_complaint_is_also_on_the_branch_heads_list(ctx, book):
    complaint(book, severity="serious")
    assert kinds(ctx, "H1") == ["complaint"]
    assert "Serious complaint" in reasons(ctx, "H1")[0]["detail"]
    assert kinds(ctx, "M1") == ["complaint"]


def test_a_complaint_owned_outside_the_book_shows_that_reason_only(ctx, book):
    complaint(book, owner="M3")
    assert kinds(ctx, "M3") == ["complaint"] and kinds(ctx, "M1") == []
    with book.begin() as conn:
        conn.execute(update(models.Complaint).values(status="resolved"))
    assert kinds(ctx, "M3") == []


def test_loss_risk_below_half_the_card_floor_is_a_retention_alert(ctx, book):
    # Diamond floor 5,000,000: 2,499,999.99 is below half, 2,500,000.00 is not
    factories.customer(book, "C3", manager_id="M1", signed_tier="diamond", status="signed",
                       adb12_fen=249_999_999, months_below_signed=1)
    factories.customer(book, "C4", manager_id="M1", signed_tier="diamond", status="signed",
                       adb12_fen=250_000_000, months_below_signed=1)
    for cid in ("C3", "C4"):  # the extract is there (no drop); met before the screening's month ended: not settled
        factories.assets(book, cid, {"2026-09": "2000000", "2026-10": "2000000"})
        factories.rows(book, models.Contact, dict(customer_id=cid, staff_id="M1",
                                                  contacted_at=dt.datetime(2026, 10, 31, 10),
                                                  channel="meeting"))
        factories.rows(book, models.RiskAssessment, dict(
            customer_id=cid, level=3, assessed_on=dt.date(2026, 6, 1),
            valid_until=dt.date(2027, 6, 1), recorded_at=MET))
    doc = due_list(ctx("M1"), as_of=AS_OF)
    c3 = next(i for i in doc["items"] if i["customer_id"] == "C3")
    assert [r["kind"] for r in c3["reasons"]] == ["loss_risk"]  # the downgrade said once
    assert c3["priority"] == "retention" and c3["suggested_channel"] == "meeting"
    assert "2,499,999.99" in c3["reasons"][0]["detail"]
    c4 = next(i for i in doc["items"] if i["customer_id"] == "C4")
    assert [r["kind"] for r in c4["reasons"]] == ["downgrade_risk"]
    head = due_list(ctx("H1"), as_of=AS_OF)
    assert "loss_risk" in [r["kind"] for i in head["items"] if i["customer_id"] == "C3"
                           for r in i["reasons"]]
    # a contact after the screening settles it until a new screening
    factories.rows(book, models.Contact, dict(customer_id="C3", staff_id="M1",
                                              contacted_at=dt.datetime(2026, 11, 26, 10),
                                              channel="phone"))
    assert kinds(ctx, "M1", "C3") == []


def test_a_special_period_is_a_care_reason_while_it_lasts(ctx, book):
    with book.begin() as conn:
        conn.execute(update(models.Customer).where(models.Customer.customer_id == "C1").values(
            special_period="住院治疗", special_until=dt.date(2026, 12, 10)))
    found = reasons(ctx, "M1")  # last contact a week ago: the care call is due
    assert [r["kind"] for r in found] == ["special_period"] and "住院治疗" in found[0]["detail"]
    assert kinds(ctx, "M1", as_of=dt.date(2026, 11, 26)) == []  # contacted 6 days before
    assert kinds(ctx, "M1", as_of=dt.date(2026, 12, 11)) == []  # over
    with book.begin() as conn:
        conn.execute(update(models.Customer).values(special_until=None))
    assert kinds(ctx, "M1", as_of=dt.date(2026, 12, 11)) == ["special_period"]


def test_a_lost_customer_leaves_the_list_and_the_branch_head_hears_of_it(ctx, book):
    complaint(book)
    assert kinds(ctx, "M1") == ["complaint"]
    with book.begin() as conn:
        conn.execute(update(models.Customer).where(models.Customer.customer_id == "C1").values(
            status="lost", status_before_lost="signed", lost_on=dt.date(2026, 11, 25)))
    assert kinds(ctx, "M1") == [] and kinds(ctx, "H1") == []
    doc = due_list(ctx("H1"), as_of=AS_OF)
    assert doc["outlet"]["lost_recently"] == 1
    assert due_list(ctx("H1"), as_of=dt.date(2026, 12, 2))["outlet"]["lost_recently"] == 0
