"""Rewrite citations of decisions by number ("decisions §3") as links into docs/decisions.md.

A mechanical rewrite, re-runnable at any time (for example after a merge brought new citations):

    python tools/cite_decisions.py          # rewrite the files in place
    python tools/cite_decisions.py --check  # list what would change; exit 1 if anything would

Markdown files get Markdown links (relative to the file); code, specs and tests get the plain path
``docs/decisions.md#anchor``. A Python line the link makes longer than the line limit is split before the
link, keeping the line's indentation and comment marker, so ruff's E501 stays clean.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 120
# The numbered sections of docs/decisions.md, by the heading each number stood for.
SECTIONS = {
    1: "status-codes-and-record-failures",
    2: "error-bodies",
    3: "one-rule-table",
    4: "events-api",
    5: "read-delete-and-fetch-deleted",
    6: "rate-limits",
    7: "configuration",
    8: "speed-and-start-up",
    9: "set-up-ci-and-tools",
    11: "documents-stand-alone",
}
TITLES = {
    1: "Status codes and record failures",
    2: "Error bodies",
    3: "One rule table",
    4: "Events API",
    5: "Read, delete and fetch deleted",
    6: "Rate limits",
    7: "Configuration",
    8: "Speed and start-up",
    9: "Set-up, CI and tools",
    11: "Documents stand alone",
}
SUFFIXES = frozenset({".py", ".md", ".yaml", ".yml", ".toml"})
CITATION = re.compile(r"decisions §(\d+)((?:(?:, | and )§\d+)*)")
MORE = re.compile(r"(, | and )§(\d+)")


def _link(number: int, path: Path) -> str:
    anchor = SECTIONS[number]
    if path.suffix == ".md":
        target = "decisions.md" if path.parent.name == "docs" else "docs/decisions.md"
        return f"[decisions: {TITLES[number]}]({target}#{anchor})"
    return f"docs/decisions.md#{anchor}"


def rewrite(text: str, path: Path) -> str:
    """``text`` with every "decisions §N" (and "§N, §M and §K" lists after it) as links."""

    def one(match: re.Match[str]) -> str:
        first = _link(int(match.group(1)), path)
        rest = MORE.sub(lambda m: m.group(1) + _link(int(m.group(2)), path), match.group(2))
        return first + rest

    lines = []
    for line in text.split("\n"):
        new = CITATION.sub(one, line)
        lines.extend(_split(new, path) if new != line else [line])
    return "\n".join(lines)


_PARENTHESIS = re.compile(r" ?\((docs/decisions\.md#[\w-]+(?:(?:, | and )docs/decisions\.md#[\w-]+)*)\)")


def _split(line: str, path: Path) -> list[str]:
    """A Python line made too long by a link, wrapped at spaces (comments keep their marker).

    A docstring's summary must stay one line, so a link in parentheses there moves to a "See ..." line
    below it instead.
    """
    if path.suffix != ".py" or len(line) <= LIMIT:
        return [line]
    indent = re.match(r"\s*", line)
    assert indent is not None
    if line.lstrip().startswith('"""') and not line.rstrip().endswith('"""'):
        cited = _PARENTHESIS.search(line)
        if cited is not None:
            summary = line[: cited.start()] + line[cited.end() :]
            return [*_split(summary, path), "", f"{indent.group(0)}See {cited.group(1)}."]
    marker = re.match(r"\s*(#\s*)?", line)
    assert marker is not None
    prefix = marker.group(0)
    lines, rest = [], line
    while len(rest) > LIMIT:
        at = rest.rfind(" ", len(prefix) + 1, LIMIT + 1)
        if at <= len(prefix):
            break
        lines.append(rest[:at].rstrip())
        rest = prefix + rest[at + 1 :].lstrip()
    return [*lines, rest]


def main(argv: list[str]) -> int:
    """Rewrite (or with ``--check`` list) every tracked file that cites decisions by number."""
    check = "--check" in argv
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    changed = []
    for name in tracked.splitlines():
        path = ROOT / name
        if name.startswith("tools/") or not path.is_file() or path.suffix not in SUFFIXES:
            continue
        text = path.read_text(encoding="utf-8")
        new = rewrite(text, path)
        if new != text:
            changed.append(name)
            if not check:
                path.write_text(new, encoding="utf-8")
    for name in changed:
        print(name)
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
