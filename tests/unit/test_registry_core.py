"""The registry shape shared by rules, spec checks and contract checks."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from gscontract.errors import RegistryError
from gscontract.registry import Registry, summary_of


@dataclass(frozen=True)
class Item:
    id: str
    name: str
    summary: str = "Does a thing."


def make(require_doc: bool = True) -> Registry[Item]:
    return Registry(
        noun="widget", families=("AB", "CD"), example="AB101", hint="; see the list", require_doc=require_doc
    )


def test_summary_is_the_first_non_blank_line() -> None:
    assert summary_of("\n  First line.  \n\n  More.") == "First line."
    assert summary_of("   \n ") == ""


def test_ids_follow_the_families_and_names_are_kebab_case() -> None:
    registry = make()
    registry.add(Item("AB101", "first-thing"))
    registry.add(Item("CD999", "thing-2"))
    for bad_id in ("AB01", "AB012", "XY101", "ab101", "AB1011"):
        with pytest.raises(RegistryError, match=r"must look like AB101: a family prefix \(AB, CD\)"):
            registry.add(Item(bad_id, "other"))
    with pytest.raises(RegistryError, match="'Bad_Name' must be kebab-case"):
        registry.add(Item("AB102", "Bad_Name"))
    assert list(registry.entries) == ["AB101", "CD999"]


def test_ids_aliases_and_names_are_never_taken_twice() -> None:
    registry = make()
    registry.add(Item("AB101", "first-thing"), aliases=["AB901"])
    with pytest.raises(RegistryError, match="widget AB101 is registered twice"):
        registry.add(Item("AB101", "new-name"))
    with pytest.raises(RegistryError, match=r"reuses \['AB901'\]"):
        registry.add(Item("AB901", "new-name"))
    with pytest.raises(RegistryError, match=r"reuses \['AB101'\]"):
        registry.add(Item("AB102", "new-name"), aliases=["AB101"])
    with pytest.raises(RegistryError, match="registered twice: the name is taken by AB101"):
        registry.add(Item("AB103", "first-thing"))
    assert list(registry.entries) == ["AB101"]


def test_docs_are_required_unless_told_otherwise() -> None:
    with pytest.raises(RegistryError, match="widget AB101 has no documentation"):
        make().add(Item("AB101", "no-doc", summary=""))
    assert make(require_doc=False).add(Item("AB101", "no-doc", summary="")).id == "AB101"


def test_lookup_by_id_alias_or_name_in_any_case() -> None:
    registry = make()
    first = registry.add(Item("AB101", "first-thing"), aliases=["AB901"])
    assert registry.get("ab101") is first
    assert registry.get(" ab901 ") is first
    assert registry.get("First-Thing") is first
    with pytest.raises(RegistryError, match=r"unknown widget 'AB999'; see the list"):
        registry.get("AB999")


def test_select_and_ignore_by_prefix_alias_or_name() -> None:
    registry = make()
    registry.add(Item("CD101", "last-thing"))
    registry.add(Item("AB201", "second-thing"), aliases=["AB002"])
    registry.add(Item("AB101", "first-thing"))
    ids = [i.id for i in registry.select()]
    assert ids == ["AB101", "AB201", "CD101"]
    assert [i.id for i in registry.select(select=["ab"])] == ["AB101", "AB201"]
    assert [i.id for i in registry.select(select=["AB002", "last-thing"])] == ["AB201", "CD101"]
    assert [i.id for i in registry.select(select=["AB"], ignore=["AB2", " "])] == ["AB101"]
    with pytest.raises(RegistryError, match=r"'ZZ' matches no widget; see the list"):
        registry.select(ignore=["ZZ"])


def test_a_fresh_registry_has_the_same_rules_and_no_entries() -> None:
    registry = make(require_doc=False)
    registry.add(Item("AB101", "first-thing"), aliases=["AB901"])
    fresh = registry.fresh()
    assert fresh.entries == {}
    fresh.add(Item("AB901", "first-thing", summary=""))
    with pytest.raises(RegistryError, match="must look like AB101"):
        fresh.add(Item("ZZ101", "other"))
