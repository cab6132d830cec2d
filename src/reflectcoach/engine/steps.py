"""A script's steps as the conversation's machine sees them: its `advance` transitions
(each branch's condition a callable, never a string naming code) and how many questions
remain on the longest way from each step to an end."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from reflectcoach.script.model import Condition, Script, Step

DONE = "_done"  # step ids are [a-z]..., so this never collides


def transitions(script: Script, holds: Callable[[Condition], bool]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for step in script.steps.values():
        if step.end or not step.branches:
            result.append({"trigger": "advance", "source": step.id, "dest": DONE})
            continue
        for branch in step.branches:
            spec: dict[str, Any] = {"trigger": "advance", "source": step.id, "dest": branch.go}
            if branch.condition is not None:
                spec["conditions"] = [partial(holds, branch.condition)]
            result.append(spec)
    return result


def longest_remaining(script: Script) -> dict[str, int]:
    """Questions on the longest way from each step to an end, ignoring loops back.

    Iterative depth-first search: a 500-step chain must not hit the recursion limit.
    """
    steps = script.steps
    memo: dict[str, int] = {}

    def nexts(step: Step) -> list[str]:
        return [] if step.end else [b.go for b in step.branches if b.go in steps]

    for root in steps:
        if root in memo:
            continue
        stack = [(root, iter(nexts(steps[root])))]
        on_stack = {root}
        while stack:
            step_id, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                on_stack.discard(step_id)
                step = steps[step_id]
                ahead = max((memo.get(c, 0) for c in nexts(step)), default=0)
                memo[step_id] = ahead + (1 if step.is_question else 0)
            elif child not in memo and child not in on_stack:
                on_stack.add(child)
                stack.append((child, iter(nexts(steps[child]))))
    return memo
