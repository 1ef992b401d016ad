"""One lazy greedy run of the portfolio planner over a flattened `IndexedCandidates`.

The run takes the action with the highest (value of its pairs not yet suitable) / (cost of
its keys not yet bought), skips what does not fit the remaining budget, and after each
purchase re-evaluates the actions whose cost fell. Every action keeps its current value and
cost: a cost falls by a key's cost when the key is bought; a value is summed again (in the
action's pair order, exactly as from scratch) the next time it is looked at after a step
made pairs of its unit suitable. So looking at an action costs no summing.
"""

from __future__ import annotations

import heapq
import math

from app.planning.indexed import IndexedCandidates, bits_of

TAKEN, WORTHLESS = 1, 2  # an action's state in a run besides 0: open


class Base:
    """What the already planned measures give: bought keys and suitable pairs."""

    __slots__ = ("bought", "covered", "owned")

    def __init__(self, pr: IndexedCandidates):
        self.bought = bytearray(len(pr.bkey_cost))  # building keys
        self.owned = [0] * len(pr.units)  # per unit: its bought unit-measure bits
        self.covered = [0] * len(pr.units)  # per unit: need bits suitable beyond today


class Run:
    """The outcome of one run: bought keys, suitable pairs, taken actions and steps."""

    __slots__ = (
        "bought",
        "cost",
        "covered",
        "done",
        "owned",
        "remaining",
        "stale",
        "steps",
        "total",
        "value",
    )

    def __init__(self, pr: IndexedCandidates, base: Base, budget: float):
        self.bought = bytearray(base.bought)
        self.owned = base.owned.copy()
        self.covered = base.covered.copy()
        self.done = bytearray(len(pr.act_cost))  # TAKEN, WORTHLESS or 0
        self.stale = bytearray(len(pr.act_cost))  # 1: `value` is to be summed again
        self.value = pr.act_value.copy()
        self.cost = pr.act_cost.copy()  # typical cost of the keys not yet bought
        self.remaining = budget
        self.total = 0.0
        # Per step: (action, unit measures owned and needs suitable before it, the building
        # keys it bought, value), in order.
        self.steps: list[tuple[int, int, int, list[int], float]] = []

    def current(self, pr: IndexedCandidates, a: int) -> float:
        """The value of `a` now: the weights of its pairs not yet suitable."""
        if not self.stale[a]:
            return self.value[a]
        if a < pr.n_unit_actions:
            needs, covered = pr.act_needs[a], self.covered[pr.act_unit[a]]
            v = 0.0
            for bit, w in zip(needs.worth_bits, needs.worth_weights, strict=True):
                if not covered & bit:
                    v += w
        else:
            v = pr.bundle_value(a, self.covered)
        self.value[a] = v
        self.stale[a] = 0
        return v


def cover(pr: IndexedCandidates, covered: list[int], a: int) -> None:
    """Make the pairs of `a` suitable."""
    if a < pr.n_unit_actions:
        covered[pr.act_unit[a]] |= pr.act_needs[a].mask
    else:
        for u, mask, _, _ in pr.bundle_segments[a - pr.n_unit_actions]:
            covered[u] |= mask


def greedy(
    pr: IndexedCandidates,
    base: Base,
    budget: float,
    order: list[int],
    neg: list[float],
    seed: int | None,
) -> Run:
    """One lazy greedy run over `order` (actions by initial ratio, best first) from `seed`.

    `neg[a]` is minus the initial ratio of `a`; a heap entry is (minus its ratio when
    re-evaluated, action), and the next action looked at is the least of the heap's top
    and the next of `order`, compared as such pairs. Every action that can still be taken
    has an entry at or above its current ratio, so the first entry found current is the
    best action (the lowest action id among equals). Extra entries are harmless: an entry
    above the current ratio is only put back lower.

    An action that does not fit is dropped until a key it needs is bought (which pushes it
    again): the remaining budget only shrinks. So once every action cost more at the start
    than the remaining budget, `order` is not read further: an action whose cost has
    changed since the start has its entry on the heap.
    """
    run = Run(pr, base, budget)
    done, stale, values, costs = run.done, run.stale, run.value, run.cost
    covered, owned, bought, steps = run.covered, run.owned, run.bought, run.steps
    act_unit, act_combo, act_needs, act_bkeys = (
        pr.act_unit,
        pr.act_combo,
        pr.act_needs,
        pr.act_bkeys,
    )
    unit_first, unit_bundles, bundles = pr.unit_first, pr.unit_bundles, pr.bundles
    bkey_cost, bkey_actions, bit_cost = pr.bkey_cost, pr.bkey_actions, pr.bit_cost
    bundle_umasks, n_unit = pr.bundle_umasks, pr.n_unit_actions
    current = run.current
    heap: list[tuple[float, int]] = []  # re-evaluated entries; `order` is only read
    push, pop, inf = heapq.heappush, heapq.heappop, math.inf
    remaining, total = budget, 0.0

    def take(a: int, v: float, c: int) -> None:
        if a < n_unit:
            buy(a, v, c)
            return
        # A bundle: take its members, best first (the first pays the shared key); a member
        # that is a bundle itself is taken whole before the next member.
        done[a] = TAKEN
        members = [iter(bundles[a - n_unit])]
        while members:
            for member in members[-1]:
                if not done[member]:
                    mv = current(pr, member)
                    if mv > 0:
                        if member < n_unit:
                            buy(member, mv, costs[member])
                            continue
                        done[member] = TAKEN
                        members.append(iter(bundles[member - n_unit]))
                        break
            else:
                members.pop()

    def buy(a: int, v: float, c: int) -> None:
        """Take unit action `a`: buy its keys, make its pairs suitable, record the step."""
        nonlocal remaining, total
        done[a] = TAKEN
        u, combo, needs, bkeys = act_unit[a], act_combo[a], act_needs[a], act_bkeys[a]
        had, before = owned[u], covered[u]
        new_bits = combo.umask & ~had
        new_bkeys = [k for k in bkeys if not bought[k]] if bkeys else bkeys
        owned[u] = had | combo.umask
        covered[u] = before | needs.mask
        for k in new_bkeys:
            bought[k] = 1
        remaining -= c
        total += v
        steps.append((a, had, before, new_bkeys, v))
        if needs.worth & ~before:  # the unit's actions and bundles are worth less now
            for b in range(unit_first[u], unit_first[u + 1]):
                stale[b] = 1
            for b in unit_bundles.get(u, ()):
                stale[b] = 1
        # Lower the costs of the actions with a key just bought, then look at them again.
        cheaper: list = []
        if new_bits:  # the unit's actions and bundles with them
            for b in range(unit_first[u], unit_first[u + 1]):
                other = act_combo[b]
                common = other.umask & new_bits
                if not common:
                    continue
                for bit in bits_of(common) if common & (common - 1) else (common,):
                    costs[b] -= bit_cost[bit]
                cheaper.append(b)
            for b in unit_bundles.get(u, ()):
                common = bundle_umasks[b - n_unit].get(u, 0) & new_bits
                if common:
                    for bit in bits_of(common) if common & (common - 1) else (common,):
                        costs[b] -= bit_cost[bit]
                    cheaper.append(b)
        for k in new_bkeys:
            kc, users = bkey_cost[k], bkey_actions[k]
            for other in users:
                costs[other] -= kc
            cheaper.extend(users)
        if cheaper:
            reevaluate(cheaper)

    def reevaluate(actions) -> None:
        """Push the open actions that fit (their cost fell, so their ratio rose). One whose
        keys are all bought makes its pairs suitable even when they are worth nothing by
        weight (they count in the totals)."""
        for other in actions:
            state = done[other]
            if state == TAKEN:
                continue
            oc = costs[other]
            if oc > remaining:
                continue  # dropped until a key it needs is bought
            if not state:
                ov = current(pr, other) if stale[other] else values[other]
                if ov > 0:
                    push(heap, (-(ov / oc) if oc else -inf, other))
                    continue
            if oc:
                done[other] = WORTHLESS
            else:
                done[other] = TAKEN
                cover(pr, covered, other)

    if seed is not None:
        take(seed, current(pr, seed), costs[seed])
    floor = min(costs, default=0)
    i, n = 0, len(order)
    if floor > remaining:
        i = n
    while True:
        if i < n:
            a = order[i]
            first = neg[a]
            if heap:
                top_neg, top = heap[0]
                if top_neg < first or (top_neg == first and top < a):
                    first, a = pop(heap)
                else:
                    i += 1
            else:
                i += 1
        elif heap:
            first, a = pop(heap)
        else:
            break
        if done[a]:
            continue
        c = costs[a]
        if c > remaining:
            continue  # pushed again if a key it needs gets bought
        v = current(pr, a) if stale[a] else values[a]
        if v <= 0:  # value never comes back: pairs only get covered
            if c:
                done[a] = WORTHLESS
            else:
                done[a] = TAKEN
                cover(pr, covered, a)
            continue
        ratio = v / c if c else inf
        if ratio < -first:  # stale: some of its pairs were made suitable meanwhile
            push(heap, (-ratio, a))
            continue
        if a < n_unit:
            buy(a, v, c)
        else:
            take(a, v, c)
        if floor > remaining:
            i = n
    run.remaining, run.total = remaining, total
    return run
