"""An independent Gainsight tenant, to prove the contract runner against a tenant it did not build.

This package is written from two documents only, Gainsight's Timeline (Activity) API article and the
Events API OpenAPI description, and imports nothing from ``gscontract``: not its mock, its rules, its
strategies nor its facts. Where the documents are silent it deliberately makes a different reasonable
choice from the project's own mock, so a runner that only passes against that mock is caught.

Modules: :mod:`.tenant` (``create_tenant(*, access_key, ...) -> Starlette``), :mod:`.records`,
:mod:`.lookups`, :mod:`.query`, :mod:`.events`, :mod:`.jobs` (behaviour), :mod:`.data` (its own
companies, users, relationships, types and people), :mod:`.variants` (``BROKEN``: one broken tenant per
contract scenario), :mod:`.hostile` (servers that close, babble, lie, leak, hang or flood) and
:mod:`.serve` (``python tests/independent/serve.py --port 0 --variant NAME --access-key KEY``, and
``running(variant, access_key)`` for tests).

What the documents state, and this tenant enforces:

* the ``accesskey`` header; HTTP 200 with per-record failures for record problems (``data.failures``
  keyed by ExternalId for a single save, the job status for bulk); 400 for a broken envelope (not JSON,
  no ``records`` array, a delete body that is not an array of ids); a body over 80 MB answers 413;
* required fields absent, null or "": GS_TL_10_0202 (ExternalId), GS_TL_10_0211 (ContextName, insert),
  GS_TL_10_0203 (neither TypeName nor ActivityTypeId), GS_TL_10_0214 / 0215 (Relationship context
  without a relationship / its type), GS_TL_10_0110 (no Gsid on an update by activity id), GSOBJ_1007
  (Subject, Notes, Author, company); GSOBJ_1001 for a Subject over 255 or Notes over 32,000 characters;
  GS_TL_10_0222 / 0223 for bad date-times and dates; GS_TL_10_0108 for an ExternalId repeated in one
  payload (the first is kept); GS_TL_10_0107 for an ExternalId already saved; GSOBJ_1002 for a wrong
  type or a value outside a documented list;
* bulk jobs (SUBMITTED, INPROGRESS, COMPLETED, ABORTED), abort only while SUBMITTED, "Incorrect job id"
  (HTTP 200, ``result: false``) for an unknown job; delete answers a bare array of the ids deleted;
* the Events API from the server root (``/v1/events``, ``/v1/events/bulk``, ``/v1/events/types``);
* Gainsight's public publish-an-event call (:mod:`.publishing`, written from Gainsight's Events API
  page): ``POST /v1.0/api/eventManager/event`` with ``sharedSecret``, ``tenantId``, ``topicName``,
  ``eventName`` and ``eventVersion`` headers, and its own registered events (:mod:`.data`).

Choices where the documents are silent (the other choice than the project's mock, where there is one):

* whitespace-only strings (ExternalId "  ", Subject " ", TypeName " ") are values and are saved as
  given; only absent, null or "" is missing; a record with such an ExternalId is filed under it;
* a missing or wrong access key answers **400 GSOBJ_1024 "Invalid authorization headers"**, not 401;
* its own reference data (:mod:`.data`), nothing like the demo tenant; lookups resolve against it, a
  miss with ``onNoMatch`` ERROR fails the record with GSOBJ_1011 "No record found for <Key>", and an
  absent ``onNoMatch`` also means ERROR; a Gsid given directly (AuthorId, GsCompanyId,
  GsRelationshipId, GsRelationshipTypeId) must be one of its own, else GSOBJ_1011 "No record found for
  <Key>"; a malformed lookup fails the records using it with GSOBJ_1002; TypeName is free text (a known
  name also fills ActivityTypeId, and a known id fills TypeName);
* ContextName is matched without regard to case, among Company, Relationship, CTA, SuccessPlan,
  Scorecard, ScorecardMeasure and Milestone; the Events ``operation`` enum is matched as spelled;
* date-times need seconds and an offset (``Z``, ``+hh:mm`` or ``+hhmm``, milliseconds optional):
  the document writes the pattern both as ``...ss.SSSXXX`` and as ``...ssZ``;
* Notes' 32,000 characters count the text as sent, markup included; 80 MB means 80,000,000 bytes;
* rate limits are on, with headers: every answer of a limited group carries ``X-RateLimit-Limit`` and
  ``X-RateLimit-Remaining`` (refusals of the key too, uncounted), and 429 adds ``Retry-After`` in
  seconds; defaults 200/minute single (save, delete, abort), 100/minute query (read, job status, fetch
  deleted) and events, and 12/hour bulk **already half spent** when the tenant starts: 6 bulk calls
  remain, so the first bulk answer says ``X-RateLimit-Remaining: 5``;
* bulk jobs are slow: SUBMITTED for 0.5 s, then INPROGRESS for 3 status reads, then COMPLETED, and
  always finished within 3 s of submission (all configurable); records are checked when the job runs;
* fetch deleted answers Gainsight's deleted-record-log shape, ``{"RecordId", "DeletedOn",
  "ObjectName": "activity_timeline"}`` (no ExternalId), for deletions within the range, ends included;
* every JSON envelope also carries ``localizedErrorDesc`` and ``localizedMessage``;
* query results give ``CreatedDate``, ``LastModifiedDate`` and ``ActivityDate`` as epoch milliseconds;
  fields match without regard to case, a selected field the activity lacks is left out of its row, text
  compares without regard to case, ``limit`` defaults to 100 (over 5,000: 400), an unreadable
  ``expression`` answers 400, nulls sort last ascending and first descending, and ``Key__gr.Field``
  follows a reference into the tenant's data; ``/v1/data/objects/query/<object>`` also reads its
  reference objects (Company, GsUser, ...);
* bulk update takes ``identifier`` externalid, activityid or gsid (any case; none means activityid);
  records of one activity type must carry the same fields (GSOBJ_1002); an update whose identifier
  matches no activity fails with GSOBJ_1011;
* delete echoes only the ids it deleted; a deleted ExternalId may be used again;
* events: a single invalid event answers 400 with the first problem's code (GSOBJ_1007 missing,
  GSOBJ_1002 wrong) and every problem in ``errorDesc``; bulk answers ``successCount``,
  ``failureCount`` and ``failures`` keyed by index; optional fields given as null count as absent;
  event types and company ids are not checked.
"""
