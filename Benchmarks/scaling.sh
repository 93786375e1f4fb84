#!/usr/bin/env bash
# Scaling benchmark (DESIGN §10 "scale"): every input that a user can make large is rendered at
# size n and 10n, and the ratio of wall times is printed. Linear cost gives ×≈10; the verdict
# column says "linear" up to ×15 (start-up and fixed costs make small inputs relatively slower,
# so ratios below 10 are common), "SUPERLINEAR" above. Peak memory is printed for both sizes:
# memory linear in the input gives ×≤10.
#
# Dimensions: CSV rows, CSV columns, meta-analysis studies, typed results for check
# --statistics, plain Markdown size, inline values in the prose, directives in one report,
# table rows in the source Markdown.
#
# Run from the package root: Benchmarks/scaling.sh [path/to/bordin] (default: the release
# build that bench.sh makes).
set -euo pipefail
cd "$(dirname "$0")/.."
BORDIN=${1:-.build-release/release/bordin}
[ -x "$BORDIN" ] || swift build -c release --static-swift-stdlib --scratch-path .build-release --product bordin >/dev/null
BORDIN=$(realpath "$BORDIN")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# measure DIR ARGS…: "seconds peakMiB" of one run of bordin in DIR (exit status 0 or 1 accepted:
# check --statistics exits 1 when it finds inconsistent results, which these inputs contain).
measure() {
  local dir=$1; shift
  local t0 t1 rc=0
  t0=$(date +%s%N)
  (cd "$dir" && /usr/bin/time -f "%M" -o "$tmp/t" "$BORDIN" "$@" >/dev/null 2>"$tmp/err") || rc=$?
  t1=$(date +%s%N)
  if [ "$rc" -gt 1 ]; then cat "$tmp/err" >&2; return 1; fi
  awk -v ns="$((t1 - t0))" -v kb="$(tail -1 "$tmp/t")" 'BEGIN {printf "%.3f %.0f", ns / 1e9, kb / 1024}'
}

printf '| %-34s | %9s | %9s | %8s | %8s | %7s | %-11s |\n' "dimension" "n" "10n" "s at n" "s at 10n" "ratio" "verdict"
printf '| %-34s | %9s | %9s | %8s | %8s | %7s | %-11s |\n' "---" "---" "---" "---" "---" "---" "---"

# row NAME N MAKER ARGS…: MAKER DIR SIZE writes the input for SIZE into DIR; ARGS is the bordin
# command (run in DIR).
row() {
  local name=$1 n=$2 maker=$3; shift 3
  local d1="$tmp/$name-1" d2="$tmp/$name-10"
  mkdir -p "$d1" "$d2"
  "$maker" "$d1" "$n"; "$maker" "$d2" "$((n * 10))"
  read -r s1 m1 <<<"$(measure "$d1" "$@")"
  read -r s2 m2 <<<"$(measure "$d2" "$@")"
  awk -v name="$name" -v n="$n" -v s1="$s1" -v s2="$s2" -v m1="$m1" -v m2="$m2" 'BEGIN {
    r = s2 / (s1 > 0.001 ? s1 : 0.001)
    printf "| %-34s | %9d | %9d | %8.3f | %8.3f | %7.1f | %-11s | peak %s -> %s MiB\n", name, n, n * 10, s1, s2, r, (r <= 15 ? "linear" : "SUPERLINEAR"), m1, m2
  }'
  rm -rf "$d1" "$d2"
}

report() { printf -- '---\ntitle: scaling\ndata:\n  d: d.csv\n---\n\n%s\n' "$2" > "$1/r.md"; }

csv_rows() {
  awk -v n="$2" 'BEGIN {print "id,x,y,g"; for (i = 1; i <= n; i++) printf "%d,%.4f,%.4f,g%d\n", i, sin(i), cos(i * 0.3) + 0.2 * sin(i), i % 20}' > "$1/d.csv"
  report "$1" $'```{regress #m}\ndata: d\nformula: y ~ x + g\n```\n\nSlope `{m.coef[x].b | 3}`.'
}
csv_columns() {
  awk -v n="$2" 'BEGIN {for (r = 0; r <= 5; r++) {for (j = 1; j <= n; j++) printf "%s%s", (j > 1 ? "," : ""), (r == 0 ? "c" j : sprintf("%.3f", sin(r * j))); print ""}}' > "$1/d.csv"
  report "$1" $'```{describe #s}\ndata: d\nvars: [c1, c2]\n```\n\nMean `{s.vars[c1].mean | 2}`.'
}
meta_studies() {
  awk -v k="$2" 'BEGIN {print "study,yi,vi"; for (i = 1; i <= k; i++) printf "s%d,%.6f,%.6f\n", i, 0.3 + 0.25 * sin(i * 0.7) + 0.1 * cos(i * 1.3), 0.005 + (i % 97) / 1000}' > "$1/d.csv"
  report "$1" $'```{meta #m}\ndata: d\nyi: yi\nvi: vi\nbias: [egger, rank]\n```\n\nPooled `{m.estimate | 3}`.'
}
typed_results() {
  awk -v n="$2" 'BEGIN {for (k = 0; k < n; k++) printf "In study %d the effect held, t(%d) = 2.%02d, p = .0%d; r(%d) = .%02d, p = .04.\n\n", k, 20 + k % 80, 10 + k % 80, 1 + k % 9, 30 + k % 50, 10 + k % 80}' > "$1/typed.md"
}
markdown_size() {
  # n is in kB of plain CommonMark + GFM (the repository's Markdown test files repeated).
  : > "$1/big.md"
  while [ "$(stat -c %s "$1/big.md")" -lt $(($2 * 1024)) ]; do cat Tests/Fixtures/markdown/*.md >> "$1/big.md"; done
}
inline_values() {
  awk -v n="$2" 'BEGIN {print "id,x"; for (i = 1; i <= 50; i++) printf "%d,%.3f\n", i, sin(i)}' > "$1/d.csv"
  body=$'```{describe #s}\ndata: d\nvars: [x]\n```\n'
  report "$1" "$body$(awk -v n="$2" 'BEGIN {for (i = 1; i <= n; i++) printf "Value %d is `{s.vars[x].mean | 3}` and `{s.vars[x].sd | 2}`.\n\n", i}')"
}
directives() {
  awk 'BEGIN {print "id,x,y"; for (i = 1; i <= 50; i++) printf "%d,%.3f,%.3f\n", i, sin(i), cos(i)}' > "$1/d.csv"
  report "$1" "$(awk -v n="$2" 'BEGIN {for (i = 1; i <= n; i++) printf "```{describe #s%d}\ndata: d\nvars: [x, y]\n```\n\nMean `{s%d.vars[x].mean | 3}`.\n\n", i, i}')"
}
table_rows() {
  { printf '| a | b | c |\n|---|---|---|\n'; awk -v n="$2" 'BEGIN {for (i = 1; i <= n; i++) printf "| %d | *x%d* | text %d |\n", i, i, i}'; } > "$1/t.md"
}

row "CSV rows (regress)" 100000 csv_rows render r.md --out o --no-cache
row "CSV columns (describe)" 10000 csv_columns render r.md --out o --no-cache
row "meta-analysis studies (REML, bias)" 10000 meta_studies render r.md --out o --no-cache
row "typed results (check --statistics)" 1000 typed_results check --statistics typed.md
row "plain Markdown (kB)" 1000 markdown_size render big.md --fragment --out o
row "inline values" 1000 inline_values render r.md --out o --no-cache
row "directives (describe)" 100 directives render r.md --out o --no-cache
row "Markdown table rows" 10000 table_rows render t.md --fragment --out o
