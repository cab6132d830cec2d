"""A script's steps as the conversation's machine sees them: its `advance` transitions
(each branch's condition a callable, never a string naming code)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from reflectcoach.script.model import Condition, Script

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
