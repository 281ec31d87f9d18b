"""``gscontract validate --jobs`` and ``--shard``/``--merge``: the same findings however the files are spread."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from gscontract.cli import cli
from gscontract.validating.shards import share
from gscontract.validator import expand_paths

RECORD = {
    "ContextName": "Company",
    "TypeName": "Update",
    "Subject": "Kick-off",
    "Notes": "Agenda",
    "Author": "testuser@gainsight.com",
    "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O",
}


def payloads(folder: Path) -> Path:
    """Twelve insert files, three JSON Lines; files 9 and 10 (JSON Lines) reuse file 2's ExternalIds, file 5 is
    broken, file 7 has a finding."""
    folder.mkdir()
    for number in range(12):
        name = f"timeline-insert.{number:02d}.json" if number % 5 else f"timeline-insert.{number:02d}.jsonl"
        ids = [f"crm-{number}-{i}" for i in range(3)]
        if number == 9:
            ids[1] = "crm-2-0"
        if number == 10:
            ids[2] = "crm-2-1"
        records = [{**RECORD, "ExternalId": i} for i in ids]
        if number == 7:
            records[2]["Subject"] = "x" * 300
        if name.endswith(".jsonl"):
            text = "".join(json.dumps(r) + "\n" for r in records)
        else:
            text = json.dumps({"records": records}, indent=2)
        (folder / name).write_text(text if number != 5 else "{broken", encoding="utf-8")
    return folder


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["validate", *args], catch_exceptions=False)


def files_of(result: Result) -> list[dict[str, Any]]:
    """The report's files without the time each took (the one thing two runs may not share)."""
    return [{k: v for k, v in file.items() if k != "seconds"} for file in json.loads(result.output)["files"]]


def findings(result: Result) -> list[dict[str, Any]]:
    return [{**f, "path": file["path"]} for file in json.loads(result.output)["files"] for f in file["findings"]]


def test_two_processes_report_what_one_does(tmp_path: Path) -> None:
    folder = payloads(tmp_path / "p")
    one = run("--jobs", "1", "--format", "json", str(folder))
    two = run("--jobs", "2", "--format", "json", str(folder))
    assert one.exit_code == two.exit_code == 1
    assert files_of(one) == files_of(two)
    assert {f["rule"] for f in findings(two)} == {"TL104", "TL303", "GS101"}


def test_a_duplicate_between_shards_is_found_by_the_merge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = payloads(tmp_path / "p")
    files = list(expand_paths([folder]))
    first = share(files, 1, 3) + share(files, 2, 3) + share(files, 3, 3)
    assert sorted(place for place, _ in first) == list(range(12))  # the shares cover the files once
    shard_of = {file.path.name: k for k in (1, 2, 3) for _, file in share(files, k, 3)}
    assert shard_of["timeline-insert.02.json"] != shard_of["timeline-insert.09.json"]
    assert shard_of["timeline-insert.02.json"] != shard_of["timeline-insert.10.jsonl"]
    monkeypatch.chdir(tmp_path)
    shards = [run("--shard", f"{k}/3", "--format", "json", str(folder)) for k in (1, 2, 3)]
    assert "TL104" not in {f["rule"] for result in shards for f in findings(result)}
    merged = run("--format", "json", *(f"--merge=gscontract-shard-{k}-of-3.json" for k in (3, 1, 2)))
    whole = run("--format", "json", str(folder))
    assert merged.exit_code == whole.exit_code == 1
    assert files_of(merged) == files_of(whole)
    reused, in_lines = [f for f in findings(merged) if f["rule"] == "TL104"]
    assert reused["path"].endswith("timeline-insert.09.json")
    text = (folder / "timeline-insert.09.json").read_text(encoding="utf-8")
    line = text[: text.index('"crm-2-0"')].count("\n") + 1
    assert (reused["pointer"], reused["line"]) == ("/records/1/ExternalId", line)
    assert in_lines["path"].endswith("timeline-insert.10.jsonl")
    third = (folder / "timeline-insert.10.jsonl").read_text(encoding="utf-8").splitlines()[2]
    assert (in_lines["pointer"], in_lines["line"], in_lines["column"]) == (
        "/records/2/ExternalId",
        3,
        third.index('"ExternalId"') + 1,
    )


def test_a_shard_file_goes_where_it_is_told(tmp_path: Path) -> None:
    folder = payloads(tmp_path / "p")
    target = tmp_path / "out" / "s2.json"
    run("--shard", "2/2", "--shard-file", str(target), str(folder))
    assert json.loads(target.read_text(encoding="utf-8"))["shard"] == [2, 2]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--shard", "0/2"], "--shard must be K/N"),
        (["--shard", "two"], "--shard must be K/N"),
        (["--merge", "{shard1}"], "shard 2/2 missing"),
        (["--merge", "{shard1}", "--merge", "{shard1}"], "given twice"),
        (["--merge", "{bad}"], "bad.json:1: not a gscontract shard file"),
        (["--merge", "{other}"], "other.json:1: format: not a gscontract shard file"),
        (["--merge", "{shard1}", "PATH"], "--merge takes shard files only"),
    ],
)
def test_bad_shard_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], words: str) -> None:
    folder = payloads(tmp_path / "p")
    shard1 = tmp_path / "s1.json"
    run("--shard", "1/2", "--shard-file", str(shard1), str(folder))
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "other.json").write_text('{"format": "sarif"}', encoding="utf-8")
    names = {"shard1": str(shard1), "bad": str(tmp_path / "bad.json"), "other": str(tmp_path / "other.json")}
    argv = [a.format(**names) if a != "PATH" else str(folder) for a in args]
    if "--shard" in argv:
        argv.append(str(folder))
    result = CliRunner().invoke(cli, ["validate", *argv])
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output


def test_validating_one_file_loads_only_what_it_needs(tmp_path: Path) -> None:
    payload = tmp_path / "timeline-insert.one.json"
    payload.write_text(json.dumps({"records": [{**RECORD, "ExternalId": "crm-1"}]}), encoding="utf-8")
    code = (
        "import sys, json\n"
        "from gscontract.cli import main\n"
        f"sys.argv = ['gscontract', 'validate', {str(payload)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(done.stdout.splitlines()[-1])
    heavy = ("schemathesis", "hypothesis", "starlette", "uvicorn", "jsonschema", "requests", "httpx", "jinja2")
    assert [m for m in loaded if m.startswith(heavy)] == []
    # Nor what only many files, CI shards or a tenant file need.
    light = ("concurrent.futures", "gscontract.validating.shards", "gscontract.tenants.reference")
    assert [m for m in loaded if m.startswith(light)] == []


LOOKUPS = {
    "GsCompanyId": {
        "fields": {"companyName": "Name"},
        "lookupField": "Gsid",
        "objectName": "Company",
        "multiMatchOption": "FIRSTMATCH",
        "onNoMatch": "ERROR",
    }
}


def mixed(folder: Path) -> Path:
    """Two JSON Lines files whose records need the GsCompanyId lookup, an insert file, and a package.json."""
    folder.mkdir()
    named = {k: v for k, v in RECORD.items() if k != "GsCompanyId"}
    for number in range(2):
        lines = [{**named, "companyName": "Acme", "ExternalId": f"l-{number}-{i}"} for i in range(2)]
        (folder / f"timeline-insert.{number}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    (folder / "timeline-insert.2.json").write_text(json.dumps({"records": [{**RECORD, "ExternalId": "x-1"}]}))
    (folder / "package.json").write_text('{"name": "payloads"}')
    return folder


def stdout_files(result: Result) -> list[dict[str, Any]]:
    """As :func:`files_of`, from standard output alone (the notes of skipped files go to standard error)."""
    return [{k: v for k, v in file.items() if k != "seconds"} for file in json.loads(result.stdout)["files"]]


def stdout_findings(result: Result) -> list[dict[str, Any]]:
    return [f for file in json.loads(result.stdout)["files"] for f in file["findings"]]


def test_integ_options_mean_the_same_with_jobs_and_shards(tmp_path: Path) -> None:
    """Skipped folder files, --lookups, stdin and --exit-zero give the same report in one process, two, or shards."""
    folder = mixed(tmp_path / "p")
    lookups = tmp_path / "lookups.json"
    lookups.write_text(json.dumps(LOOKUPS), encoding="utf-8")
    stdin = json.dumps({"records": [{**RECORD, "ExternalId": "x-1"}]})  # reused by timeline-insert.2.json
    common = ["--format", "json", "--stdin-filename", "timeline-insert.in.json", "-", str(folder)]
    runner = CliRunner()
    one = runner.invoke(cli, ["validate", "--jobs", "1", *common], input=stdin)
    two = runner.invoke(cli, ["validate", "--jobs", "2", *common], input=stdin)
    assert one.exit_code == two.exit_code == 1
    assert stdout_files(one) == stdout_files(two)
    kinds = {f["path"].rsplit("/", 1)[-1]: f["kind"] for f in json.loads(two.stdout)["files"]}
    assert kinds["package.json"] == "skipped"
    assert sorted(f["rule"] for f in stdout_findings(two)) == ["GS113", "GS113", "TL104"]
    assert all(f["seconds"] is not None for f in json.loads(two.stdout)["files"])
    with_lookups = runner.invoke(cli, ["validate", "--jobs", "2", "--lookups", str(lookups), *common], input=stdin)
    assert [f["rule"] for f in stdout_findings(with_lookups)] == ["TL104"]
    for k in (1, 2):
        shard = ["--shard", f"{k}/2", "--shard-file", str(tmp_path / f"s{k}.json")]
        runner.invoke(cli, ["validate", *shard, *common], input=stdin, catch_exceptions=False)
    merge = ["--merge", str(tmp_path / "s2.json"), "--merge", str(tmp_path / "s1.json"), "--exit-zero"]
    merged = runner.invoke(cli, ["validate", *merge, "--format", "json"], catch_exceptions=False)
    assert merged.exit_code == 0
    assert stdout_files(merged) == stdout_files(one)
