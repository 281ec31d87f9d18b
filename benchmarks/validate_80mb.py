"""How fast, and in how much memory, does ``gscontract validate`` check an 80 MB bulk file (the vendor's limit)?

Generates ``benchmarks/.data/timeline-insert.bench-80mb.json`` (kept between runs; ``--regenerate`` makes a
new one): activity records like the Timeline document's bulk sample, pretty-printed as exports are, about 1%
of them broken in one of several documented ways. The same records are also written compactly and as JSON
Lines, and an 18 MB file is generated the same way. Then it times whole processes, interpreter start
included, one after the other in this run, and reads each one's peak memory (RSS):

* the parse floor: the faster of ``orjson.loads`` and ``json.loads`` of the file, each its own process;
* ``gscontract validate`` on it (``--format json`` to a file);
* jsonschema-rs and python-jsonschema validating it against the Timeline spec's ``ActivityInsertRequest``
  schema (the spec's own components, Draft 2020-12, formats checked, every error collected; neither
  gives lines nor knows Gainsight's rules beyond the schema; JSON Lines is no JSON document for them);
* start-up: ``gscontract validate`` on a one-record file against ``python -c "import orjson"``;
* many files: 200 files of 0.5 MB with ``--jobs 1`` and ``--jobs 2`` (their findings must be equal).

Every process but python-jsonschema runs ``--repeat`` times (default 3, alternating) and the best time
counts, as ``timeit`` does: other processes on the machine only ever slow a run down. It prints each time,
its ratio to the parse floor, peak RSS as a multiple of the file size, and each goal's ratio with its
verdict. Goals (issue 16): 80 MB pretty and compact within 1.4x the floor, faster than jsonschema-rs, peak
RSS within 1.5x the file (far below it for JSON Lines); 18 MB within 2x the floor; start-up within 2x; 200
files at least 1.7x faster with two processes than with one.

    python benchmarks/validate_80mb.py [--size-mb 80] [--repeat 3] [--regenerate] [--skip-jsonschema]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"

COMPANIES = ["Tech systems ABC Ltd", "AAR Corp Hardware Abscoa Division"]
AUTHORS = ["testuser@gainsight.com", "abc@gainsight.com", "hysty@gainsight.com", "seka@gainsight.com"]
LOOKUPS = {
    "AuthorId": {
        "fields": {"Author": "Email"},
        "lookupField": "Gsid",
        "objectName": "GsUser",
        "multiMatchOption": "FIRSTMATCH",
        "onNoMatch": "ERROR",
    },
    "GsCompanyId": {
        "fields": {"companyName": "Name"},
        "lookupField": "Gsid",
        "objectName": "Company",
        "multiMatchOption": "FIRSTMATCH",
        "onNoMatch": "ERROR",
    },
    "GsRelationshipId": {
        "fields": {"RelationshipName": "Name"},
        "lookupField": "Gsid",
        "objectName": "Relationship",
        "multiMatchOption": "FIRSTMATCH",
        "onNoMatch": "ERROR",
    },
    "InternalAttendees": {
        "fields": {"internalAttendees": "Email"},
        "lookupField": "Gsid",
        "objectName": "GsUser",
        "multiMatchOption": "FIRSTMATCH",
    },
}


def _record(rnd: random.Random, index: int) -> dict[str, object]:
    day = rnd.randrange(1, 29)
    record: dict[str, object] = {
        "ContextName": "Company",
        "TypeName": rnd.choice(["Update", "Meeting", "Call"]),
        "ExternalId": f"crm-{index:09d}-{rnd.getrandbits(32):08x}",
        "Subject": f"Quarterly review {index}: adoption, renewal and roadmap",
        "Notes": f"<p>Met the account team about <b>renewal {index}</b>; next steps agreed &amp; sent.</p>",
        "ActivityDate": f"2022-{rnd.randrange(1, 13):02d}-{day:02d}T{rnd.randrange(24):02d}:{rnd.randrange(60):02d}"
        f":00.000{rnd.choice(['-07:00', 'Z', '+05:30'])}",
        "Author": rnd.choice(AUTHORS),
        "companyName": rnd.choice(COMPANIES),
        "internalAttendees": rnd.sample(AUTHORS, 2),
        "Ant__CustomDateField__c": f"2022-06-{day:02d}",
        "Ant__Remarks__c": "remarks field",
    }
    if index % 5 == 0:
        record.update(
            ContextName="Relationship",
            RelationshipName="Gainsight Desktop",
            GsRelationshipTypeId="1P06GOGHZYYQJQ9HMNK0TR0XP2Z29VGJ53IL",
            companyName=COMPANIES[1],
        )
    return record


def _break(record: dict[str, object], rnd: random.Random) -> None:
    """Break the record in one documented way (about 1% of records)."""
    how = rnd.randrange(6)
    if how == 0:
        del record["ContextName"]
    elif how == 1:
        record["ActivityDate"] = "2022-02-30T10:00:00Z"
    elif how == 2:
        record["Subject"] = "s" * 300
    elif how == 3:
        record["Ant__CustomDateField__c"] = "06/08/2022"
    elif how == 4:
        del record["TypeName"]
    else:
        record["ExternalId"] = "crm-duplicate"


def generate(path: Path, size_mb: float, seed: int = 4) -> int:
    """Write a bulk insert body of about ``size_mb`` MB; return its record count."""
    rnd = random.Random(seed)
    target = size_mb * 1_000_000
    path.parent.mkdir(parents=True, exist_ok=True)
    count = written = 0
    with path.open("w", encoding="utf-8") as out:
        out.write('{\n  "records": [\n')
        written += 16
        while written < target - 2000:
            record = _record(rnd, count)
            if rnd.random() < 0.01:
                _break(record, rnd)
            text = json.dumps(record, indent=2, ensure_ascii=False)
            text = ("" if count == 0 else ",\n") + "    " + text.replace("\n", "\n    ")
            out.write(text)
            written += len(text.encode("utf-8"))
            count += 1
        out.write('\n  ],\n  "lookups": ' + json.dumps(LOOKUPS, indent=2).replace("\n", "\n  ") + "\n}\n")
    return count


def write_forms(path: Path) -> dict[str, Path]:
    """The pretty file, and the same body written compactly and as JSON Lines (its records only)."""
    import orjson

    compact = path.with_name(path.name.replace(".json", ".compact.json"))
    lines = path.with_name(path.name.replace(".json", ".jsonl"))
    if not compact.exists() or not lines.exists() or compact.stat().st_mtime < path.stat().st_mtime:
        document = orjson.loads(path.read_bytes())
        compact.write_bytes(orjson.dumps(document))
        with lines.open("wb") as out:
            for record in document["records"]:
                out.write(orjson.dumps(record) + b"\n")
    return {"pretty": path, "compact": compact, "jsonl": lines}


def measure(argv: list[str]) -> tuple[float, int]:
    """Run a whole process; return its wall time and peak RSS in bytes."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv[:3]} failed ({proc.returncode}): {err}")
    return elapsed, usage.ru_maxrss * 1024  # Linux reports KiB


ORJSON = "import orjson, sys\nwith open(sys.argv[1], 'rb') as f:\n    orjson.loads(f.read())\n"
STDLIB_JSON = "import json, sys\nwith open(sys.argv[1], 'rb') as f:\n    json.loads(f.read())\n"

JSONSCHEMA_RS = """
import sys
import jsonschema_rs, orjson
from gscontract.specfiles import load_spec

base = "urn:timeline"
validator = jsonschema_rs.Draft202012Validator(
    {"$ref": base + "#/components/schemas/ActivityInsertRequest"},
    registry=jsonschema_rs.Registry([(base, load_spec("timeline"))]),
    validate_formats=True,
)
with open(sys.argv[1], "rb") as f:
    document = orjson.loads(f.read())
print(sum(1 for _ in validator.iter_errors(document)), file=sys.stderr)
"""

JSONSCHEMA = """
import json, sys
import jsonschema
from referencing import Registry, Resource
from gscontract.specfiles import load_spec

spec = load_spec("timeline")
resource = Resource.from_contents({"$schema": "https://json-schema.org/draft/2020-12/schema", **spec},)
registry = Registry().with_resource("urn:timeline", resource)
schema = {"$ref": "urn:timeline#/components/schemas/ActivityInsertRequest"}
validator = jsonschema.Draft202012Validator(schema, registry=registry, format_checker=jsonschema.FormatChecker())
with open(sys.argv[1], encoding="utf-8") as f:
    document = json.load(f)
errors = sum(1 for _ in validator.iter_errors(document))
print(errors, file=sys.stderr)
"""

Result = tuple[float, int]


def best(argvs: dict[str, list[str]], repeat: int) -> dict[str, Result]:
    """Run each command ``repeat`` times, alternating; the best time and the highest peak RSS of each."""
    results: dict[str, Result] = {}
    for _ in range(max(1, repeat)):
        for name, argv in argvs.items():
            seconds, rss = measure(argv)
            old = results.get(name, (seconds, rss))
            results[name] = (min(old[0], seconds), max(old[1], rss))
    return results


def validate_argv(report: Path, *args: str | Path) -> list[str]:
    """``gscontract validate ARGS`` writing its JSON report to ``report``."""
    return [sys.executable, "-m", "gscontract", "validate", "--format", "json", "-o", str(report), *map(str, args)]


def many_files(count: int, size_mb: float) -> Path:
    """A folder of ``count`` bulk files of ``size_mb`` each (generated once)."""
    folder = DATA / f"many-{count}x{size_mb}mb"
    if not folder.exists() or len(list(folder.glob("*.json"))) != count:
        for number in range(count):
            generate(folder / f"timeline-insert.{number:03d}.json", size_mb, seed=1000 + number)
    return folder


def _row(name: str, result: Result, floor: float, size: int) -> str:
    seconds, rss = result
    return f"{name:<34}{seconds:>8.2f}{seconds / floor:>9.2f}{rss / 1e6:>9.0f}MB{rss / size:>8.2f}"


def _goal(text: str, value: float, limit: float, *, at_least: bool = False) -> str:
    met = value >= limit if at_least else value <= limit
    return f"{text} = {value:.2f} ({'>=' if at_least else '<='} {limit}): {'met' if met else 'NOT met'}"


def _found(report: Path) -> list[dict[str, object]]:
    """A JSON report's files with their findings, without the seconds each took (they differ run to run)."""
    files = json.loads(report.read_text(encoding="utf-8"))["files"]
    return [{k: v for k, v in f.items() if k != "seconds"} for f in files]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=80)
    parser.add_argument("--small-mb", type=int, default=18)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timed process; the best counts")
    parser.add_argument("--skip-jsonschema", action="store_true", help="python-jsonschema takes minutes")
    parser.add_argument("--skip-many", action="store_true", help="leave out the 200-file run")
    args = parser.parse_args()

    path = DATA / f"timeline-insert.bench-{args.size_mb}mb.json"
    small = DATA / f"timeline-insert.bench-{args.small_mb}mb.json"
    for target, size_mb in ((path, args.size_mb), (small, args.small_mb)):
        if args.regenerate or not target.exists():
            count = generate(target, size_mb)
            print(f"generated {target.name}: {count} records")
    forms = {**write_forms(path), "18 MB": small}
    python = sys.executable
    goals: list[str] = []
    print(f"{'process':<34}{'seconds':>8}{'x floor':>9}{'peak RSS':>11}{'x file':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        for form, file in forms.items():
            size = file.stat().st_size
            print(f"-- {form}: {file.name} ({size / 1e6:.1f} MB)")
            runs = {
                "orjson.loads": [python, "-c", ORJSON, str(file)],
                "json.loads": [python, "-c", STDLIB_JSON, str(file)],
                "gscontract validate": validate_argv(report, file),
            }
            if form in ("pretty", "compact"):
                runs["jsonschema-rs"] = [python, "-c", JSONSCHEMA_RS, str(file)]
            results = best(runs, args.repeat)
            if form == "pretty" and not args.skip_jsonschema:
                results["python-jsonschema"] = measure([python, "-c", JSONSCHEMA, str(file)])
            floor = min(results["orjson.loads"][0], results["json.loads"][0])
            for name, result in results.items():
                print(_row(name, result, floor, size))
            validate = results["gscontract validate"]
            summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
            print(
                f"   validate: {summary['errors']} errors, {summary['warnings']} warnings, {summary['records']} records"
            )
            if form in ("pretty", "compact"):
                goals.append(_goal(f"{form}: validate / parse floor", validate[0] / floor, 1.4))
                goals.append(_goal(f"{form}: validate / jsonschema-rs", validate[0] / results["jsonschema-rs"][0], 1.0))
                goals.append(_goal(f"{form}: validate peak RSS / file", validate[1] / size, 1.5))
            elif form == "jsonl":
                goals.append(_goal("jsonl: validate peak RSS / file", validate[1] / size, 0.5))
            else:
                goals.append(_goal("18 MB: validate / parse floor", validate[0] / floor, 2.0))

        one = Path(tmp) / "timeline-insert.one.json"
        one.write_text(json.dumps({"records": [_record(random.Random(1), 0)]}), encoding="utf-8")
        start = best(
            {
                "import orjson": [python, "-c", "import orjson"],
                "validate one record": validate_argv(report, one),
            },
            max(args.repeat, 5),
        )
        print("-- start-up")
        for name, (seconds, rss) in start.items():
            print(f"{name:<34}{seconds:>8.3f}{rss / 1e6:>18.0f}MB")
        goals.append(
            _goal(
                "start-up: validate one record / import orjson",
                start["validate one record"][0] / start["import orjson"][0],
                2.0,
            )
        )

        if not args.skip_many:
            folder = many_files(200, 0.5)
            reports = {jobs: Path(tmp) / f"many-{jobs}.json" for jobs in (1, 2)}
            many = best(
                {f"--jobs {jobs}": validate_argv(out, "--jobs", str(jobs), folder) for jobs, out in reports.items()},
                args.repeat,
            )
            print(f"-- many files: 200 x 0.5 MB in {folder.name}")
            for name, (seconds, rss) in many.items():
                print(f"{name:<34}{seconds:>8.2f}{rss / 1e6:>18.0f}MB")
            same = _found(reports[1]) == _found(reports[2])
            print(f"   --jobs 1 and --jobs 2 found {'the same' if same else 'DIFFERENT'} findings")
            goals.append(
                _goal("200 files: --jobs 1 / --jobs 2", many["--jobs 1"][0] / many["--jobs 2"][0], 1.7, at_least=True)
            )
    print("goals:")
    print("\n".join(f"  {goal}" for goal in goals))


if __name__ == "__main__":
    main()
