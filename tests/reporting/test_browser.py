"""The HTML report in a real headless Chromium: visible summary, chart and findings, a working filter,
no script from payload text, no network, and a screenshot a person can look at."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from reporting_sample import XSS_SUBJECT

from gscontract.findings import Report
from gscontract.reporting.html_ import write_html

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "reports"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


def _top(page: Any, selector: str) -> float:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return float(box["y"])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path, sample_report: Report) -> Iterator[str]:
    """The sample's HTML report served from 127.0.0.1 on a free port, stopped afterwards."""
    with (tmp_path / "index.html").open("w", encoding="utf-8") as out:
        write_html(sample_report, out)
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_report_in_headless_chromium(served: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    dialogs: list[str] = []
    requests: list[str] = []
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.on("request", lambda request: requests.append(request.url))
            page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.goto(served)

            # The verdict first, then the failing findings, then the charts.
            expect(page.locator("#verdict")).to_have_text("✘ Failed")
            tops = [_top(page, f"#{card}") for card in ("verdict", "findings", "charts", "matrix", "run")]
            assert tops == sorted(tops), tops
            expect(page.locator("#findings-table tbody tr").first).to_have_attribute("data-severity", "error")
            expect(page.locator("#summary-table")).to_contain_text("Payload validation")
            for chart in ("#chart-operations", "#chart-rules"):
                expect(page.locator(chart)).to_be_visible()
                assert page.locator(chart).bounding_box()["height"] > 50  # type: ignore[index]
            expect(page.locator(f"{'#chart-operations'} g.bar")).to_have_count(3)
            failing = page.locator('#findings-table tr[data-rule="TL201"]')
            expect(failing).to_be_visible()
            expect(failing).to_contain_text("payloads/timeline-insert.bulk.json:14:5")

            # The payload's markup is shown as text and none of it ran.
            xss = page.locator('#findings-table tr[data-rule="EV102"]')
            expect(xss).to_contain_text(XSS_SUBJECT)
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert page.locator("#findings-table img").count() == 0

            # The filter: by severity, by free text, by a rule link in the matrix, then cleared.
            rows = page.locator("#findings-table tbody tr:visible")
            expect(rows).to_have_count(9)
            page.select_option("#filter-severity", "warning")
            expect(rows).to_have_count(2)
            expect(page.locator("#filter-count")).to_have_text("2")
            page.select_option("#filter-severity", "")
            page.fill("#filter-text", "ünïcödé")
            expect(rows).to_have_count(1)
            page.fill("#filter-text", "no such text anywhere")
            expect(rows).to_have_count(0)
            expect(page.locator("#filter-empty")).to_be_visible()
            page.fill("#filter-text", "")
            page.click('#matrix-table a[data-filter-rule="TL301"]')
            expect(rows).to_have_count(1)
            expect(rows.first).to_contain_text("/records/2/Subject")
            page.select_option("#filter-rule", "")
            expect(rows).to_have_count(9)

            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "html-report.png"), full_page=True)
            for width in (1400, 760):  # a wide screen and a narrow window: nothing may spill out of its card
                page.set_viewport_size({"width": width, "height": 900})
                page.screenshot(path=str(SCREENSHOTS / f"html-report-{width}.png"), full_page=True)
                assert page.evaluate("document.documentElement.scrollWidth") <= width

            # Printed, the controls go away and a filtered-out finding is printed anyway.
            page.select_option("#filter-severity", "warning")
            page.emulate_media(media="print")
            expect(page.locator(".controls")).to_be_hidden()
            expect(page.locator("#findings-table tbody tr:visible")).to_have_count(9)
        finally:
            browser.close()

    assert dialogs == []
    assert problems == []  # the CSP admitted the page's own script and style: no violation reported
    assert set(requests) == {served}  # self-contained: nothing else was fetched
