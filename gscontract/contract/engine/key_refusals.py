"""A tenant that refuses a bad access key with 400 ``GSOBJ_1024`` instead of 401, told apart from one that ignores it.

schemathesis' ``ignored_auth`` check (CT308) sends each operation without the key and with a wrong one,
and wants 401 or 403. Gainsight's data APIs may answer a missing or malformed key header with 400
``GSOBJ_1024`` "Invalid authorization headers": a refusal all the same. The run watches every answer
(:class:`KeyRefusals` is a guard observer); once the tenant has answered ``GSOBJ_1024``, a CT308 failure
whose probe was refused with a 400 is that refusal, not a finding. A probe the tenant accepted (2xx)
stays a failure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..checks import KEY_REFUSAL_CODE
from ..transport.guard import Seen
from .phases import Failure

__all__ = ["KeyRefusals"]

_IGNORED_AUTH = "ignored_auth"


@dataclass
class KeyRefusals:
    """Whether the tenant refused a key with 400 ``GSOBJ_1024``; drops the CT308 failures that were such refusals."""

    seen: bool = False

    def observe(self, seen: Seen) -> None:
        """Note a 400 whose ``errorCode`` is ``GSOBJ_1024`` (a guard observer)."""
        if self.seen or seen.status != 400 or KEY_REFUSAL_CODE.encode() not in seen.response_body:
            return
        try:
            body = json.loads(seen.response_body)
        except ValueError:
            return
        self.seen = isinstance(body, dict) and body.get("errorCode") == KEY_REFUSAL_CODE

    def is_refusal(self, failure: Failure) -> bool:
        """Whether ``failure`` is a CT308 probe the tenant refused with its 400 ``GSOBJ_1024``."""
        return (
            self.seen
            and failure.check == _IGNORED_AUTH
            and failure.title.startswith("Unexpected response")  # refused, but not with 401/403
            and "got `400 " in failure.message
        )

    def keep(self, failures: list[Failure]) -> list[Failure]:
        """The failures that are not such refusals."""
        return [f for f in failures if not self.is_refusal(f)]
