"""Talking points from either side on both agendas: the bundle's `talking_points` section.

Only the person's open points that are not private travel (a point typed as just for me
never leaves); the partner's are kept with the rest of their side (store/partners.py) and
shown as theirs: under "From NAME", in the brief, and in check_in's agenda offer (store/
mentorship_state.py's `lookup`), never among the person's own points, which they leave as
they were.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reflectcoach.services.bundle_form import SectionKind, ident, items, obj, text

if TYPE_CHECKING:
    from reflectcoach.store import Store


def _build(store: Store, name: str) -> dict[str, Any]:
    return {
        "items": [
            {"id": p.id, "text": p.text, "created_at": p.created_at}
            for p in store.state.points(name)
            if not p.private
        ]
    }


def _check_item(item: Any) -> dict[str, Any]:
    obj(item, {"id", "text", "created_at"}, where="a talking point")
    return {
        "id": ident(item["id"]),
        "text": text(item["text"], 2_000),
        "created_at": text(item["created_at"], 40),
    }


def _lines(body: dict[str, Any]) -> list[str]:
    return [" ".join(i["text"].split()) for i in body["items"]] or ["none"]


SECTION = SectionKind(
    "talking_points",
    1,
    "Their talking points",
    _build,
    lambda body: items(body, _check_item),
    _lines,
)
