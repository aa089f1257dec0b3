"""Balanced allocation of an outlet's VIP customers to its staff (SPEC §2) — pure and exact.

Plain values in, a deterministic plan out; no database. Definitions (docs/rules.md "Allocating customers"):
- weight of a customer on its primary manager = 1/ratio of its tier (Diamond 1/30, Platinum
  1/100, Gold 1/200), on its advisor 1/advisor ratio (Diamond 1/60, Platinum 1/400);
- load of a staff member = Σ weights / capacity, a Fraction (never a float);
- allocation: highest tier, then ADB12, then customer id first; each customer to the eligible
  person with the lowest resulting load, ties on staff_id. Gold goes to lobby managers /
  tellers (by ADB12 band) only when no account manager can take it within capacity. When
  nobody can, the lowest resulting load takes it anyway (overflow) so every customer keeps
  exactly one primary manager; the plan lists those customers (`over_capacity`);
- rebalance: see `_rebalance`.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from vipcli.i18n import N_

PRIMARY, ADVISOR = "primary", "advisor"
ROLES = (PRIMARY, ADVISOR)
_RANK = {"diamond": 3, "platinum": 2, "gold": 1}
CORE_ROLE = {PRIMARY: "account_manager", ADVISOR: "advisor"}
ONE = Fraction(1)
Heap = list[tuple[int, str]]  # (key of the load after taking one more customer, staff_id)
# (customer_id, role) → (its holder before the plan, why it moves: a key of REASONS)
Origins = dict[tuple[str, str], tuple[str | None, str]]


@dataclass(frozen=True)
class Member:
    """A staff member of the outlet (any role; only some hold customers)."""

    staff_id: str
    role: str
    capacity: Fraction
    active: bool = True


@dataclass(frozen=True)
class Client:
    """A customer: effective tier (higher of signed and qualified), ADB12, current holders."""

    customer_id: str
    tier: str | None
    adb12_fen: int = 0
    manager_id: str | None = None
    advisor_id: str | None = None

    def holder(self, role: str) -> str | None:
        return self.manager_id if role == PRIMARY else self.advisor_id

    def value_key(self) -> tuple[int, int, str]:
        """Ascending = lower value first (§2: rebalance moves lower-value customers first)."""
        return (_RANK.get(self.tier or "", 0), self.adb12_fen, self.customer_id)


@dataclass(frozen=True)
class Policy:
    """The §2 ratios and bands (rules.allocation), bands in fen as [min, max)."""

    per_manager: dict[str, int]
    per_advisor: dict[str, int]
    lobby_band: tuple[int, int]
    teller_band: tuple[int, int]
    tolerance: Fraction

    def weight(self, role: str, tier: str | None) -> Fraction:
        ratios = self.per_manager if role == PRIMARY else self.per_advisor
        return Fraction(1, ratios[tier]) if tier in ratios else Fraction(0)

    def needs(self, role: str, client: Client) -> bool:
        """Every VIP needs a primary manager; only Diamond and Platinum need an advisor."""
        return role == PRIMARY or client.tier in self.per_advisor

    def in_band(self, role: str, adb12_fen: int) -> bool:
        band = {"lobby_manager": self.lobby_band, "teller": self.teller_band}.get(role)
        return band is not None and band[0] <= adb12_fen < band[1]

    def may_hold(self, member: Member, client: Client, role: str) -> bool:
        """§2 eligibility by the member's role and the customer's tier (and ADB12 band)."""
        if role == ADVISOR:
            return member.role == "advisor"
        if member.role == "account_manager":
            return True
        if member.role == "branch_head":
            return client.tier in ("diamond", None)
        return client.tier == "gold" and self.in_band(member.role, client.adb12_fen)

    def stage(self, member: Member, role: str) -> int:
        """0 for the core pool (account managers / advisors); 1 for overflow holders."""
        if role == PRIMARY and member.role == "branch_head":
            return 0  # §2: the branch head is a first choice for Diamond, like a manager
        return 0 if member.role == CORE_ROLE[role] else 1


# §18: a lead is allocated beside the customers as a Gold client (Gold load) under a key
# no customer id can take (ids have no spaces, §12).
LEAD_PREFIX = "lead "


def lead_key(lead_id: str) -> str:
    return LEAD_PREFIX + lead_id


def lead_of(key: str) -> str | None:
    """The lead id of a client key, None for a customer."""
    return key[len(LEAD_PREFIX):] if key.startswith(LEAD_PREFIX) else None


# Why a customer moves, by kind (shown translated; the history keeps the English text).
REASONS = {
    "unassigned": N_("not yet assigned"),
    "foreign": N_("{holder} is not staff of this outlet"),
    "handover": N_("handover from {holder}"),
    "inactive": N_("{holder} is inactive"),
    "no_capacity": N_("{holder} has no capacity"),
    "ineligible": N_("{holder} ({role}) may not hold a {tier} customer"),
    "rebalance": N_("rebalance"),
}


@dataclass(frozen=True)
class Move:
    customer_id: str
    role: str
    from_id: str | None
    to_id: str
    reason: str  # English, as kept in the assignment history
    kind: str = ""  # a key of REASONS


@dataclass
class AllocationPlan:
    moves: list[Move]
    loads: dict[str, Fraction]  # staff_id → final load, every available holder
    unplaced: list[tuple[str, str]] = field(default_factory=list)  # (customer_id, role)
    # (customer_id, role, staff_id): placed although it took its holder above capacity
    over_capacity: list[tuple[str, str, str]] = field(default_factory=list)

    def overflow(self) -> list[str]:
        """Staff left above capacity (who had to take overflow), by staff_id."""
        return sorted(s for s, load in self.loads.items() if load > ONE)


class _RoleLedger:
    """Who holds which customer in one role, with exact running loads.

    Weights are kept as integer units (1/ratio = units/unit with unit = lcm of the ratios) and
    the greedy compares integer keys proportional to load (key of load 1 = `full`): exact like
    Fractions, but fast enough for thousands of customers."""

    def __init__(self, role: str, members: Iterable[Member], policy: Policy) -> None:
        self.role, self.policy = role, policy
        self.members = {m.staff_id: m for m in members}
        ratios = policy.per_manager if role == PRIMARY else policy.per_advisor
        self.unit = math.lcm(*ratios.values())
        self.units: dict[str | None, int] = {tier: self.unit // ratio for tier, ratio in ratios.items()}
        common = math.lcm(*(m.capacity.numerator for m in self.members.values()))
        self.scale = {s: m.capacity.denominator * (common // m.capacity.numerator)
                      for s, m in self.members.items()}
        self.full = self.unit * common
        self.held = {s: 0 for s in self.members}
        self.clients: dict[str, dict[str, Client]] = {s: {} for s in self.members}
        self.owner: dict[str, str] = {}

    def weight(self, client: Client) -> int:
        return self.units.get(client.tier, 0)

    def key_after(self, staff_id: str, units: int) -> int:
        return (self.held[staff_id] + units) * self.scale[staff_id]

    def share(self, staff_id: str) -> Fraction:
        """Σ weights held, in managers (e.g. 30 Diamonds = 1)."""
        return Fraction(self.held[staff_id], self.unit)

    def load(self, staff_id: str) -> Fraction:
        return self.share(staff_id) / self.members[staff_id].capacity

    def after(self, staff_id: str, units: int) -> Fraction:
        return Fraction(self.held[staff_id] + units, self.unit) / self.members[staff_id].capacity

    def take(self, client: Client, staff_id: str) -> None:
        self.drop(client)
        self.owner[client.customer_id] = staff_id
        self.clients[staff_id][client.customer_id] = client
        self.held[staff_id] += self.weight(client)

    def drop(self, client: Client) -> None:
        old = self.owner.pop(client.customer_id, None)
        if old is not None:
            del self.clients[old][client.customer_id]
            self.held[old] -= self.weight(client)


def _available(member: Member, released: frozenset[str]) -> bool:
    return member.active and member.capacity > 0 and member.staff_id not in released


def _invalid_reason(
    client: Client, role: str, staff: dict[str, Member], released: frozenset[str], policy: Policy
) -> str | None:
    """Why the current holder cannot keep the customer, a key of REASONS (None: it may)."""
    current = client.holder(role)
    if current is None:
        return "unassigned"
    member = staff.get(current)
    if member is None:
        return "foreign"  # §2: never across outlets
    if current in released:
        return "handover"
    if not member.active:
        return "inactive"
    if member.capacity <= 0:
        return "no_capacity"
    if not policy.may_hold(member, client, role):
        return "ineligible"
    return None


def reason_text(kind: str, holder: str | None, holder_role: str | None, tier: str | None) -> str:
    """The English reason kept in the history: `S012 is inactive`."""
    return REASONS[kind].format(holder=holder, role=holder_role, tier=tier or "non-VIP")


def allocate(
    clients: Iterable[Client],
    members: Iterable[Member],
    policy: Policy,
    *,
    rebalance: bool = False,
    released: frozenset[str] = frozenset(),
    scope: frozenset[tuple[str, str]] | None = None,
    target: str | None = None,
) -> AllocationPlan:
    """The plan for one outlet. `released`: staff who must give up their customers (handover);
    `scope`: only these (customer_id, role) may move (None: all); `target`: the one receiver."""
    staff = {m.staff_id: m for m in members}
    ordered = sorted(clients, key=lambda c: c.customer_id)  # input order never matters
    origin: Origins = {}
    ledgers, unplaced, over = [], [], []
    for role in ROLES:
        pool = [m for _, m in sorted(staff.items()) if _available(m, released) and _holds(m, role)]
        ledger = _RoleLedger(role, pool, policy)
        todo = []
        for client in ordered:
            reason = _invalid_reason(client, role, staff, released, policy)
            movable = scope is None or (client.customer_id, role) in scope
            wanted = policy.needs(role, client) or scope is not None
            if reason is not None and movable and wanted:
                origin[client.customer_id, role] = (client.holder(role), reason)
                todo.append(client)
            elif (holder := client.holder(role)) in ledger.members:
                ledger.take(client, holder)
        missed, overflowed = _place_all(ledger, todo, target)
        unplaced += missed
        over += overflowed
        if rebalance:

            def may_move(c: Client, r: str = role) -> bool:
                return scope is None or (c.customer_id, r) in scope

            _rebalance(ledger, may_move, origin)
        ledgers.append(ledger)
    plan = _plan(ledgers, origin, ordered, unplaced, staff)
    # A rebalance may move an overflowed customer on: it counts only where it stays.
    stayed = {(m.customer_id, m.role, m.to_id) for m in plan.moves}
    plan.over_capacity = [placed for placed in over if placed in stayed]
    return plan


def _value_desc(client: Client) -> tuple[int, int, str]:
    return (-_RANK.get(client.tier or "", 0), -client.adb12_fen, client.customer_id)


def _holds(member: Member, role: str) -> bool:
    if role == ADVISOR:
        return member.role == "advisor"
    return member.role in ("account_manager", "branch_head", "lobby_manager", "teller")


def _place_all(
    ledger: _RoleLedger, todo: list[Client], target: str | None
) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """Highest tier and ADB12 first, each to the lowest resulting load (§2). Returns the
    customers nobody may hold, and those placed above their holder's capacity."""
    todo.sort(key=_value_desc)
    unplaced, over, heaps, tier = [], [], {}, object()
    for client in todo:
        if target is not None:
            ledger.take(client, target)
            if ledger.key_after(target, 0) > ledger.full:
                over.append((client.customer_id, ledger.role, target))
            continue
        if client.tier != tier:  # one weight per tier: heaps of resulting load stay valid
            tier, weight = client.tier, ledger.weight(client)
            heaps = _heaps(ledger, weight)
        chosen = _choose(ledger, client, heaps)
        if chosen is None:
            unplaced.append((client.customer_id, ledger.role))
            continue
        heap = heaps[ledger.members[chosen].role]
        heapq.heappop(heap)
        ledger.take(client, chosen)
        if ledger.key_after(chosen, 0) > ledger.full:  # everyone eligible was full
            over.append((client.customer_id, ledger.role, chosen))
        heapq.heappush(heap, (ledger.key_after(chosen, weight), chosen))
    return unplaced, over


def _heaps(ledger: _RoleLedger, weight: int) -> dict[str, Heap]:
    heaps: dict[str, Heap] = {}
    for staff_id, member in ledger.members.items():
        heaps.setdefault(member.role, []).append((ledger.key_after(staff_id, weight), staff_id))
    for heap in heaps.values():
        heapq.heapify(heap)
    return heaps


def _choose(ledger: _RoleLedger, client: Client, heaps: dict[str, Heap]) -> str | None:
    """Core pool within capacity, else overflow holders within capacity (Gold by band),
    else — everyone full — the lowest resulting load of all eligible (overflow)."""
    tops = [(heap[0], stage) for heap, stage in _eligible_heaps(ledger, client, heaps)]
    if not tops:
        return None
    for stage in (0, 1):
        fitting = [top for top, s in tops if s == stage and top[0] <= ledger.full]
        if fitting:
            return min(fitting)[1]
    return min(top for top, _ in tops)[1]


def _eligible_heaps(
    ledger: _RoleLedger, client: Client, heaps: dict[str, Heap]
) -> list[tuple[Heap, int]]:
    """(heap, stage) of the roles that may hold `client`; eligibility depends only on the
    role, the tier and the ADB12 band, so one member stands for its role."""
    found = []
    for heap in heaps.values():
        if heap:
            member = ledger.members[heap[0][1]]
            if ledger.policy.may_hold(member, client, ledger.role):
                found.append((heap, ledger.policy.stage(member, ledger.role)))
    return found


def _plan(
    ledgers: list[_RoleLedger], origin: Origins, ordered: list[Client],
    unplaced: list[tuple[str, str]], staff: dict[str, Member],
) -> AllocationPlan:
    moves = []
    for client in sorted(ordered, key=_value_desc):
        for ledger in ledgers:
            key = (client.customer_id, ledger.role)
            final = ledger.owner.get(client.customer_id)
            if key in origin and final is not None and final != origin[key][0]:
                holder, kind = origin[key]
                member = staff.get(holder) if holder else None
                text = reason_text(kind, holder, member.role if member else None, client.tier)
                moves.append(Move(client.customer_id, ledger.role, holder, final, text, kind))
    moves.sort(key=lambda m: m.role != PRIMARY)  # stable: primaries first, value order kept
    loads = {s: ledger.load(s) for ledger in ledgers for s in sorted(ledger.members)}
    return AllocationPlan(moves, loads, unplaced)


def ceilings(ledger: _RoleLedger) -> dict[str, Fraction]:
    """§2 rebalance target per holder. mean = Σ weights / Σ capacity over the core pool
    (account managers, or advisors); a core member's ceiling is min(1, mean + tolerance), or
    mean + tolerance when the pool is over capacity on average (mean > 1); other holders
    (branch head, lobby, tellers) only need to be within max(1, that ceiling)."""
    core = [s for s, m in ledger.members.items() if m.role == CORE_ROLE[ledger.role]]
    capacity = sum((ledger.members[s].capacity for s in core), Fraction(0))
    mean = sum((ledger.share(s) for s in core), Fraction(0)) / capacity if capacity else ONE
    tolerance = ledger.policy.tolerance
    core_ceiling = mean + tolerance if mean > ONE else min(ONE, mean + tolerance)
    return {
        s: core_ceiling if m.role == CORE_ROLE[ledger.role] else max(ONE, core_ceiling)
        for s, m in ledger.members.items()
    }


def _rebalance(ledger: _RoleLedger, movable: Callable[[Client], bool], origin: Origins) -> None:
    """Passes until nothing moves: every holder above its ceiling gives up the fewest
    customers whose weight covers the excess (lower-value ones among equally few), each to
    the lowest resulting load that stays within its own ceiling. Managers' customers go to
    managers only, so ceilings never fall: a moved customer never moves again, and a second
    run starts from this fixpoint and changes nothing."""
    while True:
        limits, moved = ceilings(ledger), False
        for staff_id in sorted(ledger.members):
            if ledger.load(staff_id) <= limits[staff_id]:
                continue
            for client in shed_set(ledger, staff_id, limits[staff_id], movable):
                receiver = _receiver(ledger, client, staff_id, limits)
                if receiver is None:
                    continue
                origin.setdefault((client.customer_id, ledger.role), (staff_id, "rebalance"))
                ledger.take(client, receiver)
                moved = True
        if not moved:
            return


def fewest_to_cover(weights: Sequence[Fraction | int], excess: Fraction) -> int:
    """The least number of customers whose weights reach `excess` (heaviest first)."""
    total, count = Fraction(0), 0
    for weight in sorted(weights, reverse=True):
        if total >= excess:
            break
        total, count = total + weight, count + 1
    return count


def shed_set(
    ledger: _RoleLedger, staff_id: str, ceiling: Fraction, movable: Callable[[Client], bool]
) -> list[Client]:
    """The fewest movable customers bringing `staff_id` to its ceiling; among sets that
    small, the lower-value customers (tier, ADB12, id ascending) are taken first."""
    weight = ledger.weight
    pool = sorted(
        (c for c in ledger.clients[staff_id].values() if movable(c) and weight(c) > 0),
        key=Client.value_key,
    )
    need = ledger.held[staff_id] - ceiling * ledger.members[staff_id].capacity * ledger.unit
    count, chosen = fewest_to_cover([weight(c) for c in pool], need), []
    for slot in range(count):
        rest = count - slot - 1
        heavy = sorted((weight(c) for c in pool), reverse=True)
        for index, client in enumerate(pool):
            w = weight(client)
            # the other `rest` picks can be at most the heaviest `rest` of the others
            best_rest = sum(heavy[: rest + 1]) - w if rest and w >= heavy[rest - 1] else sum(heavy[:rest])
            if w + best_rest >= need:
                chosen.append(pool.pop(index))
                need -= w
                break
    return chosen


def _receiver(
    ledger: _RoleLedger, client: Client, giver: str, limits: dict[str, Fraction]
) -> str | None:
    weight = ledger.weight(client)
    from_core = ledger.members[giver].role == CORE_ROLE[ledger.role]
    for core in (True, False) if not from_core else (True,):
        fitting = [
            (ledger.after(s, weight), s)
            for s, m in ledger.members.items()
            if s != giver
            and (m.role == CORE_ROLE[ledger.role]) == core
            and ledger.policy.may_hold(m, client, ledger.role)
            and ledger.after(s, weight) <= limits[s]
        ]
        if fitting:
            return min(fitting)[1]
    return None


def handover_scope(clients: Iterable[Client], from_id: str) -> frozenset[tuple[str, str]]:
    """The departing member's whole ledger: every (customer, role) it holds."""
    return frozenset(
        (c.customer_id, role) for c in clients for role in ROLES if c.holder(role) == from_id
    )


def cannot_take(
    clients: Iterable[Client], member: Member, policy: Policy, from_id: str
) -> list[tuple[str, str]]:
    """(customer_id, role) of `from_id`'s ledger that `member` may not hold (§2 eligibility)."""
    return sorted(
        (c.customer_id, role)
        for c in clients
        for role in ROLES
        if c.holder(role) == from_id and not policy.may_hold(member, c, role)
    )


@dataclass(frozen=True)
class Staffing:
    """§2 staffing gap: what the ratios call for against active staff (count and capacity)."""

    role: str
    need: Fraction  # Σ customers / ratio, exact
    available: int
    capacity: Fraction

    @property
    def required(self) -> int:
        return -(-self.need.numerator // self.need.denominator)  # ceil

    @property
    def short(self) -> bool:
        return self.need > self.capacity


def staffing(
    clients: Iterable[Client], members: Iterable[Member], policy: Policy
) -> dict[str, Staffing]:
    members, per_tier = list(members), Counter(c.tier for c in clients)
    result: dict[str, Staffing] = {}
    for role in ROLES:
        need = sum((policy.weight(role, t) * n for t, n in per_tier.items()), Fraction(0))
        core = [m for m in members if m.role == CORE_ROLE[role] and _available(m, frozenset())]
        result[role] = Staffing(
            CORE_ROLE[role], need, len(core), sum((m.capacity for m in core), Fraction(0))
        )
    return result
