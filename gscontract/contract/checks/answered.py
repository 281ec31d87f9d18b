"""CT107: every request the run sends gets an HTTP answer, in time and within its size cap.

The run's guard judges it on each request as it forwards it (the check has no function of an exchange:
when it fails there is no exchange to read). Its findings name the operation and say what happened
instead of an answer, in gscontract's own words.
"""

from __future__ import annotations

from . import CheckKind, ContractCheck, register

__all__ = ["TENANT_ANSWERS"]

TENANT_ANSWERS = register(
    ContractCheck(
        id="CT107",
        name="tenant-answers",
        kind=CheckKind.TRANSPORT,
        doc="""Every request sent gets an HTTP answer, within the request timeout and the answer's size cap.

        ## Why
        A refused, reset or closed connection, bytes that are not HTTP, no answer within
        `--request-timeout`, or an answer over its size cap (10 MB, 80 MB for a job status) leaves a
        client with nothing to act on. Each is an error on the operation, never a silent skip, so a
        tenant that answers nothing cannot pass the contract.
        """,
    )
)
