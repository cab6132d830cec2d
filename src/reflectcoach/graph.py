"""A script drawn as a Mermaid state diagram, by transitions' own Mermaid backend."""

from __future__ import annotations

import re

from reflectcoach.engine import DONE
from reflectcoach.script.model import Script, Step
from reflectcoach.text import clean

LABEL_WIDTH = 40
_ENTITIES = {"#": "#35;", '"': "#quot;", ";": "#59;"}
_MERMAID_SYNTAX = re.compile('[#";]')


def _mermaid_text(text: str, width: int = LABEL_WIDTH) -> str:
    """One line, short, with the characters Mermaid treats as syntax written as entities."""
    line = re.sub(r"\s+", " ", clean(text)).strip()
    if len(line) > width:
        line = line[: width - 1].rstrip() + "…"
    return _MERMAID_SYNTAX.sub(lambda m: _ENTITIES[m.group()], line)


def _label(step: Step) -> str:
    kind = f"{step.type}" if step.is_question else "say"
    return f"{step.id} ({kind}): {_mermaid_text(step.text.source)}"


def mermaid(script: Script) -> str:
    """The conversation as Mermaid: each step a node, each branch an edge with its condition."""
    from transitions.extensions import GraphMachine

    class LabelledState(GraphMachine.state_cls):  # type: ignore[misc, name-defined]
        def __init__(self, name: str, label: str | None = None, **kwargs: object) -> None:
            super().__init__(name, **kwargs)
            if label:
                self.label = label

    class Diagram(GraphMachine):
        state_cls = LabelledState

    states = [{"name": s.id, "label": _label(s)} for s in script.steps.values()]
    states.append({"name": DONE, "label": "end"})
    transitions = []
    for step in script.steps.values():
        if step.end or not step.branches:
            transitions.append(
                {"trigger": "advance", "source": step.id, "dest": DONE, "label": "end"}
            )
            continue
        conditional = any(b.condition is not None for b in step.branches)
        for branch in step.branches:
            if branch.condition is not None:
                label = "if " + _mermaid_text(branch.condition.source, 60)
            else:
                label = "else" if conditional else "next"
            transitions.append(
                {"trigger": "advance", "source": step.id, "dest": branch.go, "label": label}
            )

    class Model:
        pass

    model = Model()
    Diagram(
        model=model,
        states=states,
        transitions=transitions,
        initial=script.first_step,
        auto_transitions=False,
        graph_engine="mermaid",
        title=_mermaid_text(script.title, 80),
        show_conditions=False,
    )
    graph = model.get_graph(force_new=True)  # type: ignore[attr-defined]
    # The current-state highlight means nothing for a script on paper.
    first = script.first_step
    return graph.draw(None).replace(f"Class {first} s_active", f"Class {first} s_default")
