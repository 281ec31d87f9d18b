"""The bundled OpenAPI specs, served without an access key so tools can load them from the mock."""

from __future__ import annotations

from starlette.responses import Response

from ...errors import SpecError
from ...gainsight.codes import INVALID_PATH
from ...specfiles import spec_path
from ..endpoint import Call, Operation
from ..http import error_response

__all__ = ["OPERATIONS"]


def _serve(name: str) -> Operation:
    async def handler(call: Call) -> Response:
        try:
            text = spec_path(name).read_bytes()
        except (SpecError, OSError) as exc:
            return error_response(404, f"the {name} spec is not available: {exc}", code=INVALID_PATH)
        return Response(text, media_type="application/yaml")

    return Operation("GET", f"/openapi/{name}.yaml", handler, auth=False)


OPERATIONS = (_serve("timeline"), _serve("events"), _serve("events-framework"))
