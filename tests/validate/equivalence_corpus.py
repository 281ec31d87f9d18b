"""The payload files the streaming engine's findings are compared on, and how a run is recorded.

The expectations in ``tests/data/equivalence/`` were recorded by the whole-document engine this engine
replaced (commit d7f9ee0), with ``python tests/validate/equivalence_corpus.py --record``. The cases that
changed on purpose after it (GS113 for JSON Lines files without lookups, TL402's ``±hhmm`` offsets, the
framework-events kind and the rules and examples added with them) were recorded again with the merged
streaming engine, after checking that the whole-document engine with those changes found the same.

The corpus is every rule fixture and every rule doc example, each written pretty-printed, compact and
(for a bare envelope) as JSON Lines (a ``jsonl`` example is one JSON Lines file, as written); files made
to break the reader in each way it reports; cross-file duplicates; and a generated bulk file like the
benchmark's in the three forms. The benchmark's own 80 MB file is compared through a digest of its
findings (``BENCH_DIGEST``), since its findings are 200 KB of JSON.

A plain module, imported by the test by a name no other folder uses.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "rules"
EXPECTED = ROOT / "tests" / "data" / "equivalence" / "findings.json.gz"
_FENCE = re.compile(r"```json(l?)([^\n]*)\n(.*?)```", re.DOTALL)
_PLACEHOLDER = re.compile(r"\{\{(\d+) (characters|tags|digits|levels)\}\}")
_FILLERS = {"characters": "x", "tags": "<br/>", "digits": "9"}


@dataclass(frozen=True)
class Case:
    """One run of ``validate_paths``: its files (name -> bytes) and options."""

    name: str
    files: dict[str, bytes]
    kind: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


def _expand(text: str) -> str:
    def fill(match: re.Match[str]) -> str:
        count = int(match[1])
        if match[2] == "levels":
            return "[" * count + "0" + "]" * count
        return _FILLERS[match[2]] * count

    return _PLACEHOLDER.sub(fill, text)


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v != "$drop" and not str(k).startswith("_")}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, str):
        return _expand(value)
    return value


def forms(document: Any) -> Iterator[tuple[str, bytes, str]]:
    """A document as pretty, compact and (a bare envelope only) JSON Lines text: (form, bytes, suffix)."""
    yield "pretty", json.dumps(document, indent=2, ensure_ascii=False).encode(), ".json"
    yield "compact", json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode(), ".json"
    if isinstance(document, dict) and list(document) == ["records"] and isinstance(document["records"], list):
        lines = [json.dumps(r, ensure_ascii=False) for r in document["records"]]
        yield "jsonl", ("\n".join(lines) + "\n").encode(), ".jsonl"


def _fixture_cases() -> Iterator[Case]:
    for path in sorted(FIXTURES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for number, case in enumerate(data["cases"]):
            options = {k: case[k] for k in ("profile", "custom_field_types") if k in case}
            kind = case.get("kind")
            name = f"{path.stem}-{number}"
            for key in ("fail_text", "pass_text"):
                if key in case:
                    suffix = Path(case.get("path", "payload.json")).suffix or ".json"
                    yield Case(f"{name}-{key}", {f"payload{suffix}": _expand(case[key]).encode()}, kind, options)
            if "fail_bytes" in case:
                yield Case(f"{name}-bytes", {case.get("path", "payload.json"): case["fail_bytes"]}, kind, options)
            for key in ("fail", "pass"):
                if key in case:
                    document = json.loads(json.dumps(_clean(case[key])))
                    for form, data_, suffix in forms(document):
                        yield Case(f"{name}-{key}-{form}", {f"payload{suffix}": data_}, kind, options)


def _doc_cases() -> Iterator[Case]:
    sys.path.insert(0, str(ROOT))
    from gscontract.rules import RULES

    for rule in sorted(RULES.values(), key=lambda r: r.id):
        for number, match in enumerate(_FENCE.finditer(rule.doc)):
            kind = match[2].strip() or None
            text = _expand(match[3]).strip()
            if match[1]:  # a JSON Lines example: one file, as written
                yield Case(f"doc-{rule.id}-{number}-jsonl", {"payload.jsonl": (text + "\n").encode()}, kind)
                continue
            yield Case(f"doc-{rule.id}-{number}-asis", {"payload.json": text.encode()}, kind)
            try:
                document = json.loads(text)
            except ValueError:
                continue
            for form, data, suffix in forms(document):
                yield Case(f"doc-{rule.id}-{number}-{form}", {f"payload{suffix}": data}, kind)


_RECORD = (
    '{"ContextName": "Company", "TypeName": "Update", "ExternalId": "%s", "Subject": "Kick-off", '
    '"Notes": "Agenda", "Author": "testuser@gainsight.com", "companyName": "Tech systems ABC Ltd"}'
)
_LOOKUPS = (
    '{"GsCompanyId": {"fields": {"companyName": "Name"}, "lookupField": "Gsid", "objectName": "Company", '
    '"multiMatchOption": "FIRSTMATCH", "onNoMatch": "ERROR"}}'
)
# Texts that break the reader, or that a stream must read with care, each once.
EDGE_TEXTS = {
    "lookups-after": '{{"records": [{}, {}],\n "lookups": {}}}'.format(_RECORD % "a", _RECORD % "b", _LOOKUPS),
    "lookups-before": '{{"lookups": {}, "records": [{},\n{}]}}'.format(_LOOKUPS, _RECORD % "a", _RECORD % "a"),
    "lookups-in-record": '{{"records": [{{"lookups": 1}}, {}], "lookups": {}}}'.format(_RECORD % "a", _LOOKUPS),
    "lookups-twice": '{{"lookups": 5, "records": [{}], "lookups": {}}}'.format(_RECORD % "a", _LOOKUPS),
    "records-twice": '{{"records": [{}, {}], "records": [{}]}}'.format(_RECORD % "a", _RECORD % "a", _RECORD % "b"),
    "records-then-string": '{"records": [%s], "records": "x"}' % (_RECORD % "a"),
    "records-string": '{"records": "x", "lookups": {}}',
    "records-empty": '{"records": [ ]}',
    "records-scalars": '{"records": [1, "two", null, [3], %s]}' % (_RECORD % "a"),
    "separator-in-string": '{{"records":[{{"Subject":"}},{{\\"a\\":1}},{{","ExternalId":"x"}},{},{}]}}'.format(
        _RECORD % "a", _RECORD % "a"
    ),
    "trailing-comma": '{"records": [%s,\n]}' % (_RECORD % "a"),
    "missing-comma": '{{"records": [{}\n {}]}}'.format(_RECORD % "a", _RECORD % "b"),
    "unclosed": '{{"records": [{},\n {}'.format(_RECORD % "a", _RECORD % "b"),
    "extra-data": '{"records": []} {}',
    "bad-top-key": '{"records": [], lookups: 1}',
    "nan": '{"records": [{"Subject": NaN}]}',
    "huge-int": '{{"records": [{{"Ant__N__c": {}}}, {}]}}'.format("9" * 5000, _RECORD % "a"),
    "infinity": '{"records": [{"Ant__N__c": 1e999}, %s]}' % (_RECORD % "a"),
    "big-int-u64": '{"records": [{"Ant__N__c": 123456789012345678901234567890, "ExternalId": "x"}]}',
    "control": '{"records": [{"Subject": "a\\u0000b", "N\\u0008": 1}, %s]}' % (_RECORD % "a"),
    "dup-keys": '{"records": [{"Subject": "a", "Subject": "b"}], "records2": {"x": 1, "x": 2}}',
    "surrogate": '{"records": [{"Subject": "\\ud800"}, %s]}' % (_RECORD % "a"),
    "unicode": '{"records": [{"Subject": "caf\u00e9 \u2603 \U0001f600", "Notes": 5},\n  %s]}' % (_RECORD % "a"),
    "top-array": '[\n  "1I004",\n  5,\n  "1I005"\n]',
    "top-scalar": "42",
    "empty": "  \n",
    "deep": '{"records": [{"Ant__X__c": %s}]}' % ("[" * 40 + "0" + "]" * 40),
    "event": '{"eventType": "x", "objectType": "y", "payload": {"a": [[[1]]]}}',
    "events-bulk": '{"records": [{"eventType": "x", "objectType": "y", "payload": 5}, 7]}',
    "crlf": '{\r\n  "records": [\r\n    %s,\r\n    {"Subject": 5}\r\n  ]\r\n}\r\n' % (_RECORD % "a"),
}
EDGE_LINES = {
    "jsonl-bad-lines": "{}\n{{bad\n\n  {}  \n[1,\n{}\n".format(_RECORD % "a", _RECORD % "a", _RECORD % "b"),
    "jsonl-extra": '{} {{"x": 1}}\n{}\n'.format(_RECORD % "a", _RECORD % "a"),
    "jsonl-blank": "\n\n   \n",
    "jsonl-crlf": "{}\r\n{}\r\n".format(_RECORD % "a", _RECORD % "a"),
}


def _edge_cases() -> Iterator[Case]:
    for name, text in EDGE_TEXTS.items():
        yield Case(f"edge-{name}", {"payload.json": text.encode()})
        yield Case(f"edge-{name}-insert", {"timeline-insert.x.json": text.encode()})
    for name, text in EDGE_LINES.items():
        yield Case(f"edge-{name}", {"timeline-insert.x.jsonl": text.encode()})
    yield Case("edge-bom", {"timeline-insert.x.json": b"\xef\xbb\xbf" + EDGE_TEXTS["lookups-after"].encode()})
    yield Case("edge-latin1", {"timeline-insert.x.json": '{"records": [{"Subject": "caf\xe9"}]}'.encode("latin-1")})
    yield Case("edge-nul", {"timeline-insert.x.json": b'{"a":\n1}\x00\x01'})
    one = ('{{"records": [{}, {}]}}'.format(_RECORD % "a", _RECORD % "c")).encode()
    two = ('{{"records": [{}, {}]}}'.format(_RECORD % "b", _RECORD % "a")).encode()
    yield Case("cross-file", {"timeline-insert.1.json": one, "timeline-insert.2.json": two})
    yield Case("cross-file-jsonl", {"timeline-insert.1.json": one, "timeline-insert.2.jsonl": b'{"ExternalId": "c"}\n'})


def bench_module() -> Any:
    """``benchmarks/validate_80mb.py``, whose ``generate`` writes the benchmark's bulk file."""
    spec = importlib.util.spec_from_file_location("validate_80mb", ROOT / "benchmarks" / "validate_80mb.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _bench_cases(tmp: Path) -> Iterator[Case]:
    bench = bench_module()
    path = tmp / "bench.json"
    bench.generate(path, 3)
    document = json.loads(path.read_bytes())
    yield Case("bench-3mb-generated", {"timeline-insert.bench.json": path.read_bytes()})
    for form, data, suffix in forms(document):
        yield Case(f"bench-3mb-{form}", {f"timeline-insert.bench{suffix}": data})
    lines = b"".join(json.dumps(r).encode() + b"\n" for r in document["records"][:1000])
    yield Case("bench-jsonl", {"timeline-insert.bench.jsonl": lines})
    flood = json.dumps({"records": [{"ExternalId": "x"}] * 1200}).encode()
    yield Case("flood-folded", {"timeline-insert.flood.json": flood}, options={"max_findings": 3})
    yield Case(
        "flood-all",
        {"timeline-insert.flood.json": json.dumps({"records": [{"ExternalId": "x"}] * 150}).encode()},
        options={"max_findings": 0},
    )


def corpus(tmp: Path) -> Iterator[Case]:
    """Every case, in a stable order."""
    yield from _fixture_cases()
    yield from _doc_cases()
    yield from _edge_cases()
    yield from _bench_cases(tmp)


def run(case: Case, tmp: Path) -> list[dict[str, Any]]:
    """Validate the case's files in one run; its findings as JSON-ready dicts, paths relative to ``tmp``."""
    from gscontract.payload.kinds import Kind
    from gscontract.validator import ValidateOptions, validate_paths

    folder = tmp / case.name
    folder.mkdir(parents=True)
    paths = []
    for name, data in case.files.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    kind, _, identifier = (case.kind or "").partition(":")
    options = ValidateOptions(
        kind=Kind(kind) if kind else None,
        identifier=identifier or None,
        **case.options,
    )
    report = validate_paths(paths, options=options)
    return [finding_json(f, folder) for f in report.findings()]


def finding_json(finding: Any, folder: Path) -> dict[str, Any]:
    """A finding as a dict, its path relative to ``folder``."""
    path = finding.path
    if path and path.startswith(str(folder)):
        path = path[len(str(folder)) + 1 :]
    return {
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": finding.message.replace(str(folder), "<dir>"),
        "code": finding.code,
        "path": path,
        "pointer": finding.pointer,
        "line": finding.line,
        "column": finding.column,
        "folded": finding.folded,
    }


def expected() -> dict[str, list[dict[str, Any]]]:
    """The recorded findings of every case."""
    return json.loads(gzip.decompress(EXPECTED.read_bytes()))  # type: ignore[no-any-return]


def digest(findings: list[dict[str, Any]]) -> str:
    """A short digest of findings (for the benchmark file, whose findings are too long to keep)."""
    return hashlib.sha256(json.dumps(findings, sort_keys=True).encode()).hexdigest()


def main() -> None:
    """``--record``: write the expectations with the engine checked out now."""
    import tempfile

    assert sys.argv[1:] == ["--record"], "usage: equivalence_corpus.py --record"
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        recorded = {case.name: run(case, tmp / "runs") for case in corpus(tmp)}
    EXPECTED.parent.mkdir(parents=True, exist_ok=True)
    EXPECTED.write_bytes(gzip.compress(json.dumps(recorded, sort_keys=True).encode(), mtime=0))
    print(f"recorded {len(recorded)} cases, {sum(map(len, recorded.values()))} findings")


if __name__ == "__main__":
    main()
