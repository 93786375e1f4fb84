#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ and runs each for SECONDS (default 600) from its seed
# corpus in Fuzz/corpus/NAME; crashing inputs land in Fuzz/artifacts/NAME/ and become
# regression cases. Usage: Scripts/fuzz.sh [SECONDS] [TARGET…]
set -euo pipefail
cd "$(dirname "$0")/../Fuzz"
secs=${1:-600}; shift || true
targets=${*:-"csv expression formula directive lavaan verify bibtex frontmatter readstat"}
swift build -c release --scratch-path ../.build-fuzz --disable-build-manifest-caching \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
for t in $targets; do
  mkdir -p "artifacts/$t" "work/$t"
  echo "== fuzz-$t for ${secs}s"
  ../.build-fuzz/release/fuzz-"$t" "work/$t" "corpus/$t" -max_total_time="$secs" -max_len="$([ "$t" = readstat ] && echo 65536 || echo 4096)" \
    -artifact_prefix="artifacts/$t/" -print_final_stats=1 2>&1 | tail -n 12
done
