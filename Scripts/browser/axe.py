#!/usr/bin/env python3
"""axe-core WCAG 2.0/2.1 A and AA violations of each page, smallest page first."""
import sys, os, json, axe_selenium_python
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
# Newest bundled axe-core first: axe-playwright-python (4.12, WCAG 2.1 rules), else axe-selenium-python (3.1.1).
import importlib.util
spec = importlib.util.find_spec("axe_playwright_python")
newer = spec and os.path.join(os.path.dirname(spec.origin), "axe.min.js")
src = open(newer if newer and os.path.exists(newer) else os.path.join(os.path.dirname(axe_selenium_python.__file__), "node_modules/axe-core/axe.min.js")).read()
o = Options()
for a in ["--headless=new", "--no-sandbox", "--disable-gpu"]: o.add_argument(a)
d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
d.set_script_timeout(1200)
try: d.command_executor._client_config.timeout = 1200
except Exception: pass
d.set_window_size(1280, 900)
for f in sorted(sys.argv[1:], key=os.path.getsize):
    d.get("file://" + os.path.abspath(f))
    d.execute_script(src)
    ver = d.execute_script("return axe.version")
    r = d.execute_script("return axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})")
    print(json.dumps({"page": f, "axe": ver, "violations": [v["id"] + ":" + str(len(v["nodes"])) for v in r["violations"]]}), flush=True)
d.quit()
