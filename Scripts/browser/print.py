#!/usr/bin/env python3
"""Prints pages to PDF with headless Chromium (A4) and counts the PDF pages."""
import sys, os, base64, re
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
o = Options()
for a in ["--headless=new", "--no-sandbox", "--disable-gpu"]: o.add_argument(a)
o.binary_location = "/usr/bin/chromium"
d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
outdir = sys.argv[1]
for f in sys.argv[2:]:
    d.get("file://" + os.path.abspath(f))
    pdf = base64.b64decode(d.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True})["data"])
    name = os.path.basename(os.path.dirname(f)) + "-" + os.path.splitext(os.path.basename(f))[0]
    open(os.path.join(outdir, name + ".pdf"), "wb").write(pdf)
    print(name, len(re.findall(rb"/Type\s*/Page[^s]", pdf)), flush=True)
d.quit()
