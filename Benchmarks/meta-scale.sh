#!/usr/bin/env bash
# Scaling of a univariate meta-analysis (DESIGN §10: 100,000 studies in ≤ 10 s, memory linear in
# k): renders a report with one `meta` directive (REML, the default outputs: estimate, τ² with
# its Q-profile CI, I², H², Q, prediction interval, the studies list) and one with the rank
# correlation and Egger tests, at k = 10³, 10⁴, 10⁵, and prints wall time and peak RSS
# (GNU time -v). Run from the package root: Benchmarks/meta-scale.sh [path/to/bordin]
# (default: the release build that bench.sh makes).
set -euo pipefail
cd "$(dirname "$0")/.."
BORDIN=${1:-.build-release/release/bordin}
[ -x "$BORDIN" ] || swift build -c release --static-swift-stdlib --scratch-path .build-release --product bordin >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '| %-44s | %8s | %9s |\n' "meta-analysis" "wall s" "peak MiB"
printf '| %-44s | %8s | %9s |\n' "---" "---" "---"
for k in 1000 10000 100000; do
  # Deterministic effect sizes around 0.3 with heterogeneity and unequal precision.
  awk -v k="$k" 'BEGIN {print "study,yi,vi"; for (i = 1; i <= k; i++) printf "s%d,%.6f,%.6f\n", i, 0.3 + 0.25 * sin(i * 0.7) + 0.1 * cos(i * 1.3), 0.005 + (i % 97) / 1000}' > "$tmp/meta-$k.csv"
  for variant in default bias; do
    {
      printf -- '---\ntitle: meta %s\ndata:\n  d: meta-%s.csv\n---\n\n```{meta #m}\ndata: d\nyi: yi\nvi: vi\n' "$k" "$k"
      [ "$variant" = bias ] && printf 'bias: [egger, rank]\n'
      printf '```\n\nPooled `{m.estimate | 3}`, τ² `{m.tau2 | 4}`.\n'
    } > "$tmp/meta-$k-$variant.md"
    /usr/bin/time -v "$BORDIN" render "$tmp/meta-$k-$variant.md" --out "$tmp/out" --no-cache >/dev/null 2>"$tmp/time" || { cat "$tmp/time" >&2; exit 1; }
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; printf "%.3f", s}' "$tmp/time")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$tmp/time")
    printf '| %-44s | %8s | %9s |\n' "k = $k, REML$([ "$variant" = bias ] && echo ', egger + rank')" "$wall" "$rss"
  done
done
