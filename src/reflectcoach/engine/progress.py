"""How far through a conversation the person is, as "N of M" that never goes backwards.

M is the fewest questions any way to an end can still ask (branches and loops included, a
follow_up step counted as the parts it must ask at the least: one per open commitment or
talking point). Answering moves N on by one and can only keep or raise M, and at the last
question N == M. A longer guess (the longest way) would have to shrink again when a shorter
branch is taken, so "[10/20] -> [11/24] -> [14/23]"; a lower bound is the only total that is
never taken back, and `exact` says whether it can still grow ("of at least M").
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from reflectcoach.engine import followup
from reflectcoach.engine.followup import Part, Pending
from reflectcoach.engine.steps import DONE
from reflectcoach.script.model import QuestionType, Script, Step


class Progress(NamedTuple):
    done: int  # questions answered on the path
    total: int  # done + the fewest questions still to come
    exact: bool  # False: answers still to come may add questions

    def plain(self) -> str:
        """Plain mode's `[N/M]` for the question being asked (`[N/M+]`: at least M)."""
        return f"[{self.done + 1}/{self.total}{'' if self.exact else '+'}]"

    def words(self) -> str:
        """The app's line for the question being asked."""
        return f"Question {self.done + 1} of {'' if self.exact else 'at least '}{self.total}"


def _successors(script: Script, step: Step) -> set[str]:
    if step.end or not step.branches:
        return {DONE}
    return {b.go for b in step.branches if b.go in script.steps} or {DONE}


def _walk_size(step: Step, pending: Sequence[Pending], history: Sequence[Part]) -> tuple[int, int]:
    """(fewest, most) parts a follow_up step still asks. Not yet started: one per talking
    point; one to three per commitment ("Done", or "Partly", what is left, by when now)."""
    points = step.about == followup.POINTS
    answered = followup.run(step.id, history)
    least = most = 0
    for item in pending:
        parts = answered.get(item.id, {})
        status = parts.get(followup.STATUS)
        if status is None:
            least += 1
            most += 1 if points else 3
            continue
        if status.skipped or points:
            continue
        if status.value in followup.REASON_ASKS and followup.REASON not in parts:
            least, most = least + 1, most + 1
        if status.value in followup.NEEDS_DUE and followup.DUE not in parts:
            least, most = least + 1, most + 1
    return least, most


def measure(
    script: Script,
    state: str,
    done: int,
    pending: Callable[[Step], Sequence[Pending]],
    history: Sequence[Part],
) -> Progress:
    """Progress at `state` after `done` answers; `pending(step)` what a follow_up step walks,
    `history` the answers on the path (a follow_up step may be in the middle of its walk)."""
    if state == DONE:
        return Progress(done, done, True)
    least_of: dict[str, int] = {}
    most_of: dict[str, int] = {}
    for step in script.steps.values():
        if step.type is QuestionType.FOLLOW_UP:
            items = pending(step)
            if step.id == state:
                least_of[step.id], most_of[step.id] = _walk_size(step, items, history)
            else:
                least_of[step.id], most_of[step.id] = _walk_size(step, items, ())
        else:
            least_of[step.id] = most_of[step.id] = 1 if step.is_question else 0
    after = {step.id: _successors(script, step) for step in script.steps.values()}
    least = _fewest(after, least_of).get(state, 0)
    most = _most(after, most_of, state)
    return Progress(done, done + least, most == least)


def _fewest(after: Mapping[str, set[str]], weight: Mapping[str, int]) -> dict[str, int]:
    """Fewest questions from each step to an end (Dijkstra from DONE along reversed edges)."""
    before: dict[str, list[str]] = {}
    for source, targets in after.items():
        for target in targets:
            before.setdefault(target, []).append(source)
    best: dict[str, int] = {DONE: 0}
    queue = [(0, DONE)]
    while queue:
        cost, node = heapq.heappop(queue)
        if cost > best.get(node, cost):
            continue
        for source in before.get(node, ()):
            through = cost + weight[source]
            if through < best.get(source, through + 1):
                best[source] = through
                heapq.heappush(queue, (through, source))
    return best


def _most(after: Mapping[str, set[str]], weight: Mapping[str, int], start: str) -> float:
    """Most questions from `start` to an end; infinite when a loop can be reached (it may be
    gone round any number of times). Iterative: a 500-step chain must not hit the recursion
    limit."""
    best: dict[str, float] = {DONE: 0}
    stack = [(start, iter(sorted(after[start])))]
    on_stack = {start}
    looped: set[str] = set()
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            on_stack.discard(node)
            ahead = max((best.get(c, math.inf) for c in after[node]), default=0.0)
            best[node] = math.inf if node in looped else weight[node] + ahead
        elif child in on_stack:
            looped.add(node)
        elif child not in best:
            on_stack.add(child)
            stack.append((child, iter(sorted(after[child]))))
    return best[start]
