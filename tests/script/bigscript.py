"""A generator of large, valid scripts for validator tests and benchmarks.

`make_big_script(200, seed=1)` returns YAML text that validates clean: every step kind,
branches with conditions, interpolations and a record template. Branches only jump forward,
and every step also falls through to the next, so every step is reachable and ends.
"""

from __future__ import annotations

import random

_TYPES = ("text", "long_text", "choice", "multi", "scale", "yes_no", "number")


def _question(rng: random.Random, i: int, earlier: list[tuple[str, str]]) -> list[str]:
    kind = _TYPES[i % len(_TYPES)]
    lines = [f"  s{i}:"]
    ref = f" {{{earlier[-1][0]}}}" if earlier and rng.random() < 0.5 else ""
    lines.append(f"    ask: Question {i} about your week?{ref}")
    lines.append(f"    type: {kind}")
    if rng.random() < 0.3:
        lines.append(f"    hint: A hint for question {i}.")
    if kind in ("choice", "multi"):
        lines.append("    options:")
        lines.extend(f"      - opt{j}" for j in range(3))
        lines.append("      - {value: other, label: Something else}")
    elif kind == "scale":
        lines.append("    min: 1")
        lines.append("    max: 5")
        lines.append("    labels: {1: low, 5: high}")
    elif kind == "number":
        lines.append("    min: 0")
    if rng.random() < 0.2:
        lines.append("    optional: true")
    return lines


def _condition(rng: random.Random, earlier: list[tuple[str, str]]) -> str:
    sid, kind = rng.choice(earlier)
    if kind == "choice":
        return f'{sid} == "opt1" or {sid} == "other"'
    if kind == "multi":
        return f'"opt0" in {sid} and not "opt2" in {sid}'
    if kind in ("scale", "number"):
        return f"{sid} >= 3 and ({sid} < 5 or {sid} != 4)"
    if kind == "yes_no":
        return f"{sid} == true"
    return f'"always" in {sid}'


def make_big_script(steps: int, seed: int) -> str:
    """YAML text of a valid script with `steps` steps (at least 2)."""
    rng = random.Random(seed)
    steps = max(steps, 2)
    out = [
        f"id: big_{seed}",
        f"title: Big script {seed}",
        "summary: A generated script for tests and benchmarks",
        "audience: anyone",
        "version: 3",
        "record: |",
        f"  # Record {seed}",
        "  First answer: {s0}",
        "steps:",
    ]
    earlier: list[tuple[str, str]] = []
    for i in range(steps - 1):
        if i > 0 and rng.random() < 0.25:
            out.append(f"  s{i}:")
            out.append("    say: |")
            out.append(f"      Some **Markdown** for step {i}, with {{{{braces}}}}.")
            if earlier:
                out.append(f"      You said {{{earlier[-1][0]}}}.")
        else:
            out.extend(_question(rng, i, earlier))
            earlier.append((f"s{i}", _TYPES[i % len(_TYPES)]))
        if earlier and i + 2 < steps - 1 and rng.random() < 0.3:
            target = rng.randrange(i + 2, steps)
            out.append("    next:")
            out.append(f"      - if: '{_condition(rng, earlier)}'")
            out.append(f"        go: s{target}")
            out.append(f"      - go: s{i + 1}")
    out.append(f"  s{steps - 1}:")
    out.append("    say: That is all. Thank you.")
    out.append("    end: true")
    return "\n".join(out) + "\n"
