#!/usr/bin/env bash
# Issue 14's acceptance check: render reports/ and the monthly site under one OpenBLAS kernel,
# then run `bordin verify` on every page under each other kernel; print one line per page and
# kernel (the verdict and its largest drift) and exit 1 if any page does not verify.
#   Scripts/verify-across-kernels.sh [OUTDIR]   (default .build/verify-kernels; debug binary)
# AUTHOR=Haswell and READERS="Prescott SkylakeX unset" choose the kernels.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build/verify-kernels}
author=${AUTHOR:-Haswell}
readers=${READERS:-"Prescott SkylakeX unset"}
swift build --product bordin >/dev/null
bin=$PWD/.build/debug/bordin
$bin sqlite data/prn/prn.sqlite data/prn/summaries.csv data/prn/months.csv \
  data/prn/simulated/effects_simulated.csv data/prn/effects_real.csv >/dev/null
rm -rf "$out"; mkdir -p "$out"
OPENBLAS_CORETYPE=$author $bin render reports/ --no-cache --out "$out/reports" >/dev/null
OPENBLAS_CORETYPE=$author $bin render templates/prn-monthly.md --params-from data/prn/months.csv --jobs 2 \
  --no-cache --out "$out/site" --site-title "Practice Research Network — research summaries" >/dev/null
failed=0; n=0
for page in "$out"/reports/*.html "$out"/site/*.html; do
  [ -f "${page%.html}.results.json" ] || continue   # index and topic pages have no record
  for k in $readers; do
    envs=(env -u OPENBLAS_CORETYPE); [ "$k" = unset ] || envs+=(OPENBLAS_CORETYPE=$k)
    n=$((n + 1))
    if line=$("${envs[@]}" $bin verify "$page" 2>&1 | head -1); then
      echo "$k	$line"
    else
      echo "$k	$line"; failed=$((failed + 1))
    fi
  done
done
echo "$((n - failed)) of $n verifications passed (rendered under $author; verified under $readers)"
[ $failed = 0 ]
