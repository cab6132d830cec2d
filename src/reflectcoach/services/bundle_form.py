"""The form of a share bundle's sections, checked strictly (services/exchange.py): each
section kind says how to build its body, check one received and show it; the checks here
refuse unknown keys, wrong types and oversized text with `Bad`, which the exchange turns into
a refusal that changes nothing. Kept apart so each kind of shared state (the agreement,
talking points) is a module of its own beside the exchange."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reflectcoach.store import Store

MAX_TEXT = 100_000  # characters in one text
MAX_ITEMS = 2_000  # items in one section


class Bad(ValueError):
    """Inside the checks: what is wrong with a payload."""


# -- checking what a partner sent --------------------------------------------------------------


def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise Bad(f"the key {key!r} twice")
        out[key] = value
    return out


def no_constants(name: str) -> Any:
    raise Bad(f"{name} is not a number JSON allows")


def obj(value: Any, keys: set[str], optional: set[str] = frozenset(), where: str = "") -> dict:  # type: ignore[assignment]
    if not isinstance(value, dict):
        raise Bad(f"{where or 'a part'} is not an object")
    unknown = set(value) - keys - optional
    missing = keys - set(value)
    if unknown or missing:
        raise Bad(f"{where or 'a part'} has {'unknown' if unknown else 'missing'} fields")
    return value


def text(value: Any, limit: int = MAX_TEXT, *, none: bool = False) -> str | None:
    if value is None and none:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise Bad("a text is not text or too long")
    return value


def whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        raise Bad("a number is out of range")
    return value


ID = re.compile(r"[0-9a-f]{6,32}")


def ident(value: Any) -> str:
    if not isinstance(value, str) or not ID.fullmatch(value):
        raise Bad("an id is not an id")
    return value


def day(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise Bad("a date is not a date")
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise Bad("a date is not a date") from None
    return value


def items(body: Any, check: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    obj(body, {"items"}, where="a section")
    found = body["items"]
    if not isinstance(found, list) or len(found) > MAX_ITEMS:
        raise Bad("a section's items are not a list, or too many")
    return {"items": [check(item) for item in found]}


@dataclass(frozen=True)
class SectionKind:
    """One named part of a bundle: `build` it from the sender's store, `check` one received
    (returns the body to keep; raises ValueError), `lines` to show it under "From NAME"."""

    name: str
    version: int
    title: str
    build: Callable[[Store, str], Any]
    check: Callable[[Any], Any]
    lines: Callable[[Any], list[str]]
