"""The built front-end in headless Chromium with tests/fixtures/hostile_snapshot.json: markup,
DOT-breaking labels, controls, bidi overrides, 100,000-character values and raw planted text in
every field.  Click everything; nothing runs (``window.__pwned`` stays unset), no dialog, no
page or console error, and a value cut short opens whole on request.
"""

from __future__ import annotations

import pytest

URL = "/tests/js-harness/index.html?snapshot=/tests/fixtures/hostile_snapshot.json"


@pytest.fixture
def hostile(page, static_server):
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    requests = []  # nothing but the page's own files: an <img src=x> made from data would ask
    page.on("request", lambda r: requests.append(r.url))
    # Chromium asks for /favicon.ico by itself (a 404 console error that is not ours)
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
    page.goto(static_server + URL)
    page.wait_for_function("window.widgetReady === true", timeout=20_000)
    page.wait_for_selector("#root .si-graph svg g.node", timeout=20_000)
    yield page
    assert page.evaluate("window.__pwned") is None, "a snapshot value ran as code"
    assert page.errors == [], page.errors
    assert page.dialogs == [], page.dialogs
    strays = [u for u in requests if "/inspector/static/" not in u and "/tests/" not in u
              and not u.endswith("/favicon.ico")]
    assert strays == [], strays
    assert console == [], console


def test_clicking_everything_runs_nothing(hostile):
    page = hostile
    clickable = ("#root tr.si-sqlrow, #root li.si-steprow, #root tr.si-object, #root g.node, "
                 "#root summary, #root th.si-sortable")
    for i in range(page.locator(clickable).count()):
        page.locator(clickable).nth(i).dispatch_event("click")
    for value in ("similar", "duplicates", "each"):
        page.select_option("#root select.si-sql-grouping", value)
    page.fill("#root input.si-search", "<script>")
    page.fill("#root input.si-search", "")
    page.locator("#root button.si-graph-fit").click()
    page.keyboard.press("ArrowLeft")
    assert page.locator("#root script, #root img, #root iframe, #root foreignObject").count() == 0
    on_attributes = page.evaluate(
        """() => [...document.querySelectorAll('#root *')].flatMap((el) =>
              el.getAttributeNames().filter((a) => a.toLowerCase().startsWith('on')
                || String(el.getAttribute(a)).includes('javascript:'))
              .map((a) => el.tagName + ' ' + a))"""
    )
    assert on_attributes == []
    text = page.locator("#root").inner_text()
    assert "<script>window.__pwned = 1</script>" in text  # shown as text
    svg = page.locator("#root .si-graph svg").inner_html()
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in svg  # the HTML-like label: text


def test_a_cut_value_opens_whole_on_request(hostile):
    page = hostile
    row = page.locator("#root tr.si-object", has=page.locator("button.si-more")).first
    row.locator("summary").click()  # open its attribute list
    row.locator("button.si-more").first.click()
    ref = page.evaluate("window.model.sent.at(-1)")
    assert ref["type"] == "full" and ref["ref"].startswith("attr:")
    whole = "<img src=x onerror=window.__pwned=1>" + "L" * 100_000
    page.evaluate("([ref, text]) => window.model.receive({type: 'full', ref, text})",
                  [ref["ref"], whole])
    shown = page.locator("#root .si-whole").first
    assert shown.inner_text() == whole
    box = shown.bounding_box()
    assert box is not None and box["height"] < 400  # a 100,000-character value scrolls in place
    page.locator("#root button.si-less").first.click()
    assert page.locator("#root .si-whole").count() == 0
