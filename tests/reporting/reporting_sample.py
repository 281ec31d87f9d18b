"""The sample report every format is rendered from in these tests, and the values tests look for in it."""

from __future__ import annotations

from gscontract.findings import Finding, Report, RunMeta, Section, SectionName, Severity, Subject
from gscontract.reporting.matrix import CodeInfo, RuleInfo, with_matrix

E, W = Severity.ERROR, Severity.WARNING
SPEC = "specs/timeline.openapi.yaml"
BULK = "payloads/timeline-insert.bulk.json"
XSS = "payloads/events \u2013 ünïcödé.json"  # an en dash: a non-ASCII file name
XSS_SUBJECT = "<script>window.__pwned = 'script'; alert(1)</script><img src=x onerror=\"window.__pwned = 'img'\">"
REPRODUCTION = (
    "curl -X POST 'http://127.0.0.1:8000/v1/ant/es/activity' -H 'accesskey: [REDACTED]' "
    '-H \'Content-Type: application/json\' -d \'{"records": [{"ExternalId": "a1", "Subject": "<b>hi</b>"}]}\''
)
LONG_NOTES = "Notes has 40,000 characters of text; the limit is 32,000: " + "lorem ipsum " * 250

RULES = (
    RuleInfo("SP101", "The spec is valid OpenAPI 3.1", SectionName.SPECS),
    RuleInfo("SP102", "Every operation has an `operationId` and a summary", SectionName.SPECS),
    RuleInfo("SP103", "Every example validates against its schema", SectionName.SPECS),
    RuleInfo("GS101", "The file is valid JSON", SectionName.PAYLOADS),
    RuleInfo("TL101", "An insert record has no `ExternalId`", SectionName.PAYLOADS, "GS_TL_10_0202"),
    RuleInfo("TL201", "Relationship activity has no `GsRelationshipTypeId`", SectionName.PAYLOADS, "GS_TL_10_0215"),
    RuleInfo("TL202", "ContextName is one of the newer contexts", SectionName.PAYLOADS),
    RuleInfo("TL301", "`Subject` is longer than 255 characters", SectionName.PAYLOADS, "GSOBJ_1001"),
    RuleInfo("TL302", "`Notes` is longer than 32,000 characters of text", SectionName.PAYLOADS, "GSOBJ_1001"),
    RuleInfo("TL401", "`ActivityDate` is not an ISO 8601 date-time", SectionName.PAYLOADS, "GS_TL_10_0222"),
    RuleInfo("TL601", "A delete body is not an array of activity ids", SectionName.PAYLOADS),
    RuleInfo("EV101", "An event has no `eventTypeId`", SectionName.PAYLOADS, "GSOBJ_1007"),
    RuleInfo("EV102", "An event field has a value of the wrong type", SectionName.PAYLOADS, "GSOBJ_1002"),
    RuleInfo("CT101", "No response is a server error", SectionName.CONTRACT),
    RuleInfo("CT102", "A schema-invalid request is rejected", SectionName.CONTRACT),
    RuleInfo("CT201", "An invalid record fails with its rule's code", SectionName.CONTRACT),
)
CODES = (
    CodeInfo("GS_TL_10_0202", "External Id for key ExternalId missing", SectionName.PAYLOADS),
    CodeInfo("GS_TL_10_0211", "Activity context name for key ContextName missing", SectionName.PAYLOADS),
    CodeInfo("GSOBJ_1023", "Invalid API path", SectionName.CONTRACT),
    CodeInfo("GS_APIG_2401", "Unauthorized", SectionName.CONTRACT),
)


def sample() -> Report:
    """Build the sample report."""
    specs = Section(
        SectionName.SPECS,
        (
            Subject("specs/events.openapi.yaml", "openapi-3.1", 3, ("SP101", "SP102", "SP103")),
            Subject(
                SPEC,
                "openapi-3.1",
                8,
                ("SP101", "SP102", "SP103"),
                (
                    Finding(
                        "SP103",
                        E,
                        "example does not match its schema: 'ExternalId' is a required property",
                        path=SPEC,
                        pointer="/paths/~1v1~1ant~1es~1activity/post/requestBody/content/application~1json/example",
                        line=120,
                        column=15,
                        operation="saveActivity",
                    ),
                ),
            ),
        ),
    )
    payloads = Section(
        SectionName.PAYLOADS,
        (
            Subject(
                BULK,
                "timeline-insert",
                3,
                ("GS101", "TL101", "TL201", "TL202", "TL301", "TL302", "TL401"),
                (
                    Finding(
                        "TL201",
                        E,
                        "Relationship activity has no `GsRelationshipTypeId`",
                        "GS_TL_10_0215",
                        BULK,
                        "/records/1",
                        14,
                        5,
                    ),
                    Finding(
                        "TL301",
                        E,
                        "`Subject` is 300 characters; the limit is 255",
                        "GSOBJ_1001",
                        BULK,
                        "/records/2/Subject",
                        30,
                        7,
                    ),
                    Finding("TL302", E, LONG_NOTES, "GSOBJ_1001", BULK, "/records/2/Notes", 31, 7),
                    Finding(
                        "TL202",
                        W,
                        "ContextName `CTA` works on newer tenants only; its extra keys are undocumented",
                        None,
                        BULK,
                        "/records/0/ContextName",
                        4,
                        7,
                    ),
                ),
            ),
            Subject(
                "payloads/timeline-insert.single.json",
                "timeline-insert",
                1,
                ("GS101", "TL101", "TL201", "TL301", "TL401"),
            ),
            Subject(
                XSS,
                "event",
                1,
                ("GS101", "EV101", "EV102"),
                (
                    Finding(
                        "EV102",
                        E,
                        f"`Subject` is not plain text: {XSS_SUBJECT} (ünïcödé ✓ 日本語 🎉 @octocat)",
                        "GSOBJ_1002",
                        XSS,
                        "/records/0/Subject",
                        3,
                        16,
                    ),
                ),
            ),
            Subject(
                "payloads/broken.jsonl",
                "timeline-insert",
                0,
                (),
                (
                    Finding(
                        "GS101",
                        E,
                        "invalid JSON: trailing comma before '}'",
                        None,
                        "payloads/broken.jsonl",
                        None,
                        2,
                        40,
                    ),
                ),
            ),
            Subject("payloads/empty-delete.json", "timeline-delete", 0, ()),
        ),
    )
    contract = Section(
        SectionName.CONTRACT,
        (
            Subject("GET /v1/ant/es/job/status/{jobId}", "timeline", 20, ("CT101", "CT102")),
            Subject(
                "POST /v1/ant/es/activity",
                "timeline",
                25,
                ("CT101", "CT102", "CT201"),
                (
                    Finding(
                        "CT201",
                        E,
                        "record failed with GS_TL_10_0202, expected GS_TL_10_0211",
                        "GS_TL_10_0211",
                        operation="POST /v1/ant/es/activity",
                        reproduction=REPRODUCTION,
                    ),
                ),
            ),
            Subject(
                "POST /v1/events",
                "events",
                10,
                ("CT101", "CT102"),
                (
                    Finding(
                        "CT102",
                        W,
                        "tenant accepted a schema-invalid request (HTTP 200); real tenants are lenient",
                        operation="POST /v1/events",
                        reproduction="curl -X POST 'http://127.0.0.1:8000/v1/events' \\\n  -d '{\"eventTypeId\": 5}'",
                    ),
                ),
            ),
        ),
    )
    meta = RunMeta(
        tool_version="0.0.0-sample",
        started="2024-05-01T10:00:00Z",
        duration_seconds=12.5,
        target="http://127.0.0.1:8000",
        seed=12345,
        profile="current",
        spec_hashes=(
            ("specs/events.openapi.yaml", "a" * 64),
            ("specs/timeline.openapi.yaml", "b" * 64),
        ),
    )
    return with_matrix(Report((specs, payloads, contract), meta), RULES, codes=CODES)
