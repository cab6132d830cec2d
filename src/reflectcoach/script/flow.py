"""A script's steps as a graph: every branch names a step, every step is reached, and an
end can be reached from each (no loop a conversation could never leave)."""

from __future__ import annotations

from reflectcoach.script.parse import Parser
from reflectcoach.script.report import short


def check(p: Parser) -> None:
    order = list(p.steps)
    if not order:
        return
    edges: dict[str, list[str]] = {}
    for index, draft in enumerate(p.steps.values()):
        if draft.branches is None and not draft.end:
            if index + 1 < len(order):
                draft.branches = [(order[index + 1], None, draft.key)]
            else:
                draft.end = True
        targets = []
        for target, _, node in draft.branches or ():
            if target in p.steps:
                targets.append(target)
            else:
                hint = p.report.suggest_step(target, order)
                p.report.error_at(node, f"no step named '{short(target)}'{hint}")
                draft.bad_target = True
        edges[draft.id] = targets
    reachable = _reach([order[0]], edges)
    guessing = any(d.bad_target for d in p.steps.values())
    for step_id in order:
        if step_id not in reachable and not guessing:  # a bad target may be the cause
            p.report.warn(
                p.steps[step_id].key.line,
                p.steps[step_id].key.col,
                f"step '{step_id}' is never reached",
            )
    # Steps with broken parts count as ending: their errors are reported already.
    backwards: dict[str, list[str]] = {s: [] for s in order}
    for source, targets in edges.items():
        for target in targets:
            backwards[target].append(source)
    ends = [d.id for d in p.steps.values() if d.end or d.broken or d.bad_target]
    can_end = _reach(ends, backwards)
    stuck = [s for s in order if s in reachable and s not in can_end]
    first = p.steps[order[0]]
    if order[0] in stuck:
        p.report.error_at(
            first.key,
            f"the conversation can never end: no path from '{order[0]}' reaches an end "
            "(add `end: true` to a step, or a branch to one)",
        )
        return
    for step_id in stuck:
        if all(p in stuck for p in backwards[step_id] if p in reachable):
            continue  # report where the trap is entered, not every step inside it
        trap = _reach([step_id], edges)
        inside = [s for s in order if s in trap]
        loop = ", ".join(inside[:5]) + (", ..." if len(inside) > 5 else "")
        p.report.error_at(
            p.steps[step_id].key,
            f"no end can be reached from step '{step_id}': every path loops through {loop}",
        )


def _reach(starts: list[str], edges: dict[str, list[str]]) -> set[str]:
    seen = set(starts)
    todo = list(starts)
    while todo:
        for target in edges.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen
