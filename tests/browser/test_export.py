"""``python -m inspector export``: the walkthrough as one HTML page, opened from ``file://`` in
Chromium with every network request refused, still shows both inspectors with their graphs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "01-first-flush.ipynb"


def test_exported_walkthrough_shows_its_inspectors_offline(page, tmp_path, artifacts_dir):
    out = tmp_path / "walkthrough.html"
    done = subprocess.run(
        [sys.executable, "-m", "inspector", "export", str(NOTEBOOK), "-o", str(out), "--execute"],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out)
    text = out.read_text(encoding="utf-8")
    assert text.count('class="si-export-data"') == 2

    refused: list[str] = []
    console: list[str] = []
    page.on("console", lambda m: m.type == "error" and console.append(m.text))

    def offline(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    page.route("**/*", offline)
    page.goto(out.as_uri())
    page.wait_for_function("document.documentElement.dataset.siExported === '2'", timeout=60_000)
    roots = page.locator(".si-root")
    assert roots.count() == 2
    for i in range(2):
        roots.nth(i).locator(".si-graph svg").wait_for(timeout=60_000)
    last = roots.nth(1)
    assert "flush" in last.locator(".si-flush-status").inner_text()
    assert last.locator("tr.si-object").count() > 0
    assert last.locator("tr.si-sqlrow").count() > 0
    last.locator("button.si-step").click()  # no kernel: says so instead of failing silently
    assert "no kernel" in last.locator(".si-error").inner_text()
    last.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "export-offline.png"))
    assert refused == [], refused
    assert page.errors == [], page.errors
    assert console == [], console
