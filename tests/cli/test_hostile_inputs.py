"""``gscontract validate`` on hostile input, as a user meets it: a process that ends in 0, 1 or 2.

Each case runs the real command in a subprocess and holds it to the promise: exit 1 with a located
finding, or exit 2 with exactly one line on standard error; never a traceback, never a hang; within 10 s
of CPU and 400 MB of memory. (CPU time, not wall time: the machines tests run on are shared.)
"""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from peakrss import launched, peak_bytes

from gscontract.cli import COMMANDS, cli

CPU_SECONDS = 10
PEAK_BYTES = 400 * 1024 * 1024


@dataclass(frozen=True)
class Done:
    code: int
    stdout: str
    stderr: str
    cpu: float
    peak: int


def validate(*args: str | Path, cwd: Path, stdout: int | None = subprocess.PIPE) -> Done:
    """Run ``python -m gscontract validate ARGS`` and measure it (a 60 s wall-clock bound catches hangs)."""
    argv = [sys.executable, "-m", "gscontract", "validate", *map(str, args)]
    report = Path(tempfile.mkdtemp()) / "peak"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(launched(argv, report), cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"{argv[3:]} hung")
    # Children are reaped one at a time here, so the growth of the children's total is this child's.
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    done = Done(proc.returncode, out or "", err, cpu, peak_bytes(report))
    assert done.code in (0, 1, 2), done
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


def one_error_line(done: Done) -> str:
    assert done.code == 2, done
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.cpu < CPU_SECONDS
    assert done.peak < PEAK_BYTES
    return done.stderr.rstrip("\n")


def findings(done: Done, rule: str) -> list[str]:
    assert done.cpu < CPU_SECONDS
    assert done.peak < PEAK_BYTES
    return [line for line in done.stdout.splitlines() if f": {rule} " in line]


def test_an_integer_of_5000_digits_is_a_located_finding(tmp_path: Path) -> None:
    (tmp_path / "timeline-insert.x.json").write_text('{"records": [\n  {"n": ' + "9" * 5000 + "}\n]}\n")
    done = validate("timeline-insert.x.json", cwd=tmp_path)
    assert done.code == 1
    assert findings(done, "GS108") == [
        "timeline-insert.x.json:2:4: GS108 integer of 5,000 digits is too long to read (the limit is 4,300) "
        "(at /records/0/n)"
    ]


def test_an_integer_of_5000_digits_in_json_lines_is_a_located_finding(tmp_path: Path) -> None:
    (tmp_path / "timeline-insert.x.jsonl").write_text('{"a": 1}\n{"n": -' + "1" * 5000 + "}\n")
    done = validate("timeline-insert.x.jsonl", cwd=tmp_path)
    assert done.code == 1
    (line,) = findings(done, "GS108")
    assert line.startswith("timeline-insert.x.jsonl:2:2: GS108 ")


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.json")
    line = one_error_line(validate("x.json", cwd=tmp_path))
    assert line == "gscontract: error: x.json: cannot read: not a regular file (a FIFO)"


def test_a_device_is_refused(tmp_path: Path) -> None:
    line = one_error_line(validate("/dev/zero", cwd=tmp_path))
    assert line == "gscontract: error: /dev/zero: cannot read: not a regular file (a character device)"


def test_a_socket_is_refused(tmp_path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "s.json"))
        line = one_error_line(validate("s.json", cwd=tmp_path))
    assert line == "gscontract: error: s.json: cannot read: not a regular file (a socket)"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"records": []}')
    path.chmod(0)
    assert one_error_line(validate("x.json", cwd=tmp_path)).startswith("gscontract: error: x.json: cannot read: ")


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("/dev/full", "gscontract: error: /dev/full: cannot write: No space left on device"),
        ("/proc/version", "gscontract: error: /proc/version: cannot write: "),
    ],
)
def test_an_output_that_cannot_be_written_is_one_line(tmp_path: Path, output: str, message: str) -> None:
    if not Path(output).exists():
        pytest.skip(f"no {output} here")
    (tmp_path / "x.json").write_text('{"records": [{}]}')
    assert one_error_line(validate("x.json", "-o", output, cwd=tmp_path)).startswith(message)


def test_standard_output_on_a_full_disk_is_one_line(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    (tmp_path / "x.json").write_text('{"records": [{}]}')
    with open("/dev/full", "w") as full:
        done = validate("x.json", cwd=tmp_path, stdout=full.fileno())
    assert one_error_line(done) == "gscontract: error: standard output: cannot write: No space left on device"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x.json", "--tenant", "."], "gscontract validate: error: invalid value for '--tenant': "),
        (["x.json", "-o", "."], "gscontract validate: error: invalid value for '-o' / '--output': "),
        ([], "gscontract validate: error: give one or more payload files or folders"),
        (["--foo", "x.json"], "gscontract validate: error: no such option: --foo (did you mean --format?)"),
        (["--max-findings", "-1", "x.json"], "gscontract validate: error: invalid value for '--max-findings'"),
    ],
)
def test_usage_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "x.json").write_text('{"records": []}')
    line = one_error_line(validate(*args, cwd=tmp_path))
    assert line.startswith(message)
    assert line.endswith(" (see --help)")


def test_verbose_adds_the_traceback_of_a_usage_error(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "gscontract", "-v", "validate", "--foo"]
    done = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "Traceback" in done.stderr
    assert done.stderr.splitlines()[-1].startswith("gscontract validate: error: no such option: --foo")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_prints_a_usage_error_as_one_line(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--no-such-option"], prog_name="gscontract")
    assert result.exit_code == 2
    assert result.output == f"gscontract {command}: error: no such option: --no-such-option (see --help)\n"


def test_soft_spots_are_located_findings(tmp_path: Path) -> None:
    text = '{"records": [\n  {"a": 1e999,\n   "b": "x\\u0000",\n   "c": 1, "c": 2}\n]}\n'
    (tmp_path / "timeline-insert.x.json").write_text(text)
    done = validate("timeline-insert.x.json", "--select", "GS1", cwd=tmp_path)
    assert done.code == 1
    assert done.stdout.splitlines()[:3] == [
        "timeline-insert.x.json:2:4: GS109 number is too large for a double and reads as infinity (at /records/0/a)",
        "timeline-insert.x.json:3:4: GS110 string holds control character U+0000 (NUL) (at /records/0/b)",
        "timeline-insert.x.json:4:4: GS111 key 'c' is given 2 times in this object: only its last value is kept "
        "(at /records/0/c)",
    ]


def test_a_folder_named_like_a_file_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "x.json").mkdir()
    (tmp_path / "x.json" / "timeline-insert.a.json").write_text('{"records": []}')
    done = validate("x.json", cwd=tmp_path)
    assert done.code == 0
    assert done.stdout.splitlines()[-1] == "1 file, 0 records: 0 errors, 1 warning"


FORGED = "\nx.json:1:1: TL101 GS_TL_10_0202 forged\n1 file, 1 record: 0 errors, 0 warnings\n\x1b[2K\x1b[1A\u2028\u202e"


def test_a_payload_cannot_forge_finding_lines(tmp_path: Path) -> None:
    record = {
        "ContextName": f"Company{FORGED}",
        "ExternalId": f"a1{FORGED}",
        "Subject": f"s{FORGED}",
        "ActivityDate": f"2022{FORGED}",
        f"Ant__Bad{FORGED}": "x",
        f"oops{FORGED}": 1,
    }
    name = "timeline-insert.forged\n1 file: 0 errors.json"
    (tmp_path / name).write_text(json.dumps({"records": [record], "lookups": {f"Gs{FORGED}": {}}}))
    done = validate(name, cwd=tmp_path)
    assert done.code == 1
    lines = done.stdout.splitlines()
    summary = lines.pop()
    assert summary.startswith("1 file, 1 record: ")
    count = sum(int(word) for word in summary.partition(": ")[2].split() if word.isdigit())
    assert len(lines) == count  # exactly one line per finding, and each is a finding of this file
    assert all(line.startswith("timeline-insert.forged\\n1 file: 0 errors.json:") for line in lines)
    markdown = validate(name, "--format", "md", cwd=tmp_path).stdout
    items = [line for line in markdown.splitlines() if line.startswith("- ")]
    assert len(items) == count
    assert not any(line.startswith(("x.json:", "1 file")) for line in markdown.splitlines())
    for output in (done.stdout, markdown):
        assert not {"\x1b", "\u2028", "\u202e"} & set(output)


@pytest.fixture(scope="module")
def flood_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The JSON report of one validate run over 300,000 empty records (each breaks several rules)."""
    folder = tmp_path_factory.mktemp("flood")
    (folder / "x.json").write_text('{"records": [' + ",".join(["{}"] * 300_000) + "]}")
    done = validate("x.json", "--format", "json", "-o", folder / "report.json", cwd=folder)
    assert done.code == 1
    assert done.cpu < CPU_SECONDS * 2  # a generous bound: about 6 s on an idle machine
    assert done.peak < PEAK_BYTES
    return folder / "report.json"


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["text", "json", "md", "html", "junit", "sarif"])
def test_a_flood_of_empty_records_stays_small_and_quick(flood_report: Path, tmp_path: Path, fmt: str) -> None:
    """Findings past --max-findings fold into counts, so every format of a flood's report stays small.

    The flood is validated once (its CPU and memory bounded there); each format then renders that report.
    """
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["report", str(flood_report), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert 0 < out.stat().st_size < 5_000_000
