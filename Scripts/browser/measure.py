#!/usr/bin/env python3
"""Measures rendered Bordin pages in headless Chromium at 1280 and 390 px: the page's width
(scrollWidth), the smallest rendered SVG text (font size x getScreenCTM() scale, in px), the tab
stops, axe-core WCAG A/AA violations (at 1280 px; NOAXE=1 skips them) and full-page screenshots.

    python3 Scripts/browser/measure.py METRICS.json SHOTDIR|- PAGE.html...

Screenshots are SHOTDIR/NAME-WIDTH{SUFFIX}.png (SUFFIX from the environment, e.g. -after); NAME
is the page's file name, prefixed with its folder unless that is _out. Playwright drives
CHROMIUM (default /usr/bin/chromium); axe-core is the one bundled in axe-playwright-python.
"""
import importlib.util
import json
import os
import sys

from playwright.sync_api import sync_playwright

JS_TABS = """Array.from(document.querySelectorAll('a[href],button,input,select,textarea,[tabindex]'))
 .filter(e => e.tabIndex >= 0 && !e.disabled).length"""
JS_MIN_TEXT = """() => { let m = 1e9, who = '';
 for (const t of document.querySelectorAll('svg text')) {
   if (!t.textContent.trim()) continue;
   const ctm = t.getScreenCTM(); if (!ctm) continue;
   const s = Math.hypot(ctm.a, ctm.b); const fs = parseFloat(getComputedStyle(t).fontSize) * s;
   if (fs < m) { m = fs; who = t.textContent.slice(0, 30); }
 }
 return [m === 1e9 ? null : m, who] }"""
JS_WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
AXE_RUN = "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})"


def axe_source():
    spec = importlib.util.find_spec("axe_playwright_python")
    return open(os.path.join(os.path.dirname(spec.origin), "axe.min.js")).read() if spec else None


def page_name(f):
    name = os.path.splitext(os.path.basename(f))[0]
    folder = os.path.basename(os.path.dirname(os.path.abspath(f)))
    return name if folder in ("", "_out", "out") else folder.lstrip("_") + "-" + name


def measure(browser, f, shotdir, axe):
    row = {"page": page_name(f)}
    suffix = os.environ.get("SUFFIX", "")
    for w in (1280, 390):
        page = browser.new_page(viewport={"width": w, "height": 900}, device_scale_factor=1)
        page.set_default_timeout(900_000)
        page.goto("file://" + os.path.abspath(f))
        row[f"width{w}"] = page.evaluate(JS_WIDTH)
        size, who = page.evaluate(JS_MIN_TEXT)
        row[f"mintext{w}"] = round(size, 1) if size else None
        row[f"mintextwho{w}"] = who
        if w == 1280:
            row["tabs"] = page.evaluate(JS_TABS)
            if axe and not os.environ.get("NOAXE"):
                page.evaluate(axe)
                violations = page.evaluate(AXE_RUN)["violations"]
                row["axe"] = len(violations)
                row["axe_rules"] = [v["id"] + ":" + str(len(v["nodes"])) for v in violations]
        if shotdir:
            page.screenshot(path=os.path.join(shotdir, f"{row['page']}-{w}{suffix}.png"), full_page=True)
        page.close()
    return row


def main(metrics, shotdir, files):
    if shotdir:
        os.makedirs(shotdir, exist_ok=True)
    axe = axe_source()
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                    args=["--no-sandbox", "--disable-gpu", "--hide-scrollbars"])
        for f in files:
            rows.append(measure(browser, f, shotdir, axe))
            print(json.dumps(rows[-1]), flush=True)
        browser.close()
    json.dump(rows, open(metrics, "w"), indent=1)


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2] if sys.argv[2] != "-" else None, sys.argv[3:])
