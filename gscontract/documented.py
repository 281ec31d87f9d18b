"""Everything a report can name, documented in one place: payload rules, spec checks, contract checks, codes.

``gscontract rules`` and ``rules explain`` read this module, and the pipeline builds the compliance
matrix from it, so an id a report shows is always one the CLI can explain. Gainsight error codes and
their meanings come from :mod:`.gainsight.codes`; :func:`reporters_of` lists every rule and check that
reports a code.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from functools import cache

from .errors import UsageError
from .findings import SectionName
from .gainsight.codes import CODES, UNAUTHORIZED
from .registry import plain_text
from .reporting.matrix import CodeInfo, RuleInfo

__all__ = [
    "CODE_PATTERN",
    "FAMILIES",
    "Documented",
    "code_meaning",
    "documented",
    "documented_codes",
    "find",
    "matrix_rules",
    "payload_rule_infos",
    "reporters_of",
]

FAMILIES = ("GS", "TL", "EV", "SP", "CT")
"""Id prefixes: GS/TL/EV payload rules, SP spec checks, CT contract checks."""

CODE_PATTERN = re.compile(r"\b(?:GS_TL_\d{2}_\d{4}|GSOBJ_\d{4}|GS_APIG_\d{4})\b")

# Checks that judge codes their docs do not name one by one: the 401 checks see GS_APIG_2401, CT105
# judges every code a response carries.
_CODE_CHECKS = {UNAUTHORIZED: ("CT207", "CT308", "SP107")}
_EVERY_CODE_CHECK = "CT105"
# The scenario checks that send each payload rule's invalid records and expect its code back.
_RULE_CODE_CHECKS = {"TL": "CT202", "EV": "CT212"}


@dataclass(frozen=True, slots=True)
class Documented:
    """A payload rule, spec check or contract check, as ``rules`` lists it and ``rules explain`` prints it."""

    id: str
    name: str
    section: SectionName
    severity: str
    summary: str
    doc: str
    code: str | None = None
    facts: tuple[str, ...] = ()
    """Lines ``explain`` prints under the title: kinds, operations, what the rule needs."""

    @property
    def family(self) -> str:
        """The id's prefix: GS, TL, EV, SP or CT."""
        return self.id[:2]

    @property
    def help(self) -> str:
        """The page of the documentation that describes this family of rules or checks."""
        return self.section.docs

    @property
    def codes(self) -> tuple[str, ...]:
        """The Gainsight codes it reports: its own, those its doc names, and those it judges by design."""
        named = {self.code} if self.code else set()
        named.update(CODE_PATTERN.findall(self.doc))
        named.update(code for code, ids in _CODE_CHECKS.items() if self.id in ids)
        return tuple(sorted(named))


def _payload_rules() -> list[Documented]:
    from .rules import RULES

    return [
        Documented(
            r.id,
            r.name,
            SectionName.PAYLOADS,
            r.severity.label,
            plain_text(r.summary),
            r.doc,
            r.code,
            (
                "kinds: " + ", ".join(sorted(k.value for k in r.kinds)),
                *(
                    ["needs tenant state: the mock tenant checks it; validate only where one run's files can"]
                    if r.needs_tenant
                    else []
                ),
            ),
        )
        for r in RULES.values()
    ]


@cache
def documented() -> tuple[Documented, ...]:
    """Every registered rule and check, by id."""
    # Imported here: the contract package brings schemathesis, which only these callers need.
    from .contract import CHECKS as contract_checks
    from .speclint import CHECKS as spec_checks

    found = _payload_rules()
    found += [
        Documented(c.id, c.name, SectionName.SPECS, c.severity.label, plain_text(c.summary), c.doc)
        for c in spec_checks.values()
    ]
    found += [
        Documented(
            c.id,
            c.name,
            SectionName.CONTRACT,
            c.severity.label,
            plain_text(c.summary),
            c.doc,
            facts=(
                f"kind: {c.kind.value} check",
                "operations: " + (", ".join(sorted(c.operations)) or "every operation"),
                *(["needs --allow-writes against a live tenant"] if c.needs_writes else []),
            ),
        )
        for c in contract_checks.values()
    ]
    return tuple(sorted(found, key=lambda d: d.id))


def documented_codes() -> list[CodeInfo]:
    """Every documented error code with its meaning, so codes no rule carries get a matrix row."""
    return [CodeInfo(code, plain_text(meaning), SectionName.CONTRACT) for code, meaning in sorted(CODES.items())]


def code_meaning(code: str) -> str | None:
    """What a documented code means (the Timeline spec's ``ErrorCode`` table words it alike)."""
    meaning = CODES.get(code)
    return None if meaning is None else plain_text(meaning)


def reporters_of(code: str) -> list[Documented]:
    """Every rule and check that reports ``code`` (CT105, which judges every code, comes last)."""
    named = [d for d in documented() if code in d.codes]
    wanted = {_RULE_CODE_CHECKS[d.family] for d in named if d.family in _RULE_CODE_CHECKS} | {_EVERY_CODE_CHECK}
    return named + [d for d in documented() if d.id in wanted and d not in named]


def matrix_rules() -> list[RuleInfo]:
    """What every registry documents, for the compliance matrix: spec checks, payload rules, contract checks.

    The contract's checks are listed even when a run skips the contract step: they show as not run.
    """
    return [RuleInfo(d.id, d.summary, d.section, d.code) for d in documented()]


def payload_rule_infos() -> list[RuleInfo]:
    """The payload rules alone, as the matrix documents them (``validate`` needs no contract import)."""
    return [RuleInfo(d.id, d.summary, d.section, d.code) for d in _payload_rules()]


def find(key: str) -> Documented:
    """A rule or check by id, old id or name, in any case.

    Raises:
        UsageError: nothing has that id or name.
    """
    from .contract import get_check
    from .errors import RegistryError
    from .rules import get
    from .speclint.catalog import get_check as get_spec_check

    for lookup in (get, get_spec_check, get_check):
        try:
            entry_id = lookup(key).id
        except RegistryError:
            continue
        return next(d for d in documented() if d.id == entry_id)
    raise UsageError(f"unknown rule, check or code {key!r}; `gscontract rules` lists them all")


def doc_text(entry: Documented) -> str:
    """An entry's documentation as plain text (reStructuredText roles and literals stripped)."""
    return plain_text(inspect.cleandoc(entry.doc))
