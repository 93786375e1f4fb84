#!/usr/bin/env python3
"""axe-core WCAG 2.0/2.1 A and AA violations of each page, smallest page first.

    python3 Scripts/browser/axe.py _out/*.html _site/*.html _site/topics/*.html

One JSON line per page: {"page", "axe" (version), "violations": ["rule:nodes", ...]}; the exit
status is 1 when any page has a violation. The browser is headless Chromium (CHROMIUM, default
/usr/bin/chromium) driven by Playwright, with the axe-core bundled in axe-playwright-python
(4.x); without Playwright, Selenium and chromedriver with the axe-core of axe-selenium-python.
"""
import importlib.util
import json
import os
import sys

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN = "axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})" % json.dumps(TAGS)
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def axe_source():
    for name, rel in (("axe_playwright_python", "axe.min.js"), ("axe_selenium_python", "node_modules/axe-core/axe.min.js")):
        spec = importlib.util.find_spec(name)
        if spec and spec.origin:
            path = os.path.join(os.path.dirname(spec.origin), rel)
            if os.path.exists(path):
                return open(path).read()
    sys.exit("axe.py: install axe-playwright-python (pip install axe-playwright-python playwright) or axe-selenium-python")


def report(page, version, violations):
    print(json.dumps({"page": page, "axe": version,
                      "violations": [v["id"] + ":" + str(len(v["nodes"])) for v in violations]}), flush=True)
    return len(violations)


def with_playwright(pages, src):
    from playwright.sync_api import sync_playwright
    bad = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(1_200_000)
        for f in pages:
            page.goto("file://" + os.path.abspath(f))
            page.evaluate(src)
            bad += report(f, page.evaluate("axe.version"), page.evaluate(RUN)["violations"])
        browser.close()
    return bad


def with_selenium(pages, src):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    o = Options()
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu"]:
        o.add_argument(a)
    o.binary_location = CHROMIUM
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
    d.set_script_timeout(1200)
    d.set_window_size(1280, 900)
    bad = 0
    for f in pages:
        d.get("file://" + os.path.abspath(f))
        d.execute_script(src)
        bad += report(f, d.execute_script("return axe.version"), d.execute_script("return " + RUN)["violations"])
    d.quit()
    return bad


def main():
    pages = sorted(sys.argv[1:], key=os.path.getsize)
    if not pages:
        sys.exit(__doc__)
    src = axe_source()
    run = with_playwright if importlib.util.find_spec("playwright") else with_selenium
    sys.exit(1 if run(pages, src) else 0)


if __name__ == "__main__":
    main()
