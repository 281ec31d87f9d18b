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
        skipped={"budget": 3, "stage-share": 2, "quota:bulk": 4, "network:refused": 1, "read-only": 5},
        budget=40,
        stage_share=0.5,
        excluded=[("DELETE /v1/ant/es/activity", "read-only run")],
        cleanup=CleanupReport(deleted={"G1"}, left={"G3", "G2"}, problems=["cleanup stopped: budget"]),
    )
    assert notes.warnings["<run>"] == [
        "the request budget of 40 was spent; 3 requests were not sent",
        "schemathesis' phases stopped at their share (50%) of the request budget, leaving the rest to the "
        "scenario checks",
        "4 requests skipped to stay within the bulk rate limit",
    ]
    assert notes.warnings["DELETE /v1/ant/es/activity"] == ["not tested by schemathesis: read-only run"]
    assert notes.errors["<run>"] == [
        "the run was interrupted; later tests did not run",
        "1 requests could not reach the tenant (refused)",
        "cleanup could not delete 2 activities: G2, G3",
        "cleanup stopped: budget",
    ]
