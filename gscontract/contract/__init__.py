"""Contract tests against the mock tenant or a live tenant: schemathesis phases plus Gainsight checks.

:func:`run_contract` is the library entry point (``gscontract contract`` and the pytest plugin call it);
:func:`plan_contract` says what a run would do without sending anything. Importing the package registers
every check in :data:`CHECKS` (CT100 the run, CT1xx response, CT2xx scenario, CT3xx schemathesis built-in).
"""

from __future__ import annotations

from . import builtin, events_scenarios, job_scenarios, responses, results, timeline_scenarios  # noqa: F401
from .checks import CHECKS, ContractCheck, get_check
from .options import ContractOptions, Plan, plan_contract
from .runner import ContractRun, run_contract

__all__ = [
    "CHECKS",
    "ContractCheck",
    "ContractOptions",
    "ContractRun",
    "Plan",
    "get_check",
    "plan_contract",
    "run_contract",
]
