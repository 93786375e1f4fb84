#!/usr/bin/env python3
"""Measures rendered Bordin pages in headless Chromium: tab stops, page width at 390 px,
smallest rendered SVG text (px), axe-core WCAG A/AA violations; saves screenshots."""
import sys, os, json, glob
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from axe_selenium_python import Axe

def driver():
    o = Options()
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1"]:
        o.add_argument(a)
    o.binary_location = "/usr/bin/chromium"
    from selenium.webdriver.chrome.service import Service
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)

JS_TABS = """return Array.from(document.querySelectorAll('a[href],button,input,select,textarea,[tabindex]'))
 .filter(e => e.tabIndex >= 0 && !e.disabled).length"""
JS_MIN_TEXT = """let m = 1e9, who = '';
 for (const t of document.querySelectorAll('svg text')) {
   if (!t.textContent.trim()) continue;
   const ctm = t.getScreenCTM(); if (!ctm) continue;
   const s = Math.hypot(ctm.a, ctm.b); const fs = parseFloat(getComputedStyle(t).fontSize) * s;
   if (fs < m) { m = fs; who = t.textContent.slice(0, 30); }
 }
 return [m === 1e9 ? null : m, who]"""
JS_WIDTH = "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"

def main(outdir, shotdir, files):
    d = driver()
    d.set_script_timeout(900)
    try: d.command_executor._client_config.timeout = 900
    except Exception: pass
    axe = None
    rows = []
    for f in files:
        name = os.path.splitext(os.path.basename(f))[0]
        if os.path.basename(os.path.dirname(f)) not in ("", "_out", "out"):
            name = os.path.basename(os.path.dirname(f)) + "-" + name
        row = {"page": name}
        for w in (1280, 390):
            d.set_window_size(w, 900)
            d.get("file://" + os.path.abspath(f))
            row[f"width{w}"] = d.execute_script(JS_WIDTH)
            mt = d.execute_script(JS_MIN_TEXT)
            row[f"mintext{w}"] = round(mt[0], 1) if mt[0] else None
            row[f"mintextwho{w}"] = mt[1]
            if w == 1280 and not os.environ.get("NOAXE"):
                row["tabs"] = d.execute_script(JS_TABS)
                axe = Axe(d); axe.inject()
                r = axe.run(options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, "resultTypes": ["violations"]})
                row["axe"] = len(r["violations"])
                row["axe_rules"] = [v["id"] + ":" + str(len(v["nodes"])) for v in r["violations"]]
            elif w == 1280:
                row["tabs"] = d.execute_script(JS_TABS)
            if shotdir:
                h = d.execute_script("return document.documentElement.scrollHeight")
                d.set_window_size(w, min(h, 12000))
                d.save_screenshot(os.path.join(shotdir, f"{name}-{w}.png"))
        rows.append(row)
        print(json.dumps(row), flush=True)
    d.quit()
    json.dump(rows, open(outdir, "w"), indent=1)

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if sys.argv[2] != "-" else None, sys.argv[3:])
