"""What a run leaves undone becomes CT100 notes: interruptions, the guard's skips, exclusions, cleanup."""

from __future__ import annotations

from gscontract.contract.engine.cleanup import CleanupReport
from gscontract.contract.engine.results import RunNotes, note_skips


def test_a_finished_run_that_skipped_nothing_has_no_notes() -> None:
    notes = RunNotes()
    note_skips(notes, interrupted=False, skipped={}, budget=None, stage_share=0.5, excluded=(), cleanup=None)
    assert (dict(notes.warnings), dict(notes.errors)) == ({}, {})


def test_every_skip_is_a_warning_and_every_failure_of_the_run_an_error() -> None:
    notes = RunNotes()
    note_skips(
        notes,
        interrupted=True,
        skipped={"budget": 3, "stage-share": 2, "quota:bulk": 4, "retry-after:bulk": 2, "read-only": 5, "time": 6},
        budget=40,
        stage_share=0.5,
        excluded=[("DELETE /v1/ant/es/activity", "read-only run")],
        cleanup=CleanupReport(deleted={"G1"}, left={"G3", "G2"}, problems=["cleanup stopped: budget"]),
        time_limit=60,
    )
    assert notes.warnings["<run>"] == [
        "the run reached its time limit (--max-duration 60 s) and stopped; 6 requests were not sent; "
        "what it did not reach is noted below",
        "the request budget of 40 was spent; 3 requests were not sent",
        "schemathesis' phases stopped at their share (50%) of the request budget, leaving the rest to the "
        "scenario checks",
        "4 requests skipped to stay within the bulk rate limit",
        "bulk quota exhausted: the tenant's Retry-After outlasts the run, so 2 requests of the bulk group were "
        "not sent and the checks that needed them did not run",
    ]
    assert notes.warnings["DELETE /v1/ant/es/activity"] == ["not tested by schemathesis: read-only run"]
    assert notes.errors["<run>"] == [
        "the run was interrupted; later tests did not run",
        "cleanup could not delete 2 activities: G2, G3",
        "cleanup stopped: budget",
    ]
