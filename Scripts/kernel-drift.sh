#!/usr/bin/env bash
# Cross-kernel drift: renders reports/ and the monthly site under each OpenBLAS kernel
# (Prescott, Haswell, SkylakeX, and OPENBLAS_CORETYPE unset), compares the HTML bytes, and prints
# per report the largest relative difference of any number in its results.json across kernels.
#   Scripts/kernel-drift.sh [OUTDIR]      (default .build/kernel-drift; builds the debug binary once)
# Optional: REFBLAS=1 adds a run with the reference BLAS and LAPACK (Debian's libblas3 and
# liblapack3 preloaded with LD_PRELOAD for that one process, so that their symbols win over
# OpenBLAS's, which the binary also links; the system's BLAS alternatives are not touched).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build/kernel-drift}
swift build --product bordin >/dev/null
bin=.build/debug/bordin
$bin sqlite data/prn/prn.sqlite data/prn/summaries.csv data/prn/months.csv \
  data/prn/simulated/effects_simulated.csv data/prn/effects_real.csv
rm -rf "$out"; mkdir -p "$out"
kernels="Prescott Haswell SkylakeX unset"
[ "${REFBLAS:-0}" = 1 ] && kernels="$kernels refblas"
for k in $kernels; do
  envs=(env -u OPENBLAS_CORETYPE)
  case $k in
    unset) ;;
    refblas) envs+=(LD_PRELOAD=/usr/lib/x86_64-linux-gnu/blas/libblas.so.3:/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3) ;;
    *) envs+=(OPENBLAS_CORETYPE=$k) ;;
  esac
  "${envs[@]}" $bin render reports/ --no-cache --out "$out/$k/reports" >/dev/null 2>"$out/$k.log" || { cat "$out/$k.log"; exit 1; }
  "${envs[@]}" $bin render templates/prn-monthly.md --params-from data/prn/months.csv --jobs 2 --no-cache \
    --out "$out/$k/site" --site-title "Practice Research Network — research summaries" >/dev/null 2>>"$out/$k.log" \
    || { cat "$out/$k.log"; exit 1; }
done
python3 - "$out" $kernels <<'PY'
import json, os, sys, hashlib
out, kernels = sys.argv[1], sys.argv[2:]
base = os.path.join(out, kernels[0])
def files(root, ext):
    r = []
    for d, _, fs in os.walk(root):
        r += [os.path.relpath(os.path.join(d, f), root) for f in fs if f.endswith(ext)]
    return sorted(r)
# acc: [largest, its path, largest among values other than p-values, its path]. A p-value's
# relative drift is its statistic's times about z² (tiny p-values magnify it), hence the 2nd pair.
def walk(a, b, path, acc, key=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in a:
            if k in b: walk(a[k], b[k], path + "." + k, acc, k)
    elif isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b)): walk(x, y, f"{path}[{i}]", acc, key)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        if a != b:
            d = abs(a - b) / max(abs(a), abs(b))
            if d > acc[0]: acc[0], acc[1] = d, path
            if not (key == "p" or key.endswith("_p") or key.startswith("p_")) and d > acc[2]:
                acc[2], acc[3] = d, path
html_diff = []
for f in files(base, ".html"):
    digests = {k: hashlib.sha256(open(os.path.join(out, k, f), "rb").read()).hexdigest() for k in kernels}
    if len(set(digests.values())) > 1: html_diff.append(f)
print(f"HTML pages compared: {len(files(base, '.html'))}; differing across kernels: {len(html_diff)}")
for f in html_diff: print("  differs:", f)
print("largest cross-kernel relative drift per results.json (any value; any value but p-values):")
for f in files(base, ".results.json"):
    acc = [0.0, "", 0.0, ""]
    docs = {k: json.load(open(os.path.join(out, k, f))) for k in kernels}
    for i in range(len(kernels)):
        for j in range(i + 1, len(kernels)):
            walk(docs[kernels[i]], docs[kernels[j]], "", acc)
    print(f"  {f:45s} {acc[0]:.2e} {acc[2]:.2e}  {acc[1]}  {acc[3]}")
PY
