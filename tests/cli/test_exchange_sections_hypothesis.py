"""The new sections' checks (agreement/1, talking_points/1) read what a partner signed, so
they are parsers of hostile input: whatever JSON arrives, they return a clean body or raise
`Bad` (a refusal with the database unchanged), never another error that would reach the
person as a traceback."""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from reflectcoach.services import agreement, shared_points
from reflectcoach.services.bundle_form import Bad

SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "terms",
                    "accepted",
                    "items",
                    "value",
                    "text",
                    "digest",
                    "on",
                    "id",
                    "created_at",
                    "rhythm",
                    "mentee_feedback",
                    "x",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=20,
)
TERM = st.fixed_dictionaries({"value": SCALARS | JSON, "text": SCALARS | JSON})
AGREEMENT = st.fixed_dictionaries(
    {
        "terms": st.dictionaries(st.sampled_from([*agreement.TERMS, "salary"]), TERM | JSON) | JSON,
        "accepted": st.none()
        | st.fixed_dictionaries({"digest": st.text() | st.just("a" * 64), "on": SCALARS})
        | JSON,
    }
)


def _checked(check: Any, body: Any) -> None:
    with contextlib.suppress(Bad):
        check(body)


@given(AGREEMENT | JSON)
def test_the_agreement_check_returns_or_refuses(body: Any) -> None:
    _checked(agreement.SECTION.check, body)


@given(
    st.fixed_dictionaries(
        {
            "items": st.lists(
                st.fixed_dictionaries({"id": SCALARS, "text": SCALARS, "created_at": SCALARS})
                | JSON
            )
        }
    )
    | JSON
)
def test_the_talking_points_check_returns_or_refuses(body: Any) -> None:
    _checked(shared_points.SECTION.check, body)


def test_a_kept_agreement_shows_in_words() -> None:
    body = agreement.SECTION.check(
        {
            "terms": {"rhythm": {"value": "monthly", "text": "once a month"}},
            "accepted": {"digest": "a" * 64, "on": "2026-12-06"},
        }
    )
    assert agreement.SECTION.lines(body) == [
        "meeting: once a month",
        "accepted by them on Sunday 6 December 2026",
    ]
