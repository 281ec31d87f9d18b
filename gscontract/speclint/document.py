"""A parsed OpenAPI file that remembers where each value sits (the walks over it are in :mod:`.walk`).

YAML is composed once: the node tree gives every value's line and column (keyed by JSON pointer), and
the same tree is constructed into plain data. A value's position is the start of its key (or of the
item, in a list), which is where an editor should jump for a finding about it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..pointer import escape, parse_pointer, resolve
from ..specfiles import spec_loader

__all__ = ["SpecDocument", "SpecSyntaxError", "parse_spec", "read_spec"]


class SpecSyntaxError(Exception):
    """The file is not a YAML (or JSON) mapping; carries the 1-based position of the problem."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class SpecDocument:
    """One spec file: its parsed data and the 1-based (line, column) of each value by JSON pointer."""

    name: str
    data: dict[str, Any]
    marks: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    def locate(self, pointer: str) -> tuple[int | None, int | None]:
        """The position of the value at ``pointer``, or of its nearest ancestor that has one."""
        tokens = parse_pointer(pointer) if pointer else []
        while True:
            here = "".join("/" + escape(t) for t in tokens)
            if here in self.marks:
                return self.marks[here]
            if not tokens:
                return None, None
            tokens.pop()

    def resolve(self, pointer: str) -> Any:
        """The value at ``pointer``.

        Raises:
            KeyError: nothing is there.
        """
        return resolve(self.data, pointer)


def parse_spec(text: str, name: str) -> SpecDocument:
    """Parse a spec's text, keeping the position of every value.

    Raises:
        SpecSyntaxError: the text is not YAML, or its top level is not a mapping.
    """
    loader = spec_loader()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SpecSyntaxError("the file is empty")
        data = _string_keys(loader.construct_document(node))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        raise SpecSyntaxError(f"not valid YAML: {problem}", line, column) from None
    except yaml.YAMLError as exc:
        raise SpecSyntaxError(f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise SpecSyntaxError(
            "an OpenAPI document must be a mapping at the top level",
            node.start_mark.line + 1,
            node.start_mark.column + 1,
        )
    marks: dict[str, tuple[int, int]] = {"": (node.start_mark.line + 1, node.start_mark.column + 1)}
    _collect_marks(node, "", marks)
    return SpecDocument(name=name, data=data, marks=marks)


def _string_keys(value: Any) -> Any:
    # JSON (and so OpenAPI) keys are strings; YAML reads an unquoted `200:` as the integer 200.
    if isinstance(value, dict):
        return {k if isinstance(k, str) else str(k): _string_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_string_keys(v) for v in value]
    return value


def _collect_marks(node: yaml.Node, pointer: str, marks: dict[str, tuple[int, int]]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            child = f"{pointer}/{escape(str(key_node.value))}"
            marks.setdefault(child, (key_node.start_mark.line + 1, key_node.start_mark.column + 1))
            _collect_marks(value_node, child, marks)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = f"{pointer}/{index}"
            marks[child] = (item.start_mark.line + 1, item.start_mark.column + 1)
            _collect_marks(item, child, marks)


def read_spec(path: Path) -> SpecDocument:
    """Read and parse a spec file.

    Raises:
        OSError: the file cannot be read.
        SpecSyntaxError: it is not a YAML mapping (undecodable bytes count as bad YAML).
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecSyntaxError(f"not UTF-8 text (byte {exc.start})") from None
    return parse_spec(text, str(path))
