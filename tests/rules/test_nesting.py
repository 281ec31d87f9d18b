"""``nests_deeper_than``, the walk behind GS112 and the mock's body-depth limit, agrees with a plain depth count."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from gscontract.rules.envelope import nests_deeper_than

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=12,
)


def _depth(value: Any) -> int:
    """Levels of arrays and objects, counted the obvious (recursive) way: a scalar is 0, ``[]`` is 1."""
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


@given(value=JSON, limit=st.integers(0, 6))
def test_it_tells_exactly_whether_a_value_passes_the_limit(value: Any, limit: int) -> None:
    assert nests_deeper_than(value, limit) == (_depth(value) > limit)


def test_it_walks_a_value_far_deeper_than_python_could_recurse() -> None:
    value: Any = 0
    for _ in range(100_000):
        value = [value, "x"]

    assert nests_deeper_than(value, 99_999)
    assert not nests_deeper_than(value, 100_000)
