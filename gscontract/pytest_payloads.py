"""gscontract's payload plugin for pytest: ``pytest --gsc-payloads DIR`` makes each payload file a test.

Installed with gscontract (entry point ``pytest11``). Each payload file under the given folders (or each
file given) becomes one test item, which fails when the file has a finding at or above the configuration's
``fail_on`` and shows those findings. Since each file is its own item, ``pytest -n auto`` (pytest-xdist)
spreads the files over the cores. One more item, ``cross-file ExternalIds``, reads the insert files again
for their ExternalIds only and fails when one reuses an ExternalId of an earlier file (TL104), as a single
``gscontract validate`` run would; deselect it with ``-k "not cross_file"`` to save that read.

Options come from ``[tool.gscontract]`` in pyproject.toml (profile, select, ignore, severity, kinds,
lookups and fail_on), as ``gscontract validate`` reads them. A file found in a folder whose kind cannot be
told (a ``package.json``) passes: it is skipped, as ``gscontract validate`` skips it. Nothing is imported
from the validator until a session asks for payloads.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .findings import Finding, Severity
    from .payload.selection import PayloadFile
    from .validating.validate_options import ValidateOptions

__all__ = ["PayloadFailure", "PayloadItem"]

_CROSS_FILE = "cross_file_ExternalIds"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register ``--gsc-payloads``."""
    group = parser.getgroup("gscontract", "Gainsight contract tests (gscontract)")
    group.addoption(
        "--gsc-payloads",
        action="append",
        default=[],
        metavar="PATH",
        help="Validate these payload files or folders, one test per file (repeatable).",
    )


class PayloadFailure(Exception):
    """A payload file has findings at or above the threshold."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"{len(findings)} findings")
        self.findings = findings


class PayloadItem(pytest.Item):
    """One payload file, validated alone; or (``file`` None) the cross-file ExternalId check of all of them."""

    def __init__(
        self,
        *,
        file: Path | None,
        display: str,
        files: list[PayloadFile],
        options: ValidateOptions,
        threshold: Severity,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.file = file
        self.display = display
        self.files = files
        self.options = options
        self.threshold = threshold

    def runtest(self) -> None:
        """Validate the file (or the files' ExternalIds together) and fail on findings at the threshold."""
        findings = list(self._findings())
        failing = [f for f in findings if f.severity >= self.threshold]
        if failing:
            raise PayloadFailure(failing)

    def _findings(self) -> Iterator[Finding]:
        from .validating.crossfile import Checked, across_files
        from .validating.one_file import How, check_path

        if self.file is not None:
            explicit = next((f.explicit for f in self.files if f.path == self.file), True)
            how = How(explicit=explicit, ids=False)
            yield from check_path(self.file, self.display, self.options, how=how).subject.findings
            return
        # The ExternalIds only: no rule runs but TL104, which runs across the files.
        ids_only = replace(self.options, select=("TL104",), ignore=())
        checked = [
            Checked(check_path(f.path, f.display, ids_only, how=How(explicit=f.explicit, ids=True)), f.path)
            for f in self.files
        ]
        for subject in across_files(checked, self.options):
            yield from (f for f in subject.findings if f.rule == "TL104")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The findings, one a line, as ``gscontract validate`` prints them."""
        if isinstance(excinfo.value, PayloadFailure):
            from .reporting.text import finding_line

            return "\n".join(finding_line(f) for f in excinfo.value.findings)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Where the item is: its file (the first file for the cross-file check)."""
        return (self.file or self.path, None, f"payload {self.display}")


@pytest.hookimpl(tryfirst=True)  # before -k and -m select among the items
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Add one item per payload file, in the order of the files, then the cross-file item."""
    given = config.getoption("gsc_payloads")
    if not given:
        return
    from .config import load_config
    from .errors import GscontractError
    from .validating.validate_options import ValidateOptions
    from .validator import expand_paths

    try:
        cfg = load_config(None, start=config.rootpath)
        files = list(expand_paths(given))
    except GscontractError as exc:
        raise pytest.UsageError(str(exc)) from None
    options = ValidateOptions(
        profile=cfg.profile,
        select=cfg.select,
        ignore=cfg.ignore,
        severities=cfg.severity,
        kinds=cfg.kinds,
        lookups=cfg.lookups,
        root=cfg.root,
    )
    common = {"files": files, "options": options, "threshold": cfg.fail_on}
    for f in files:
        items.append(
            PayloadItem.from_parent(session, name=f.display, path=f.path, file=f.path, display=f.display, **common)
        )
    if files:
        first = files[0].path
        items.append(
            PayloadItem.from_parent(session, name=_CROSS_FILE, path=first, file=None, display=_CROSS_FILE, **common)
        )
