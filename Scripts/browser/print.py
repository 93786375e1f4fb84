#!/usr/bin/env python3
"""Prints pages to A4 PDFs with headless Chromium and counts each PDF's pages.

    python3 Scripts/browser/print.py OUTDIR PAGE.html...

Writes OUTDIR/FOLDER-NAME.pdf and prints "FOLDER-NAME PAGES" per page (Playwright driving
CHROMIUM, default /usr/bin/chromium; the page's own @page size wins, as when a reader prints).
"""
import os, re, sys
from playwright.sync_api import sync_playwright

if len(sys.argv) < 3:
    sys.exit(__doc__)
outdir = sys.argv[1]
os.makedirs(outdir, exist_ok=True)
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=["--no-sandbox", "--disable-gpu"])
    page = browser.new_page()
    for f in sys.argv[2:]:
        page.goto("file://" + os.path.abspath(f))
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        name = os.path.basename(os.path.dirname(os.path.abspath(f))) + "-" + os.path.splitext(os.path.basename(f))[0]
        open(os.path.join(outdir, name + ".pdf"), "wb").write(pdf)
        print(name, len(re.findall(rb"/Type\s*/Page[^s]", pdf)), flush=True)
    browser.close()
