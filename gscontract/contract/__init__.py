"""Contract tests against the mock tenant or a live tenant: schemathesis phases plus Gainsight checks.

:func:`run_contract` is the library entry point (``gscontract contract`` and the pytest plugin call it);
:func:`plan_contract` says what a run would do without sending anything. Importing the package registers
every check in :data:`CHECKS` (CT100 the run, CT1xx response, CT2xx scenario, CT3xx schemathesis built-in).
"""

from __future__ import annotations

from .checks import CHECKS, ContractCheck, answered, builtin, get_check, responses  # noqa: F401  (importing registers the checks)
from .engine import results  # noqa: F401
from .engine.options import ContractOptions, Plan, plan_contract
from .engine.runner import ContractRun, run_contract
from .scenarios import activity_scenarios, event_scenarios, framework_scenarios, job_scenarios  # noqa: F401

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
