"""The scenario checks' registry (CT2xx) and the loop that runs them.

A scenario check is a small registered function of a :class:`~gscontract.contract.scenarios.environment.ScenarioEnv`:
it makes its requests through the run's client and yields :class:`ScenarioProblem` values naming the
operation where the expectation broke, what was expected and what came back, with the curl lines that
reproduce it. The checks live in :mod:`.timeline_scenarios`, :mod:`.job_scenarios` and
:mod:`.events_scenarios`. Strategy-driven checks (valid and invalid records) run under hypothesis, so a
failure is shrunk to a minimal record before it is reported (shrinking is off against a live tenant,
where it costs requests).
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from ..checks import CheckKind, ContractCheck, register
from ..transport.calls import NotSent
from .environment import ScenarioEnv, ScenarioProblem
from .needs import Needs, NeedsFunc, Sizing

__all__ = ["NEEDS", "SCENARIOS", "ScenarioFunc", "run_scenarios", "scenario_check", "scenario_needs"]

ScenarioFunc = Callable[[ScenarioEnv], Iterator[ScenarioProblem]]
F = TypeVar("F", bound=ScenarioFunc)

SCENARIOS: dict[str, tuple[ContractCheck, str]] = {}
"""check id -> (check, api it exercises)."""
NEEDS: dict[str, NeedsFunc] = {}
"""check id -> the requests it may send at most (:mod:`.needs`)."""


def scenario_check(
    check_id: str, *, name: str, api: str, operations: set[str], needs: NeedsFunc, needs_writes: bool = True
) -> Callable[[F], F]:
    """Register the decorated ``(env) -> Iterator[ScenarioProblem]`` function as a scenario check.

    ``needs`` says how many requests (and bulk calls) the check sends at most, so a run can keep them
    for it before schemathesis' phases spend the budget.
    """

    def decorate(func: F) -> F:
        check = ContractCheck(
            id=check_id,
            name=name,
            kind=CheckKind.SCENARIO,
            doc=func.__doc__ or "",
            operations=frozenset(operations),
            needs_writes=needs_writes,
            func=func,
        )
        register(check)
        SCENARIOS[check_id] = (check, api)
        NEEDS[check_id] = needs
        return func

    return decorate


def scenario_needs(sizing: Sizing, *, apis: Iterable[str], writes: bool) -> dict[str, Needs]:
    """What each scenario check that would run needs (checks that need writes are left out of a read-only run)."""
    wanted = set(apis)
    return {
        check_id: NEEDS[check_id](sizing)
        for check_id, (check, api) in sorted(SCENARIOS.items())
        if api in wanted and (writes or not check.needs_writes)
    }


def run_scenarios(
    env: ScenarioEnv,
    *,
    apis: Iterable[str],
    writes: bool,
    stopped: Callable[[], bool],
    skipped: defaultdict[str, list[str]],
    errors: defaultdict[str, list[str]],
    say: Callable[[str], None],
) -> dict[str, list[ScenarioProblem]]:
    """Run every scenario check of ``apis`` in id order; return the problems each found.

    A check that needs writes is skipped in a read-only run, and every check after a stop; each skip, and
    a check cut short because the guard would not send its request, is noted in ``skipped`` (operation ->
    messages); a check that crashes is noted in ``errors``. What a check saved is deleted when it ends,
    however it ends.
    """
    problems: dict[str, list[ScenarioProblem]] = {}
    wanted = set(apis)
    for check_id, (check, api) in sorted(SCENARIOS.items()):
        if api not in wanted:
            continue
        first = sorted(check.operations)[0]
        if check.needs_writes and not writes:
            _note(skipped, first, f"{check_id} {check.name} not run: read-only run (pass --allow-writes)")
            continue
        if stopped():
            _note(skipped, first, f"{check_id} {check.name} not run: the run was stopped")
            continue
        found: list[ScenarioProblem] = []
        assert check.func is not None
        try:
            found.extend(check.func(env))
        except NotSent as exc:
            _note(skipped, exc.call.operation, f"{check_id} {check.name} stopped: {exc.call.skipped}")
        except Exception as exc:  # a crashing check must not take the run (and its cleanup) down
            errors["<run>"].append(f"{check_id} {check.name} could not finish: {type(exc).__name__}: {exc}")
        finally:
            with contextlib.suppress(NotSent):
                found.extend(env.delete_created(check_id))
        problems[check_id] = found
        say(f"scenarios: {check_id} {check.name} done")
    return problems


def _note(skipped: defaultdict[str, list[str]], operation: str, message: str) -> None:
    skipped[operation].append(message)
