"""Fixtures for the upload's tests: the mock tests' helpers (records, a real ``gscontract mock`` process)."""

from __future__ import annotations

import sys
from pathlib import Path

# The mock's helpers (MockProcess, record builders) are shared, not copied.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "mock"))
