# Bordin — the two commands of the README, plus helpers.
#   make demo   renders every report in reports/ into _out/ and prints the paths
#   make test   runs the whole test suite
# Both install missing Debian packages first (as root, on a fresh machine).

SWIFT ?= swift
DEBS = pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev liblapacke-dev libopenblas-dev \
       r-mathlib libnlopt-dev libsqlite3-dev libreadstat-dev
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build demo prn-db test release bench theme fuzz clean

all: demo

deps:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

demo: build prn-db
	.build/debug/bordin render reports/ --out _out
	.build/debug/bordin render templates/prn-monthly.md --params-from data/prn/months.csv --jobs 2 \
	  --out _site --site-title "Practice Research Network — research summaries"

# The network's database, built reproducibly from its CSV files (see data/prn/README.md).
prn-db: build
	.build/debug/bordin sqlite data/prn/prn.sqlite data/prn/summaries.csv data/prn/months.csv \
	  data/prn/simulated/effects_simulated.csv data/prn/effects_real.csv

test: deps
	$(SWIFT) test --disable-swift-testing

# The shipped binary: release, with the Swift runtime and Foundation linked statically
# (start-up about 7 ms faster than dynamic linking). Output: .build-release/release/bordin
release: deps
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path .build-release --product bordin

bench: deps
	Benchmarks/bench.sh

theme:
	Scripts/gen-theme.sh

fuzz: deps
	Scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf .build .build-fuzz _out _site
