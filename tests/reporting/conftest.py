"""The shared sample report that every format is rendered from in these tests."""

from __future__ import annotations

import pytest
from reporting_sample import sample

from gscontract.findings import Report


@pytest.fixture
def sample_report() -> Report:
    """A report over all three sections with file and contract findings, warnings, unicode and a <script>."""
    return sample()
