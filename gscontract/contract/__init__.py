"""Contract tests against the mock tenant or a live tenant: schemathesis phases plus Gainsight checks.

:func:`run_contract` is the library entry point (``gscontract contract`` and the pytest plugin call it).
Importing the package registers every check (``CHECKS``: CT1xx response, CT2xx scenario, CT3xx built-in).
"""

from __future__ import annotations

from . import builtin, responses, results, scenarios  # noqa: F401 - imported for registration
from .checks import CHECKS, ContractCheck, get_check

__all__ = ["CHECKS", "ContractCheck", "get_check"]
