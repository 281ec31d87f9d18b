"""The stateful mock tenant: both Gainsight APIs over SQLite, behind ``gscontract mock``.

:func:`create_app` is the library entry point; :mod:`gscontract.mock.server` serves it with uvicorn.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
