"""Upload validated payload files to a tenant: the library behind ``gscontract upload``.

:func:`upload_paths` validates the files with the same rules and report as ``gscontract validate``,
plans the requests, and (only with ``allow_writes``) sends them, journalling each step.
:func:`resume_upload` continues an interrupted upload from its journal without sending any record twice
and without skipping one.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ..contract.transport.budget import ClientLimiter, GroupLimit, QuotaExhausted, profile_limits
from ..contract.transport.no_answer import NoAnswer
from ..errors import UsageError
from ..findings import SKIPPED, Finding, Report, SectionName, Subject
from ..gainsight.operations import FRAMEWORK_EVENT, rate_group
from ..gainsight.rate_limits import BULK
from ..payload.kinds import Kind
from ..payload.lookups_file import LookupsSource
from ..readfile import read_regular
from ..validator import ValidateOptions, validate_paths
from .plan import Batch, GroupCalls, Plan, plan_batches
from .prepare import PreparedFile, operation_for, prepare_file, sendable
from .sender import SendOptions, Stopped, send_all, settle_unknown
from .tenant import TenantClient, Unknown
from .upload_journal import Journal
from .upload_options import DEFAULT_JOURNAL, SAVED_OPTIONS, UploadOptions, UploadOutcome
from .verdicts import upload_section

__all__ = ["client_host", "resume_upload", "upload_paths"]

_TENANT_BULK_LIMIT = "tenant_bulk_limit"
"""The journal's record of the bulk limit the tenant's X-RateLimit-Limit set: [calls, window seconds]."""


def _sha256(path: str) -> str:
    return hashlib.sha256(read_regular(Path(path))).hexdigest()


def _validate(paths: Iterable[str | Path], options: UploadOptions) -> tuple[Report, dict[str, PreparedFile]]:
    """Validate the files and prepare those upload can send.

    Raises:
        UsageError: a file upload cannot send (a kind it does not handle).
    """
    base = options.validation or ValidateOptions()
    kind = Kind(options.kind) if options.kind else None
    checks = replace(base, kind=kind, identifier=options.identifier, profile=options.profile, lookups=options.lookups)
    report = validate_paths(paths, options=checks)
    source = LookupsSource(options.lookups, base.root)
    payloads = report.section(SectionName.PAYLOADS)
    files: dict[str, PreparedFile] = {}
    for subject in payloads.subjects if payloads is not None else ():
        if subject.kind == SKIPPED:
            continue
        if not sendable(subject.kind) and subject.failed_rules():
            # Unreadable, or of no kind upload sends, and broken anyway: held back whole, reported as such.
            files[subject.name] = PreparedFile(subject.name, subject.kind, [], None, {}, list(subject.findings))
            continue
        # A JSON Lines file carries no lookups: the ones validate checked it with go with its records.
        files[subject.name] = prepare_file(subject, source.for_file(subject.name))
    return report, files


def _groups(batches: Iterable[Batch], options: UploadOptions) -> tuple[GroupCalls, ...]:
    """The plan's calls per rate-limit group, each with the limit the upload keeps to (bulk: its share)."""
    limits = profile_limits(options.profile, spec=options.rate_limit, bulk_share=options.bulk_share)
    counts = Counter(rate_group(_operation_path(b.operation)) or "" for b in batches)
    return tuple(GroupCalls(group, calls, limits.get(group)) for group, calls in counts.items())


def _operation_path(name: str) -> str:
    """The path of a documented operation named ``METHOD /path``."""
    return name.split(" ", 1)[1]


def _plan(files: dict[str, PreparedFile], options: UploadOptions) -> tuple[Plan, dict[int, list[int]]]:
    """The requests for every clean (or, with ``skip_invalid``, every error-free) record, and each one's indexes."""
    batches: list[Batch] = []
    members: dict[int, list[int]] = {}
    for file in files.values():
        if file.file_errors:
            continue
        chosen = [r for r in file.records if not file.has_errors(r.index)]
        operation, _ = operation_for(file.kind, single=options.single)
        for b in plan_batches(
            file.path,
            operation,
            chosen,
            file.lookups,
            first_number=len(batches) + 1,
            max_bytes=options.max_bytes,
            max_records=_per_request(operation, options),
        ):
            part = chosen[b.start : b.end]
            batches.append(replace(b, start=part[0].index, end=part[-1].index + 1))
            members[b.number] = [r.index for r in part]
    return Plan(tuple(batches), _groups(batches, options)), members


def _per_request(operation: str, options: UploadOptions) -> int | None:
    """Most records a request carries: one for the Events Framework and for ``single`` by default."""
    if operation == FRAMEWORK_EVENT:
        return 1  # its publish call carries one event, named by its headers
    return options.max_records or (1 if options.single else None)


def _blocked(files: dict[str, PreparedFile]) -> list[str]:
    return [p for p, f in files.items() if f.file_errors or any(f.has_errors(r.index) for r in f.records)]


def _predictions(files: dict[str, PreparedFile]) -> dict[tuple[str, int], list[Finding]]:
    return {(f.path, i): found for f in files.values() for i, found in f.findings.items()}


def _report(
    validation: Report, plan: Plan, journal: Journal | None, files: dict[str, PreparedFile], note: str | None
) -> Report:
    section = upload_section(plan, journal, _predictions(files))
    if note is not None:
        section = replace(section, subjects=(*section.subjects, Subject(name=note, kind="plan:note")))
    return Report(sections=(*validation.sections, section))


def _client(options: UploadOptions, stop_at: float) -> TenantClient:
    if not options.base_url or not options.access_key:
        raise UsageError("an upload with --allow-writes needs --base-url and --access-key (or GAINSIGHT_ACCESS_KEY)")
    limiter = ClientLimiter(
        profile_limits(options.profile, spec=options.rate_limit, bulk_share=options.bulk_share),
        max_wait=options.max_duration,
    )
    return TenantClient(
        options.base_url,
        options.access_key,
        limiter,
        options.redactor.with_secrets(options.access_key, options.shared_secret),
        timeout=options.request_timeout,
        retries=options.retries,
        bulk_share=options.bulk_share,
        deadline=lambda: max(0.0, stop_at - time.monotonic()),
    )


def _keep_quota(client: TenantClient, journal: Journal) -> None:
    """Tie the client's quota to the journal: what an earlier run spent and learned counts, and so will this run's.

    The calls an interrupted upload made still count in their windows (an hour for bulk calls), and a bulk
    limit the tenant declared stays the limit after a resume.
    """
    learned = journal.meta().get(_TENANT_BULK_LIMIT)
    current = client.limiter.limits.get(BULK)
    if learned is not None and (current is None or learned[0] < current.amount):
        client.limiter.limits[BULK] = GroupLimit(int(learned[0]), float(learned[1]))
    longest = max((limit.seconds for limit in client.limiter.limits.values()), default=0.0)
    for group, seconds_ago in journal.calls_since(longest):
        client.limiter.charge(group, seconds_ago)
    client.on_call = journal.note_call
    client.on_limit = lambda limit: journal.set_meta({_TENANT_BULK_LIMIT: [limit.amount, limit.seconds]})


def _abort_open(client: TenantClient, journal: Journal) -> None:
    """After Ctrl-C: abort the jobs still waiting to start, so the journal's picture stays true."""
    for batch, _, job_id in journal.batches(state="submitted"):
        if job_id is not None and client.abort(job_id):
            journal.set_state(batch.number, "aborted", note="aborted on interrupt")


def _run(
    client: TenantClient,
    journal: Journal,
    files: dict[str, PreparedFile],
    options: UploadOptions,
    stop_at: float,
    *,
    resumed: bool,
) -> str | None:
    send = SendOptions(
        job_timeout=options.job_timeout,
        poll_interval=options.poll_interval,
        stop_at=stop_at,
        shared_secret=options.shared_secret,
        tenant_id=options.tenant_id,
    )
    try:
        if resumed:
            settle_unknown(client, journal, send)
        send_all(client, journal, files, send, resumed=resumed, on_request=options.on_request)
    except (Stopped, QuotaExhausted) as exc:
        return f"stopped: {exc}; resume with: gscontract upload --resume {journal.path}"
    except (NoAnswer, Unknown) as exc:
        # Even the calls that are safe to repeat went unanswered: what is unsettled stays so in the journal.
        return f"stopped: the tenant did not answer ({exc}); resume with: gscontract upload --resume {journal.path}"
    except KeyboardInterrupt:
        _abort_open(client, journal)
        raise
    return None


def upload_paths(paths: Iterable[str | Path], options: UploadOptions | None = None) -> UploadOutcome:
    """Validate, plan and (with ``allow_writes``) send payload files; a dry run sends nothing.

    Raises:
        UsageError: a file cannot be read or sent, the journal already holds an upload, or writes lack a target.
        KeyboardInterrupt: after aborting jobs not yet started; the journal says where the upload stopped.
    """
    opts = options or UploadOptions()
    validation, files = _validate(paths, opts)
    plan, members = _plan(files, opts)
    blocked = _blocked(files)
    if blocked and not opts.skip_invalid:
        note = f"nothing sent: {len(blocked)} file(s) have errors; fix them or pass --skip-invalid"
        return UploadOutcome(_report(validation, plan, None, files, note), None)
    if not opts.allow_writes:
        note = "dry run: nothing sent (pass --allow-writes to upload)"
        return UploadOutcome(_report(validation, plan, None, files, note), None)
    journal_path = opts.journal or Path(DEFAULT_JOURNAL)
    if journal_path.exists():
        raise UsageError(f"{journal_path}: a journal is already there; resume it with --resume or choose --journal")
    stop_at = time.monotonic() + opts.max_duration
    client = _client(opts, stop_at)
    if opts.confirm is not None:
        opts.confirm(client_host(opts.base_url or ""))
    journal = Journal(journal_path)
    _keep_quota(client, journal)
    try:
        _start_journal(journal, files, plan, members, opts)
        stopped = _run(client, journal, files, opts, stop_at, resumed=False)
        return UploadOutcome(_report(validation, plan, journal, files, stopped), journal_path, stopped)
    finally:
        client.close()
        journal.close()


def client_host(base_url: str) -> str:
    """The host an upload writes to, as the confirmation line names it."""
    from urllib.parse import urlsplit

    return urlsplit(base_url).netloc or base_url


def _start_journal(
    journal: Journal, files: dict[str, PreparedFile], plan: Plan, members: dict[int, list[int]], opts: UploadOptions
) -> None:
    # Plain settings only: the access key is never written, and callbacks are the caller's.
    settings = {name: getattr(opts, name) for name in SAVED_OPTIONS}
    journal.set_meta({"options": settings, "files": {p: _sha256(p) for p in files}, "started": time.time()})
    for file in files.values():
        journal.add_records((r.path, r.index, r.external_id, r.line, r.column) for r in file.records)
        held = [r.index for r in file.records if file.file_errors or file.has_errors(r.index)]
        journal.hold(file.path, held, "the validator found errors in it (see its findings above)")
    journal.add_batches(plan.batches)
    for batch in plan.batches:
        journal.assign(batch.number, batch.path, members[batch.number])


def resume_upload(journal_path: Path, options: UploadOptions | None = None) -> UploadOutcome:
    """Continue an interrupted upload: settle what is unknown, then send what is left.

    The target and access key come from ``options`` (never from the journal, which holds no secret);
    every other setting is the journal's.

    Raises:
        UsageError: no journal there, or a file changed since the upload started.
    """
    if not journal_path.is_file():
        raise UsageError(f"{journal_path}: no upload journal there")
    given = options or UploadOptions()
    journal = Journal(journal_path)
    try:
        meta = journal.meta()
        saved = {k: v for k, v in meta.get("options", {}).items() if k in UploadOptions.__dataclass_fields__}
        for kept in ("base_url",):
            if getattr(given, kept):
                saved.pop(kept, None)
        opts = replace(given, **{**saved, "allow_writes": True, "base_url": given.base_url or saved.get("base_url")})
        for path, digest in meta.get("files", {}).items():
            try:
                current = _sha256(path)
            except OSError as exc:
                raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
            if current != digest:
                raise UsageError(f"{path}: changed since the upload started; a resume must send the same records")
        validation, files = _validate(list(meta.get("files", {})), opts)
        batches = tuple(b for b, _, _ in journal.batches())
        plan = Plan(batches, _groups((b for b, s, _ in journal.batches() if s == "planned"), opts))
        stop_at = time.monotonic() + opts.max_duration
        client = _client(opts, stop_at)
        _keep_quota(client, journal)
        try:
            stopped = _run(client, journal, files, opts, stop_at, resumed=True)
        finally:
            client.close()
        return UploadOutcome(_report(validation, plan, journal, files, stopped), journal_path, stopped)
    finally:
        journal.close()
