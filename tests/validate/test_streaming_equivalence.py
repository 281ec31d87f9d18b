"""The streaming engine finds what the whole-document engine it replaced found, on every file we have.

The expectations were recorded by the old engine (see ``equivalence_corpus``): every rule fixture and doc
example, pretty, compact and as JSON Lines, files that break the reader, cross-file duplicates, and the
benchmark's generated bulk file. The benchmark's 80 MB file is compared by digest (slow: it is generated).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from equivalence_corpus import Case, bench_module, corpus, digest, expected, finding_json, run

from gscontract.payload import bytestream
from gscontract.validator import validate_paths

EXPECTED = expected()
# The 80 MB benchmark file in its three forms: the old engine's findings, by count and digest. The JSON
# Lines form's were re-recorded when integ's GS113 came in: its records name their company by companyName
# and the file is given no lookups, so one GS113 replaces the 1000 TL206 errors (and their folded count).
BENCH_80MB = {
    "pretty": ("b63f243f98cb5662d8d2c76325977624f9272162d56ab3086b81142d4950d407", 1236),
    "compact": ("fc8b2fbb2fea1220aabf40984b31897db5915016277111f63dab11127d6d5c72", 1236),
    "jsonl": ("c7117f7870b6e29160bc61b40f917ed5db29b91c15849464de0977bdeffb87b2", 1237),
}


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    return {case.name: case for case in corpus(tmp_path_factory.mktemp("corpus"))}


def test_the_corpus_is_the_recorded_one(cases: dict[str, Case]) -> None:
    assert sorted(cases) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_same_findings(name: str, cases: dict[str, Case], tmp_path: Path) -> None:
    assert run(cases[name], tmp_path) == EXPECTED[name]


@pytest.mark.slow
@pytest.mark.parametrize("form", sorted(BENCH_80MB))
def test_same_findings_on_the_80mb_benchmark_file(form: str) -> None:
    bench: Any = bench_module()
    path = bench.DATA / "timeline-insert.bench-80mb.json"
    if not path.exists():
        bench.generate(path, 80)
    file = bench.write_forms(path)[form]
    found = [finding_json(f, file.parent) for f in validate_paths([file]).findings()]
    assert (digest(found), len(found)) == BENCH_80MB[form]


@pytest.mark.parametrize(
    "name", sorted(n for n, found in EXPECTED.items() if not any(f["rule"] == "GS111" for f in found))
)
def test_same_findings_through_the_bytes_reader(
    name: str, cases: dict[str, Case], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file goes to the bytes reader (meant for files over 16 MB) and must come out the same.

    Duplicate keys are checked only in files up to 16 MB, and the bytes reader does not check them, so
    the cases with such findings are left out.
    """
    monkeypatch.setattr(bytestream, "DUPLICATE_CHECK_CHARS", 0)
    assert run(cases[name], tmp_path) == EXPECTED[name]


def test_the_bytes_reader_reads_what_it_can_vouch_for_and_refuses_the_rest() -> None:
    record = b'{"ExternalId": "a", "Subject": "},{\\"x\\": [1]}, {"}'
    reader = bytestream.BytesText(b'{"lookups": {}, "records": [\n  ' + record + b",\n  " + record + b'\n],\n"x": 1}')
    values = [v for batch in reader.batches() for v in batch.values]
    assert values == [json.loads(record)] * 2
    assert reader.head == {"lookups": {}, "records": [], "x": 1}
    for refused in (
        b'{"records": [{"a": 123456789012345678901234567890}]}',  # orjson would make it a float
        b'{"records": [{"a": "\\ud800"}]}',  # orjson refuses a lone surrogate
        b'{"records": ["x", {"a": 1}]}',  # a record that is not an object
        b'{"records": [{"a": 1}], "records": []}',  # records again
        b'{"records": [{"a": 1}, {"a": 1e999}]}',  # infinity
    ):
        with pytest.raises(bytestream.Unsuitable):
            for _ in bytestream.BytesText(refused).batches():
                pass
