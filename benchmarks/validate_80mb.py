"""How fast is ``gscontract validate`` on an 80 MB bulk file (the vendor's limit)?

Generates ``benchmarks/.data/timeline-insert.bench.json`` (kept between runs; ``--regenerate`` makes a new
one): activity records like the Timeline document's bulk sample, pretty-printed as exports are, about 1%
of them broken in one of several documented ways. Then it times three whole processes, interpreter start
included, one after the other in this run:

1. ``orjson.loads`` of the file (the floor: parsing only);
2. ``gscontract validate`` on it (``--format json`` to a file);
3. python-jsonschema validating it against the Timeline spec's ``ActivityInsertRequest`` schema
   (the spec's own components, Draft 2020-12, every error collected).

orjson and validate run ``--repeat`` times each (default 3, alternating) and the best time counts, as
``timeit`` does: other processes on the machine only ever slow a run down. It prints each time, the
ratios, and each process's peak memory (RSS) as a multiple of the file size.
Targets (issue 4): validate within 3x orjson, at least 20x faster than python-jsonschema, peak memory
under 4x the file size.

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


def generate(path: Path, size_mb: int, seed: int = 4) -> int:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=80)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs of orjson and validate; the best counts")
    parser.add_argument("--skip-jsonschema", action="store_true", help="python-jsonschema takes minutes")
    args = parser.parse_args()

    path = DATA / f"timeline-insert.bench-{args.size_mb}mb.json"
    if args.regenerate or not path.exists():
        start = time.perf_counter()
        count = generate(path, args.size_mb)
        print(f"generated {path.name}: {count} records in {time.perf_counter() - start:.1f} s")
    size = path.stat().st_size
    print(f"file: {path} ({size / 1e6:.1f} MB)")

    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        runs = {
            "orjson.loads": [python, "-c", ORJSON, str(path)],
            "gscontract validate": [
                python,
                "-m",
                "gscontract",
                "validate",
                "--format",
                "json",
                "-o",
                str(report),
                str(path),
            ],
        }
        results: dict[str, tuple[float, int]] = {}
        for _ in range(max(1, args.repeat)):
            for name, argv in runs.items():
                seconds, rss = measure(argv)
                best = results.get(name, (seconds, rss))
                results[name] = (min(best[0], seconds), max(best[1], rss))
        if not args.skip_jsonschema:
            results["python-jsonschema"] = measure([python, "-c", JSONSCHEMA, str(path)])
        summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    print(
        f"validate found {summary['errors']} errors and {summary['warnings']} warnings in {summary['records']} records"
    )

    base = results["orjson.loads"][0]
    validate = results["gscontract validate"][0]
    print(f"{'process':<22}{'seconds':>9}{'x orjson':>10}{'peak RSS':>11}{'x file':>8}")
    for name, (seconds, rss) in results.items():
        print(f"{name:<22}{seconds:>9.2f}{seconds / base:>10.2f}{rss / 1e6:>9.0f}MB{rss / size:>8.2f}")
    verdicts = [f"validate / orjson = {validate / base:.2f} (target <= 3)"]
    if "python-jsonschema" in results:
        verdicts.append(
            f"python-jsonschema / validate = {results['python-jsonschema'][0] / validate:.1f} (target >= 20)"
        )
    verdicts.append(f"validate peak RSS / file = {results['gscontract validate'][1] / size:.2f} (target < 4)")
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
