"""The pure allocation algorithm of §2 (vipcli.domain.balancing): rules and properties."""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from vipcli.domain.balancing import (
    ADVISOR,
    PRIMARY,
    Client,
    Member,
    Policy,
    allocate,
    cannot_take,
    fewest_to_cover,
    handover_scope,
    staffing,
)

YUAN = 100
POLICY = Policy(
    per_manager={"diamond": 30, "platinum": 100, "gold": 200},
    per_advisor={"diamond": 60, "platinum": 400},
    lobby_band=(200_000 * YUAN, 500_000 * YUAN),
    teller_band=(100_000 * YUAN, 200_000 * YUAN),
    tolerance=Fraction(1, 10),
)
DIAMOND = Fraction(1, 30)
WEIGHT = {"diamond": DIAMOND, "platinum": Fraction(1, 100), "gold": Fraction(1, 200)}
CAPACITIES = [Fraction(1, 2), Fraction(4, 5), Fraction(1), Fraction(6, 5), Fraction(3, 2)]


def am(staff_id, capacity=Fraction(1), active=True):
    return Member(staff_id, "account_manager", capacity, active)


def final_holders(clients, plan):
    """Apply a plan to the clients, as the service would."""
    moved = {(m.customer_id, m.role): m.to_id for m in plan.moves}
    return [
        Client(c.customer_id, c.tier, c.adb12_fen,
               moved.get((c.customer_id, PRIMARY), c.manager_id),
               moved.get((c.customer_id, ADVISOR), c.advisor_id))
        for c in clients
    ]


def primary_loads(clients, members):
    caps = {m.staff_id: m.capacity for m in members}
    held = {s: Fraction(0) for s in caps}
    for c in clients:
        if c.manager_id in held:
            held[c.manager_id] += WEIGHT[c.tier]
    return {s: held[s] / caps[s] for s in caps}


adb = st.integers(min_value=100_000 * YUAN, max_value=8_000_000 * YUAN)
tier = st.sampled_from(["diamond", "platinum", "gold"])


@st.composite
def fresh_clients(draw, max_size=120):
    pairs = draw(st.lists(st.tuples(tier, adb), max_size=max_size))
    return [Client(f"C{i:04}", t, a) for i, (t, a) in enumerate(pairs)]


@st.composite
def managers(draw, min_size=1, max_size=5):
    caps = draw(st.lists(st.sampled_from(CAPACITIES), min_size=min_size, max_size=max_size))
    return [am(f"M{i}", c) for i, c in enumerate(caps)]


@st.composite
def outlet(draw):
    """Managers plus, sometimes, a branch head, lobby managers, tellers, advisors, an inactive."""
    members = draw(managers(min_size=0))
    extra = [("H1", "branch_head"), ("L1", "lobby_manager"), ("L2", "lobby_manager"),
             ("T1", "teller"), ("A1", "advisor"), ("A2", "advisor")]
    for staff_id, role in extra:
        if draw(st.booleans()):
            members.append(Member(staff_id, role, draw(st.sampled_from(CAPACITIES))))
    members.append(am("MX", active=False))
    return members


# --- eligibility (§2 table) -------------------------------------------------------------


def test_diamond_may_go_to_the_branch_head_but_platinum_and_gold_may_not():
    head = Member("H1", "branch_head", Fraction(1))
    plan = allocate([Client("D", "diamond", 0), Client("P", "platinum", 0), Client("G", "gold", 0)],
                    [head], POLICY)
    assert [(m.customer_id, m.to_id) for m in plan.moves] == [("D", "H1")]
    assert [u for u in plan.unplaced if u[1] == PRIMARY] == [("P", PRIMARY), ("G", PRIMARY)]


def test_gold_goes_to_the_lobby_only_when_managers_are_full():
    lobby = Member("L1", "lobby_manager", Fraction(1))
    gold = Client("G1", "gold", 300_000 * YUAN)
    roomy = allocate([gold], [am("M1"), lobby], POLICY)
    assert roomy.moves[0].to_id == "M1"
    full = [Client(f"D{i:02}", "diamond", 6_000_000 * YUAN, manager_id="M1") for i in range(30)]
    plan = allocate([*full, gold], [am("M1"), lobby], POLICY)
    assert [(m.customer_id, m.to_id) for m in plan.moves if m.role == PRIMARY] == [("G1", "L1")]


def test_lobby_band_upper_bound_is_exclusive_and_teller_band_lower_bound_inclusive():
    full = [Client(f"D{i:02}", "diamond", 6_000_000 * YUAN, manager_id="M1") for i in range(30)]
    staff = [am("M1"), Member("L1", "lobby_manager", Fraction(1)), Member("T1", "teller", Fraction(1))]
    golds = [Client("G500", "gold", 500_000 * YUAN), Client("G200", "gold", 200_000 * YUAN),
             Client("G19999999", "gold", 200_000 * YUAN - 1), Client("G100", "gold", 100_000 * YUAN)]
    moves = {m.customer_id: m.to_id for m in allocate([*full, *golds], staff, POLICY).moves}
    assert moves == {"G500": "M1", "G200": "L1", "G19999999": "T1", "G100": "T1"}


def test_inactive_staff_get_nobody_and_their_customers_are_reassigned():
    clients = [Client("C1", "gold", 0, manager_id="MX"), Client("C2", "gold", 0)]
    plan = allocate(clients, [am("MX", active=False), am("M1")], POLICY)
    assert {(m.customer_id, m.from_id, m.to_id) for m in plan.moves} == {("C1", "MX", "M1"),
                                                                         ("C2", None, "M1")}
    assert "inactive" in plan.moves[0].reason or "inactive" in plan.moves[1].reason
    assert "MX" not in plan.loads


def test_a_manager_of_another_outlet_never_keeps_or_receives_a_customer():
    plan = allocate([Client("C1", "platinum", 0, manager_id="M4")], [am("M1")], POLICY)
    assert [(m.from_id, m.to_id, m.reason) for m in plan.moves] == [
        ("M4", "M1", "M4 is not staff of this outlet")]


def test_existing_eligible_assignments_stay_without_rebalance():
    clients = [Client(f"C{i}", "gold", 0, manager_id="M1") for i in range(50)]
    assert allocate(clients, [am("M1"), am("M2")], POLICY).moves == []


def test_advisors_attach_to_diamond_and_platinum_only():
    clients = [Client("D", "diamond", 0), Client("P", "platinum", 0), Client("G", "gold", 0)]
    plan = allocate(clients, [am("M1"), Member("A1", "advisor", Fraction(1))], POLICY)
    assert sorted(m.customer_id for m in plan.moves if m.role == ADVISOR) == ["D", "P"]
    assert plan.loads["A1"] == Fraction(1, 60) + Fraction(1, 400)


def test_when_everyone_is_full_the_lowest_resulting_load_takes_the_overflow():
    clients = [Client(f"D{i:02}", "diamond", 6_000_000 * YUAN) for i in range(61)]
    plan = allocate(clients, [am("M1"), am("M2")], POLICY)
    assert [u for u in plan.unplaced if u[1] == PRIMARY] == []
    assert plan.loads == {"M1": Fraction(31, 30), "M2": Fraction(1)}
    assert plan.overflow() == ["M1"]


def test_staffing_required_is_the_ceiling_of_customers_over_ratio():
    clients = [Client("D1", "diamond", 0)] * 31 + [Client("P1", "platinum", 0)] * 100
    gap = staffing(clients, [am("M1"), am("M2", Fraction(1, 2)), am("MX", active=False)], POLICY)
    assert (gap[PRIMARY].required, gap[PRIMARY].available) == (3, 2)
    assert gap[PRIMARY].capacity == Fraction(3, 2) and gap[PRIMARY].short
    assert (gap[ADVISOR].required, gap[ADVISOR].available) == (1, 0)


# --- rebalance ------------------------------------------------------------------------


def test_rebalance_moves_the_fewest_customers_lower_value_first():
    # M1 holds 40 Diamonds (4/3) and M2 nothing: ceiling min(1, 2/3 + 1/10) = 23/30, so M1
    # must shed 17 Diamonds' weight; 17 Diamonds is the fewest, the lowest ADB12 first.
    clients = [Client(f"D{i:02}", "diamond", (6_000_000 + i) * YUAN, manager_id="M1") for i in range(40)]
    plan = allocate(clients, [am("M1"), am("M2")], POLICY, rebalance=True)
    assert sorted(m.customer_id for m in plan.moves) == [f"D{i:02}" for i in range(17)]
    assert {m.reason for m in plan.moves} == {"rebalance"}


def test_rebalance_moves_diamonds_rather_than_many_golds():
    # M1 holds 120 Golds + 14 Diamonds (16/15), M2 (capacity 0.50) nothing: ceiling
    # min(1, mean + 0.1) = 73/90; the excess needs 8 Diamonds (7 Diamonds + 1 Gold fall short).
    golds = [Client(f"G{i:03}", "gold", 150_000 * YUAN, manager_id="M1") for i in range(120)]
    diamonds = [Client(f"D{i}", "diamond", (6_000_000 + i) * YUAN, manager_id="M1") for i in range(14)]
    members = [am("M1"), am("M2", Fraction(1, 2))]
    plan = allocate([*golds, *diamonds], members, POLICY, rebalance=True)
    loads = primary_loads(final_holders([*golds, *diamonds], plan), members)
    assert all(load <= 1 for load in loads.values())
    assert len(plan.moves) == fewest_needed([*golds, *diamonds], members)
    assert sorted(m.customer_id for m in plan.moves) == [f"D{i}" for i in range(8)]


def test_rebalance_moves_the_lower_value_customer_among_equally_few():
    # M1: 24 Diamonds + 11 Platinums (0.91), M2: 140 Golds (0.70); ceiling 0.905. One
    # customer covers the excess: a Platinum, the lowest ADB12 one, not a Diamond.
    mine = [Client(f"D{i:02}", "diamond", 6_000_000 * YUAN, "M1") for i in range(24)]
    mine += [Client(f"P{i:02}", "platinum", (2_000_000 - i) * YUAN, "M1") for i in range(11)]
    theirs = [Client(f"G{i:03}", "gold", 150_000 * YUAN, "M2") for i in range(140)]
    plan = allocate([*mine, *theirs], [am("M1"), am("M2")], POLICY, rebalance=True)
    assert [(m.customer_id, m.to_id) for m in plan.moves] == [("P10", "M2")]


def fewest_needed(clients, members):
    """Independent lower bound: per manager over its ceiling, the fewest customers to remove."""
    caps = {m.staff_id: m.capacity for m in members if m.active}
    held = {s: Fraction(0) for s in caps}
    books = {s: [] for s in caps}
    for c in clients:
        held[c.manager_id] += WEIGHT[c.tier]
        books[c.manager_id].append(WEIGHT[c.tier])
    mean = sum(held.values()) / sum(caps.values())
    ceiling = mean + POLICY.tolerance if mean > 1 else min(Fraction(1), mean + POLICY.tolerance)
    total = 0
    for s in caps:
        excess, weights, count = held[s] - ceiling * caps[s], sorted(books[s], reverse=True), 0
        while excess > 0:
            excess, count = excess - weights[count], count + 1
        total += count
    return total


def test_fewest_to_cover_counts_heaviest_first():
    golds = [Fraction(1, 200)] * 5
    assert fewest_to_cover([*golds, DIAMOND], DIAMOND + Fraction(1, 200)) == 2
    assert fewest_to_cover([*golds, DIAMOND], DIAMOND + Fraction(1, 100)) == 3
    assert fewest_to_cover([DIAMOND], Fraction(0)) == 0


# --- handover ---------------------------------------------------------------------------


def test_handover_scope_is_the_whole_book_in_both_roles():
    clients = [Client("C1", "diamond", 0, "M1", "A1"), Client("C2", "gold", 0, "M2", None)]
    assert handover_scope(clients, "A1") == {("C1", ADVISOR)}
    assert handover_scope(clients, "M1") == {("C1", PRIMARY)}


def test_a_lobby_manager_cannot_take_a_managers_platinum_customers():
    clients = [Client("P1", "platinum", 0, "M1"), Client("G1", "gold", 300_000 * YUAN, "M1")]
    lobby = Member("L1", "lobby_manager", Fraction(1))
    assert cannot_take(clients, lobby, POLICY, "M1") == [("P1", PRIMARY)]


def test_balanced_handover_moves_only_the_departing_book():
    clients = [Client(f"C{i}", "gold", 0, "M1") for i in range(4)] + [Client("X", "gold", 0)]
    members = [am("M1"), am("M2"), am("M3")]
    plan = allocate(clients, members, POLICY, released=frozenset({"M1"}),
                    scope=handover_scope(clients, "M1"))
    assert sorted((m.customer_id, m.to_id) for m in plan.moves) == [
        ("C0", "M2"), ("C1", "M3"), ("C2", "M2"), ("C3", "M3")]


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(fresh_clients(), outlet())
def test_everyone_gets_exactly_one_primary_when_an_account_manager_is_active(clients, members):
    assume(any(m.role == "account_manager" and m.active for m in members))
    plan = allocate(clients, members, POLICY)
    after = final_holders(clients, plan)
    assert all(c.manager_id in plan.loads for c in after)
    assert not [u for u in plan.unplaced if u[1] == PRIMARY]
    assert len([m for m in plan.moves if m.role == PRIMARY]) == len(clients)


@settings(max_examples=150, deadline=None)
@given(fresh_clients(max_size=300), managers())
def test_nobody_is_over_capacity_when_the_total_allows(clients, members):
    # "Total allows": Σ weights + (n−1)·(Diamond weight) ≤ Σ capacity — the slack that
    # whole customers need; then lowest-resulting-load never has to overflow.
    total = sum(WEIGHT[c.tier] for c in clients)
    assume(total + (len(members) - 1) * DIAMOND <= sum(m.capacity for m in members))
    plan = allocate(clients, members, POLICY)
    assert all(load <= 1 for load in plan.loads.values())
    assert plan.overflow() == []


@settings(max_examples=150, deadline=None)
@given(fresh_clients(max_size=300), outlet())
def test_fresh_manager_loads_differ_by_at_most_one_diamond_per_smallest_capacity(clients, members):
    # Among active account managers, fresh allocation: max − min load ≤ (1/30) / min capacity
    # (one Diamond customer's weight when every capacity is 1.00).
    plan = allocate(clients, members, POLICY)
    ams = [m for m in members if m.role == "account_manager" and m.active]
    assume(len(ams) >= 2)
    loads = [plan.loads[m.staff_id] for m in ams]
    assert max(loads) - min(loads) <= DIAMOND / min(m.capacity for m in ams)


@settings(max_examples=100, deadline=None)
@given(fresh_clients(max_size=200), st.integers(min_value=2, max_value=5))
def test_equal_capacities_differ_by_at_most_one_diamond(clients, n):
    members = [am(f"M{i}") for i in range(n)]
    loads = allocate(clients, members, POLICY).loads.values()
    assert max(loads) - min(loads) <= DIAMOND


@settings(max_examples=150, deadline=None)
@given(fresh_clients(), outlet(), st.randoms(use_true_random=False), st.booleans())
def test_a_second_run_changes_nothing(clients, members, rnd, rebalance):
    holders = [m.staff_id for m in members] + ["M4", None]  # M4: another outlet's manager
    clients = [Client(c.customer_id, c.tier, c.adb12_fen, rnd.choice(holders), rnd.choice(holders))
               for c in clients]
    first = allocate(clients, members, POLICY, rebalance=rebalance)
    second = allocate(final_holders(clients, first), members, POLICY, rebalance=rebalance)
    assert second.moves == []
    assert second.loads == first.loads


@settings(max_examples=150, deadline=None)
@given(fresh_clients(max_size=150), managers(min_size=2), st.randoms(use_true_random=False))
def test_rebalance_moves_no_more_customers_than_necessary(clients, members, rnd):
    skewed = [m.staff_id for m in members[:1]] * 3 + [m.staff_id for m in members]
    clients = [Client(c.customer_id, c.tier, c.adb12_fen, rnd.choice(skewed)) for c in clients]
    plan = allocate(clients, members, POLICY, rebalance=True)
    primaries = [m for m in plan.moves if m.role == PRIMARY]
    assert len(primaries) <= fewest_needed(clients, members)
    assert all(m.reason == "rebalance" for m in primaries)


@settings(max_examples=150, deadline=None)
@given(fresh_clients(max_size=300), outlet())
def test_lobby_and_teller_hold_only_gold_in_their_band_and_only_when_managers_are_full(clients, members):
    plan = allocate(clients, members, POLICY)
    after = {c.customer_id: c for c in final_holders(clients, plan)}
    roles = {m.staff_id: m.role for m in members}
    ams = [m for m in members if m.role == "account_manager" and m.active]
    for move in plan.moves:
        role, client = roles[move.to_id], after[move.customer_id]
        if role in ("lobby_manager", "teller"):
            low, high = POLICY.lobby_band if role == "lobby_manager" else POLICY.teller_band
            assert client.tier == "gold" and low <= client.adb12_fen < high
            # loads only grow in a fresh allocation: full then means full at the end
            assert all(plan.loads[m.staff_id] + WEIGHT["gold"] / m.capacity > 1 for m in ams)


@settings(max_examples=100, deadline=None)
@given(fresh_clients(), outlet(), st.randoms(use_true_random=False), st.booleans())
def test_the_same_data_in_any_order_gives_the_same_plan(clients, members, rnd, rebalance):
    holders = [m.staff_id for m in members] + [None]
    clients = [Client(c.customer_id, c.tier, c.adb12_fen, rnd.choice(holders)) for c in clients]
    plan = allocate(clients, members, POLICY, rebalance=rebalance)
    shuffled_clients, shuffled_members = clients[:], members[:]
    random.Random(rnd.random()).shuffle(shuffled_clients)
    random.Random(rnd.random()).shuffle(shuffled_members)
    again = allocate(shuffled_clients, shuffled_members, POLICY, rebalance=rebalance)
    assert (again.moves, again.loads) == (plan.moves, plan.loads)


def test_customers_placed_beyond_capacity_are_named_and_only_those():
    # Two managers hold 30 Diamonds each (full); 3 more Diamonds and 1 Gold are unassigned.
    full = [Client(f"F{i:02}", "diamond", 5_000_000 * YUAN, "M1" if i < 30 else "M2")
            for i in range(60)]
    new = [Client(f"N{i}", "diamond", 6_000_000 * YUAN) for i in range(3)]
    lobby = Client("G1", "gold", 300_000 * YUAN)
    members = [am("M1"), am("M2"), Member("L1", "lobby_manager", Fraction(1))]
    plan = allocate(full + new + [lobby], members, POLICY)
    over = {(c, r) for c, r, _ in plan.over_capacity}
    assert over == {("N0", PRIMARY), ("N1", PRIMARY), ("N2", PRIMARY)}
    placed = {(m.customer_id, m.role): m.to_id for m in plan.moves}
    assert all(placed[c, r] == s for c, r, s in plan.over_capacity)
    assert placed["G1", PRIMARY] == "L1"  # the Gold fits a lobby manager within capacity
    assert set(plan.overflow()) == {s for _, _, s in plan.over_capacity}


def test_nobody_is_placed_beyond_capacity_when_there_is_room():
    clients = [Client(f"C{i}", "platinum", 2_000_000 * YUAN) for i in range(50)]
    plan = allocate(clients, [am("M1"), am("M2")], POLICY)
    assert plan.over_capacity == [] and plan.overflow() == []


def test_a_move_says_why_in_english_for_the_history_and_by_kind_for_the_screen():
    plan = allocate([Client("C1", "gold", 300_000 * YUAN, "MX")],
                    [am("M1"), am("MX", active=False)], POLICY)
    (move,) = plan.moves
    assert (move.kind, move.reason) == ("inactive", "MX is inactive")
